"""Before submission a coordinator closes sign-on, moves its deadline or reopens it on the same frozen version,
each from a page that says what will happen and carries the version hash and the deadline it showed."""
from datetime import timedelta

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.declarations.models import Declaration
from app.extensions import db
from app.time import utcnow
from tests.helpers import close_signon, hidden_fields, login, sign, signatures_of, submit


def _state(app, declaration_id):
    with app.app_context():
        declaration = db.session.get(Declaration, declaration_id)
        return declaration.signon_deadline, declaration.latest_version.number, declaration.latest_version.sha256


def _actions(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_close_signon_is_not_one_click(app, client, people, make_declaration):
    declaration = make_declaration("signon")
    login(client, people["coordinator"].email)
    submit_page = client.get(f"/declarations/{declaration.id}/submit").get_data(as_text=True)
    assert f'action="/declarations/{declaration.id}/close-signon"' not in submit_page
    assert f'href="/declarations/{declaration.id}/signon"' in submit_page
    response = client.post(f"/declarations/{declaration.id}/close-signon")
    assert response.status_code == 422 and "Confirm on this page" in response.get_data(as_text=True)
    assert _state(app, declaration.id)[0] is None


def test_the_page_says_what_closing_does_and_carries_what_it_showed(app, client, people, make_declaration):
    declaration = make_declaration("signon")
    login(client, people["coordinator"].email)
    page = client.get(f"/declarations/{declaration.id}/signon").get_data(as_text=True)
    _deadline, number, sha256 = _state(app, declaration.id)
    assert sha256 in page and f"Version {number}" in page
    assert "Nobody can sign or withdraw" in page and "reopen sign-on on this same version" in page
    assert hidden_fields(page) == {"expected_sha256": sha256, "expected_deadline": "none"}
    assert close_signon(client, declaration.id).status_code == 303
    assert _state(app, declaration.id)[0] <= utcnow()
    [entry] = _actions(app, "signon_closed")
    assert entry.details["sha256"] == sha256


def test_a_change_made_after_the_page_was_opened_is_not_confirmed_blind(app, client, people, make_declaration):
    declaration = make_declaration("signon")
    login(client, people["coordinator"].email)
    page = client.get(f"/declarations/{declaration.id}/signon").get_data(as_text=True)
    with app.app_context():  # another coordinator sets a deadline meanwhile
        db.session.get(Declaration, declaration.id).signon_deadline = utcnow() + timedelta(days=9)
        db.session.commit()
    response = client.post(f"/declarations/{declaration.id}/close-signon", data=hidden_fields(page))
    assert response.status_code == 422 and "Sign-on changed after this page was opened" in response.get_data(
        as_text=True)
    assert _state(app, declaration.id)[0] > utcnow()


def test_sign_on_reopens_on_the_same_version_and_signatures_stay(app, client, people, make_declaration,
                                                                 make_user, mailbox):
    declaration = make_declaration("signon")
    expert = make_user(expert=True, email="expert2@example.org")
    login(client, people["representative"].email)
    assert sign(client, declaration.id).status_code in (302, 303)
    client.post("/logout")
    login(client, people["coordinator"].email)
    close_signon(client, declaration.id)
    before = _state(app, declaration.id)
    page = client.get(f"/declarations/{declaration.id}/signon").get_data(as_text=True)
    assert "Reopen sign-on on the same version" in page and "Yes, close sign-on now" not in page
    assert "who may sign and have not are told" in page or "who may sign and has not is told" in page
    mailbox.clear()
    later = (utcnow() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/declarations/{declaration.id}/signon", data={**hidden_fields(page), "deadline": later})
    assert response.status_code == 303
    deadline, number, sha256 = _state(app, declaration.id)
    assert deadline > utcnow() and (number, sha256) == before[1:]
    [signature] = [s for s in signatures_of(app, declaration.id) if s.status == "active"]
    assert signature.version_id is not None
    assert [m for m in mailbox.to(expert.email) if "Open for signature again" in m["subject"]]
    assert not mailbox.to(people["representative"].email)  # signed already: nothing to ask
    [entry] = _actions(app, "signon_reopened")
    assert entry.details["sha256"] == sha256 and entry.details["told"] >= 1
    client.post("/logout")
    login(client, expert.email)
    assert sign(client, declaration.id, capacity="individual").status_code in (302, 303)


def test_the_deadline_moves_later_or_earlier_but_not_into_the_past(app, client, people, make_declaration):
    declaration = make_declaration("signon")
    login(client, people["coordinator"].email)
    for days in (20, 3):
        page = client.get(f"/declarations/{declaration.id}/signon").get_data(as_text=True)
        moved = (utcnow() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")
        assert client.post(f"/declarations/{declaration.id}/signon",
                           data={**hidden_fields(page), "deadline": moved}).status_code == 303
        assert abs(_state(app, declaration.id)[0] - (utcnow() + timedelta(days=days))) < timedelta(days=1)
    assert len(_actions(app, "signon_deadline_changed")) == 2
    page = client.get(f"/declarations/{declaration.id}/signon").get_data(as_text=True)
    response = client.post(f"/declarations/{declaration.id}/signon",
                           data={**hidden_fields(page), "deadline": "2020-01-01T10:00"})
    assert response.status_code == 422 and "Choose a deadline in the future" in response.get_data(as_text=True)
    assert 'value="2020-01-01T10:00"' in response.get_data(as_text=True)


def test_nothing_about_sign_on_changes_after_submission(app, client, people, make_declaration):
    declaration = make_declaration("signon")
    login(client, people["coordinator"].email)
    page = client.get(f"/declarations/{declaration.id}/signon").get_data(as_text=True)
    assert submit(client, declaration.id, [people["reviewer"].institution_id]).status_code in (302, 303)
    deadline = _state(app, declaration.id)[0]
    response = client.post(f"/declarations/{declaration.id}/signon",
                           data={**hidden_fields(page), "deadline": "2099-01-01T10:00"}, follow_redirects=True)
    assert "not yet submitted, can have its sign-on changed" in response.get_data(as_text=True)
    assert _state(app, declaration.id)[0] == deadline
    assert client.get(f"/declarations/{declaration.id}/signon").status_code == 303
