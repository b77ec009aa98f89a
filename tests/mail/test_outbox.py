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


def _waiting(app, count):
    with app.app_context():
        db.session.add_all([OutboxMessage(recipient=f"w{n}@example.org", subject=f"Message {n}", body="b")
                            for n in range(count)])
        db.session.commit()
        return db.session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)).all()


def test_a_chunk_skips_what_another_sender_holds_and_sends_the_rest(app, mailbox):
    from app.mail.services import SEND_CHUNK, _claim, deliver
    from app.time import utcnow
    ids = _waiting(app, SEND_CHUNK + 3)
    with app.app_context():
        assert _claim(ids[2], utcnow())  # another sender holds one in the first chunk
        assert deliver() == (SEND_CHUNK + 2, 0)
        held = db.session.get(OutboxMessage, ids[2])
        assert held.sent_at is None and held.attempts == 0
        assert all(db.session.get(OutboxMessage, i).sent_at is not None for i in ids if i != ids[2])
    assert len(mailbox.messages) == SEND_CHUNK + 2 and not mailbox.to("w2@example.org")


def test_an_unreachable_server_lets_the_rest_of_the_chunk_go_for_the_next_run(make_app):
    from app.mail.services import deliver
    down = make_app(MAIL_PORT=free_port())
    ids = _waiting(down, 5)
    with down.app_context():
        assert deliver() == (0, 1)
        first, *rest = [db.session.get(OutboxMessage, i) for i in ids]
        assert first.attempts == 1 and "Error" in first.last_error and first.claimed_until is None
        assert all(m.attempts == 0 and m.claimed_until is None and m.sent_at is None for m in rest)
