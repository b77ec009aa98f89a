"""The outbox: mail is written with the change that causes it and sent after the commit."""
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, g, has_app_context, render_template
from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage
from app.time import utcnow


def queue(recipient: str, subject: str, template: str, **context) -> OutboxMessage:
    """Write a message to the outbox in the current transaction; it leaves after the commit."""
    body = render_template(f"mail/{template}.txt", **context)
    message = OutboxMessage(recipient=recipient, subject=str(subject), body=body)
    db.session.add(message)
    db.session.flush()
    if has_app_context():
        g.setdefault("outbox_ids", []).append(message.id)
    return message


def take_queued_ids() -> list[int]:
    """The ids of messages queued in this request or command, forgetting them."""
    return g.pop("outbox_ids", []) if has_app_context() else []


class _Smtp:
    """One SMTP connection, opened on first use and reused for a batch."""

    def __init__(self, config):
        self.config = config
        self.connection = None

    def send(self, message: EmailMessage) -> None:
        if self.connection is None:
            cls = smtplib.SMTP_SSL if self.config["MAIL_USE_SSL"] else smtplib.SMTP
            self.connection = cls(self.config["MAIL_SERVER"], self.config["MAIL_PORT"],
                                  timeout=self.config["MAIL_TIMEOUT"])
            if self.config["MAIL_USE_TLS"]:
                self.connection.starttls()
            if self.config["MAIL_USERNAME"]:
                self.connection.login(self.config["MAIL_USERNAME"], self.config["MAIL_PASSWORD"] or "")
        self.connection.send_message(message)

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except smtplib.SMTPException:
                pass
            except OSError:
                pass


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="sanad.invalid")
    email.set_content(message.body)
    return email


def deliver(ids: list[int] | None = None, limit: int = 200) -> tuple[int, int]:
    """Send unsent messages (those given, or all that are due) and commit each outcome.

    Returns (sent, failed). A failure is kept with its error and retried later with backoff.
    """
    config = current_app.config
    now = utcnow()
    query = select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
    if ids is not None:
        if not ids:
            return 0, 0
        query = query.where(OutboxMessage.id.in_(ids))
    else:
        query = query.where(OutboxMessage.next_attempt_at <= now,
                            OutboxMessage.attempts < config["MAIL_MAX_ATTEMPTS"])
    # On PostgreSQL two senders never take the same message; SQLite has one writer anyway.
    query = query.order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True)
    messages = db.session.scalars(query).all()
    sent = failed = 0
    transport = _Smtp(config) if config["MAIL_BACKEND"] == "smtp" else None
    try:
        for message in messages:
            message.attempts += 1
            try:
                if transport is None:
                    print(f"\n----- mail to {message.recipient} -----\nSubject: {message.subject}\n\n{message.body}\n-----",
                          flush=True)
                else:
                    transport.send(_email(message))
            except (smtplib.SMTPException, OSError) as error:
                failed += 1
                message.last_error = f"{type(error).__name__}: {error}"[:1000]
                message.next_attempt_at = utcnow() + timedelta(minutes=2 ** min(message.attempts, 10))
                if transport is not None:
                    transport.close()
                    transport = _Smtp(config)
            else:
                sent += 1
                message.sent_at = utcnow()
                message.last_error = ""
    finally:
        db.session.commit()
        if transport is not None:
            transport.close()
    return sent, failed
