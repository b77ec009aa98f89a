"""Every change of phase goes through a page that says what will happen, shows the version that will be
frozen and who will be told, and asks for the deadline; nothing changes until the coordinator confirms."""
import re

from sqlalchemy import func, select

from app.declarations.models import Declaration, Version
from app.declarations.services import canonical_content, content_hash
from app.extensions import db
from tests.helpers import login, sign


def _versions(app, declaration_id):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Version)
                                 .where(Version.declaration_id == declaration_id))


def _hidden(page, name):
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page).group(1)


def test_the_edit_page_offers_each_step_as_a_link_to_its_confirmation_page(client, people, make_declaration):
    d = make_declaration(phase="revision")
    login(client, people["coordinator"].email)
    page = client.get(f"/declarations/{d.id}/edit").get_data(as_text=True)
    assert f'href="/declarations/{d.id}/phase/signon"' in page
    assert f'href="/declarations/{d.id}/phase/consultation"' in page
    assert f'action="/declarations/{d.id}/phase"' not in page  # no one-click change of phase


def test_opening_signon_shows_the_version_its_hash_and_who_is_told_and_changes_nothing(app, client, people,
                                                                                          make_declaration):
    d = make_declaration(phase="revision")
    before = _versions(app, d.id)
    login(client, people["coordinator"].email)
    response = client.get(f"/declarations/{d.id}/phase/signon")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    with app.app_context():
        expected = content_hash(canonical_content(db.session.get(Declaration, d.id)))
        assert db.session.get(Declaration, d.id).phase == "revision"
    assert expected in page and _hidden(page, "expected_sha256") == expected
    assert f"Version {before + 1}" in page
    assert "Sign-on deadline (optional)" in page and 'type="datetime-local"' in page
    assert "Who will be told" in page and "Yes, open sign-on" in page
    assert _versions(app, d.id) == before

    response = client.post(f"/declarations/{d.id}/phase", data={
        "target": "signon", "expected_sha256": expected, "deadline": "2099-05-01T17:00"})
    assert response.status_code == 302
    with app.app_context():
        declaration = db.session.get(Declaration, d.id)
        assert declaration.phase == "signon" and declaration.signon_deadline is not None
        assert declaration.latest_version.sha256 == expected


def test_opening_the_consultation_says_how_many_members_are_told_and_needs_a_deadline(app, client, people,
                                                                                      make_declaration):
    d = make_declaration(phase="drafting")
    login(client, people["coordinator"].email)
    page = client.get(f"/declarations/{d.id}/phase/consultation").get_data(as_text=True)
    assert "members of the alliance are notified" in page and "Consultation deadline" in page
    response = client.post(f"/declarations/{d.id}/phase", data={
        "target": "consultation", "expected_sha256": _hidden(page, "expected_sha256"), "deadline": ""})
    assert response.status_code == 422
    assert "Choose a consultation deadline in the future." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Declaration, d.id).phase == "drafting"


def test_a_text_changed_after_the_page_was_opened_is_not_frozen(app, client, people, make_declaration):
    d = make_declaration(phase="revision")
    login(client, people["coordinator"].email)
    page = client.get(f"/declarations/{d.id}/phase/signon").get_data(as_text=True)
    shown = _hidden(page, "expected_sha256")
    with app.app_context():  # a co-drafter edits the text meanwhile
        db.session.get(Declaration, d.id).title = "Declaration on trafficking, revised"
        db.session.commit()
    before = _versions(app, d.id)
    response = client.post(f"/declarations/{d.id}/phase", data={
        "target": "signon", "expected_sha256": shown, "deadline": "2099-05-01T17:00"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "The text changed after this page was opened" in page
    assert 'value="2099-05-01T17:00"' in page  # the deadline as typed
    assert _hidden(page, "expected_sha256") != shown  # the page now shows what would be frozen
    with app.app_context():
        assert db.session.get(Declaration, d.id).phase == "revision"
    assert _versions(app, d.id) == before


def test_reopening_the_text_says_how_many_signers_are_emailed(client, people, make_declaration, app):
    d = make_declaration(phase="signon")
    login(client, people["representative"].email)
    assert sign(client, d.id).status_code == 303
    client.post("/logout")
    login(client, people["coordinator"].email)
    page = client.get(f"/declarations/{d.id}/phase/revision").get_data(as_text=True)
    assert "Reopen the text for revision?" in page and "Signing stops." in page
    assert "The signers of 1 signature are emailed that the text they signed was reopened." in page


def test_only_who_manages_the_declaration_sees_the_page_and_a_wrong_step_is_refused(client, people,
                                                                                     make_declaration):
    open_one = make_declaration(phase="consultation")
    login(client, people["member"].email)
    assert client.get(f"/declarations/{open_one.id}/phase/revision").status_code == 403
    d = make_declaration(phase="drafting")
    client.post("/logout")
    login(client, people["coordinator"].email)
    response = client.get(f"/declarations/{d.id}/phase/signon")
    assert response.status_code == 302
    assert "cannot move to" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get(f"/declarations/{d.id}/phase/submitted").status_code == 404
