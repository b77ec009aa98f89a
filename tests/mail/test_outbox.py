"""Mail goes through the outbox and a real SMTP exchange with the local test server."""
from unittest.mock import patch

from flask import abort
from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.services import queue
from app.permissions import PUBLIC_ENDPOINTS
from tests.helpers import free_port


def _outbox(app):
    with app.app_context():
        return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_a_message_is_sent_by_smtp_after_the_commit(app, client, mailbox):
    client.post("/reset", data={"email": "nobody@example.org"})  # unknown: no mail
    assert not mailbox.messages
    with app.test_request_context():
        queue("someone@example.org", "Hello", "password_reset", user=type("U", (), {"name": "Someone"})(),
              link="http://localhost/x", minutes=60)
        from app.mail.services import deliver, take_queued_ids
        db.session.commit()
        assert deliver(take_queued_ids()) == (1, 0)
    [message] = mailbox.to("someone@example.org")
    assert message["subject"] == "Hello" and "Someone" in message["body"]
    [row] = _outbox(app)
    assert row.sent_at is not None and row.attempts == 1


def test_a_failed_request_sends_no_mail_and_writes_no_message(make_app, mailbox):
    app = make_app()

    @app.route("/queue-then-fail")
    def queue_then_fail():
        queue("someone@example.org", "Never sent", "password_reset", user=type("U", (), {"name": "X"})(),
              link="http://localhost/x", minutes=60)
        abort(403)

    PUBLIC_ENDPOINTS_FOR_TEST = {"queue_then_fail"}  # noqa: N806
    with patch("app.web.security.PUBLIC_ENDPOINTS", PUBLIC_ENDPOINTS | PUBLIC_ENDPOINTS_FOR_TEST):
        assert app.test_client().get("/queue-then-fail").status_code == 403
    assert not mailbox.messages
    assert not _outbox(app)


def test_mail_survives_an_smtp_outage_and_the_command_sends_it_later(make_app, smtp_server, people, mailbox):
    down = make_app(MAIL_PORT=free_port())  # nothing listens there
    client = down.test_client()
    response = client.post("/reset", data={"email": people["member"].email})
    assert response.status_code == 200  # the user is not bothered by the outage
    [row] = _outbox(down)
    assert row.sent_at is None and row.attempts == 1 and "Connection" in row.last_error
    assert not mailbox.messages

    up = make_app()
    with up.app_context():  # the retry is due now rather than after the backoff
        db.session.get(OutboxMessage, row.id).next_attempt_at = row.created_at
        db.session.commit()
    result = up.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0" in result.output
    assert len(mailbox.to(people["member"].email)) == 1
    [row] = _outbox(up)
    assert row.sent_at is not None and row.attempts == 2


def test_the_retry_command_reports_failures_and_keeps_the_messages(make_app, people):
    down = make_app(MAIL_PORT=free_port())
    down.test_client().post("/reset", data={"email": people["member"].email})
    with down.app_context():
        db.session.scalar(select(OutboxMessage)).next_attempt_at = db.session.scalar(select(OutboxMessage)).created_at
        db.session.commit()
    result = down.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 1 and "failed 1" in result.output
    [row] = _outbox(down)
    assert row.sent_at is None and row.attempts == 2


def test_two_senders_never_send_the_same_message(make_app, people, mailbox):
    app = make_app(MAIL_PORT=free_port())
    app.test_client().post("/reset", data={"email": people["member"].email})  # stays in the outbox
    up = make_app()
    with up.app_context():
        [row] = db.session.scalars(select(OutboxMessage)).all()
        row.next_attempt_at = row.created_at
        db.session.commit()
        from app.mail.services import _claim
        from app.time import utcnow
        assert _claim(row.id, utcnow())  # another sender holds it now
    result = up.test_cli_runner().invoke(args=["mail", "send"])
    assert "sent 0, failed 0" in result.output
    assert not mailbox.messages


def test_the_console_backend_prints_instead_of_sending(make_app, people, mailbox, capsys):
    app = make_app(MAIL_BACKEND="console")
    app.test_client().post("/reset", data={"email": people["member"].email})
    assert "Reset your Sanad password" in capsys.readouterr().out
    assert not mailbox.messages
    [row] = _outbox(app)
    assert row.sent_at is not None


def test_mail_status_counts_what_waits_and_lists_the_latest_failures(app):
    with app.app_context():
        db.session.add_all([OutboxMessage(recipient=f"r{n}@example.org", subject="s", body="b",
                                          attempts=1 if n % 2 else 0, last_error="SMTPServerDisconnected: gone")
                            for n in range(50)])
        db.session.commit()
    output = app.test_cli_runner().invoke(args=["mail", "status"]).output
    lines = output.splitlines()
    assert lines[0] == "50 message(s) waiting, 25 of them failed before"
    assert len(lines) == 21 and lines[1].startswith("  #50 to r49@example.org: 1 attempt(s) SMTPServerDisconnected")
