from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.declarations.models import Declaration
from app.extensions import db
from app.notifications.models import Notification
from app.time import utcnow
from tests.comments.test_comments import _comment, post, thread_url
from tests.helpers import login, post_phase


def _mode(app, user, mode):
    with app.app_context():
        db.session.get(User, user.id).notification_mode = mode
        db.session.commit()


def _reply(app, client, people, consultation):
    login(client, people["member"].email)
    post(client, thread_url(consultation), "Question")
    parent = _comment(app, "Question")
    client.post("/logout")
    login(client, people["representative"].email)
    post(client, thread_url(consultation), "Answer", parent_id=str(parent.id))


def test_a_daily_digest_gathers_notifications_into_one_email(app, client, people, consultation, mailbox):
    _mode(app, people["member"], "daily")
    _reply(app, client, people, consultation)
    assert not mailbox.to(people["member"].email)
    result = app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert result.exit_code == 0, result.output
    [digest] = mailbox.to(people["member"].email)
    assert "digest" in digest["subject"] and "replied to your comment" in digest["body"]
    mailbox.clear()
    app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert not mailbox.to(people["member"].email)  # nothing new, no second digest


def test_none_means_no_email(app, client, people, consultation, mailbox):
    _mode(app, people["member"], "none")
    _reply(app, client, people, consultation)
    app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert not mailbox.to(people["member"].email)
    with app.app_context():
        reply = db.session.scalar(select(Notification).where(Notification.user_id == people["member"].id,
                                                             Notification.kind == "reply"))
        assert reply.delivery == "none" and reply.emailed_at is None


def test_immediate_sends_at_once(app, client, people, consultation, mailbox):
    _reply(app, client, people, consultation)
    [message] = mailbox.to(people["member"].email)
    assert "replied to your comment" in message["subject"]


def test_the_closing_reminder_goes_once_per_deadline(app, people, consultation, mailbox):
    with app.app_context():
        db.session.get(Declaration, consultation.id).consultation_deadline = utcnow() + timedelta(hours=30)
        db.session.commit()
    runner = app.test_cli_runner()
    assert "0 failed" in runner.invoke(args=["notifications", "remind"]).output
    assert any("closing soon" in m["subject"] for m in mailbox.to(people["member"].email))
    mailbox.clear()
    runner.invoke(args=["notifications", "remind"])
    assert not mailbox.to(people["member"].email)


def test_consultation_opened_notifies_members_through_the_web(app, client, people, make_declaration, mailbox):
    d = make_declaration(phase="drafting")
    login(client, people["coordinator"].email)
    post_phase(client, d.id, {"target": "consultation",
                              "deadline": (utcnow() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")})
    assert any("Consultation open" in m["subject"] for m in mailbox.to(people["member"].email))
    assert not mailbox.to(people["reviewer"].email)
