"""Who may sign is invited when sign-on opens, and the alliance is told when a declaration is submitted;
each as they chose (at once, in the digest, or not), with the why-line and the exact link."""
from sqlalchemy import select

from app.extensions import db
from app.notifications.models import Notification
from tests.helpers import login, post_phase, sign, submit
from tests.notifications.test_notifications import _mode


def _open_signon(client, declaration_id):
    page = client.get(f"/declarations/{declaration_id}/phase/signon").get_data(as_text=True)
    return page, post_phase(client, declaration_id, {
        "target": "signon", "deadline": "2099-05-01T17:00"})


def test_opening_signon_invites_representatives_and_experts_who_have_not_signed(app, client, people,
                                                                                make_declaration, mailbox):
    d = make_declaration("revision")
    _mode(app, people["expert"], "daily")
    login(client, people["coordinator"].email)
    page, response = _open_signon(client, d.id)
    # The people fixture has one representative and one expert who may sign.
    assert "2 representatives and experts who may sign are invited to" in page
    assert response.status_code == 302
    [message] = mailbox.wait_for(people["representative"].email, containing="Open for signature")
    assert f"/declarations/{d.id}/sign" in message["body"]
    assert "You get this because you are a representative of" in message["body"]
    assert "List-Unsubscribe" in message["headers"]
    assert not mailbox.to(people["member"].email)  # a member who may not sign is not invited
    assert not mailbox.to(people["expert"].email)  # the expert chose the daily digest
    with app.app_context():
        kinds = db.session.scalars(select(Notification.kind).where(
            Notification.user_id == people["expert"].id)).all()
    assert "signon_opened" in kinds


def test_who_has_signed_is_asked_to_confirm_again_not_invited_twice(app, client, people, make_declaration, mailbox):
    d = make_declaration("signon")
    login(client, people["representative"].email)
    assert sign(client, d.id).status_code == 303
    client.post("/logout")
    login(client, people["coordinator"].email)
    post_phase(client, d.id, {"target": "revision"})
    mailbox.clear()
    _open_signon(client, d.id)
    messages = mailbox.wait_for(people["representative"].email)
    assert messages and not any("Open for signature" in m["subject"] for m in messages)


def test_the_alliance_is_told_when_a_declaration_is_submitted(app, client, people, make_declaration, mailbox):
    d = make_declaration("signon", visibility="public")
    login(client, people["representative"].email)
    assert sign(client, d.id).status_code == 303
    client.post("/logout")
    login(client, people["coordinator"].email)
    mailbox.clear()
    response = submit(client, d.id, [people["reviewer"].institution_id])
    assert response.status_code == 303
    [message] = mailbox.wait_for(people["member"].email, containing="Submitted to government")
    submission_path = response.headers["Location"]
    assert submission_path in message["body"] and "SHA-256" in message["body"]
