"""An outbox message can carry extra headers (List-Unsubscribe, Reply-To): they reach the SMTP server, and the
copy kept once sent holds no usable unsubscribe link."""
from sqlalchemy import select

from app.extensions import db
from app.links import redact_tokens
from app.mail.models import OutboxMessage
from app.mail.services import deliver, queue, take_queued_ids

UNSUBSCRIBE = "<http://localhost/notifications/unsubscribe/eyJ1c2VyIjoxfQ.c2lnbmF0dXJl>"


def _queue(app, **headers):
    with app.test_request_context():
        queue("someone@example.org", "Hello", "password_reset", headers=headers or None,
              user=type("U", (), {"name": "Someone"})(), link="http://localhost/x", minutes=60)
        db.session.commit()
        return deliver(take_queued_ids())


def test_extra_headers_reach_the_smtp_server_and_the_kept_copy_loses_the_link(app, mailbox):
    assert _queue(app, **{"List-Unsubscribe": UNSUBSCRIBE, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                          "Reply-To": "coordinator@example.org"}) == (1, 0)
    [message] = mailbox.to("someone@example.org")
    assert {"List-Unsubscribe", "List-Unsubscribe-Post", "Reply-To"} <= set(message["headers"])
    with app.app_context():
        [row] = db.session.scalars(select(OutboxMessage)).all()
    assert row.headers == {"List-Unsubscribe": "<http://localhost/notifications/unsubscribe/[removed]>",
                           "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                           "Reply-To": "coordinator@example.org"}


def test_a_message_without_extra_headers_has_none(app, mailbox):
    assert _queue(app) == (1, 0)
    [message] = mailbox.to("someone@example.org")
    assert "List-Unsubscribe" not in message["headers"] and "Reply-To" not in message["headers"]
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.headers)) is None


def test_the_console_backend_prints_the_extra_headers(make_app, capsys):
    app = make_app(MAIL_BACKEND="console")
    _queue(app, **{"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in capsys.readouterr().out


def test_redaction_covers_the_unsubscribe_link():
    assert redact_tokens(UNSUBSCRIBE) == "<http://localhost/notifications/unsubscribe/[removed]>"
    assert redact_tokens("http://x/notifications/settings") == "http://x/notifications/settings"
