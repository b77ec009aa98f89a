"""The outbox: mail is written with the change that causes it and sent after the commit."""
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, g, has_app_context, render_template
from flask_babel import get_locale
from sqlalchemy import insert, or_, select

from app.extensions import db
from app.links import redact_tokens, with_language
from app.mail.models import OutboxMessage
from app.time import utcnow


def queue(recipient: str, subject: str, template: str, *, headers: dict[str, str] | None = None,
          after_response: bool = True, **context) -> OutboxMessage:
    """Write a message to the outbox in the current transaction; it leaves after the commit: right after the
    response, or, with after_response=False, with the next run of `flask mail send` (every few minutes) —
    for mail that may wait a little and is written on a hot path (a signature's receipt), so that the
    request does not pay for a delivery of its own.
    headers: extra headers for the email, such as List-Unsubscribe."""
    message = OutboxMessage(recipient=recipient, subject=str(subject), body=mail_body(template, **context),
                            headers=dict(headers) if headers else None)
    db.session.add(message)
    db.session.flush()
    if after_response and has_app_context():
        g.setdefault("outbox_ids", []).append(message.id)
    return message


def mail_body(template: str, **context) -> str:
    """An email's text: mail/<template>.txt rendered in the recipient's language (callers wrap this in
    force_locale), its links carrying that language."""
    return with_language(render_template(f"mail/{template}.txt", **context), _language())


def queue_many(messages: list[dict], *, after_response: bool = True) -> int:
    """Write many messages at once (one INSERT for them all), each {"recipient", "subject", "body", "headers"}
    with its body already rendered in its language, for notifications to many people (app/notifications/
    broadcast.py). They leave as queue()'s do. Returns how many."""
    if not messages:
        return 0
    ids = db.session.scalars(insert(OutboxMessage).returning(OutboxMessage.id).execution_options(render_nulls=True),
                             messages).all()
    if after_response and has_app_context():
        g.setdefault("outbox_ids", []).extend(ids)
    return len(ids)


def _language() -> str | None:
    try:
        locale = get_locale()
    except RuntimeError:  # a flask command outside force_locale: the links carry no language
        return None
    return str(locale) if locale else None


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
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.body)
    return email


MAX_BACKOFF = timedelta(hours=1)
CLAIM = timedelta(minutes=5)


# Messages claimed, sent, and their outcomes written, a few at a time: two short transactions per chunk rather
# than two per message, so that a long run of sending (a reminder to the whole alliance) leaves SQLite's one
# write lock free for the site's own writes. A sender that stops half-way leaves at most a chunk sent but not
# marked; those are claimed again after CLAIM and sent once more.
SEND_CHUNK = 10


def _claim(message_id: int, now) -> bool:
    """Take a message for sending; False if another sender has it or it was sent meanwhile."""
    return _claim_many([message_id], now) == [message_id]


def _claim_many(message_ids: list[int], now) -> list[int]:
    """Take these messages for sending (one UPDATE, committed): those another sender holds, or that were sent
    meanwhile, are left out of the ids returned."""
    table = OutboxMessage.__table__
    claimed = db.session.execute(
        table.update()
        .where(table.c.id.in_(message_ids), table.c.sent_at.is_(None),
               or_(table.c.claimed_until.is_(None), table.c.claimed_until < now))
        .values(claimed_until=now + CLAIM).returning(table.c.id)
    ).scalars().all()
    db.session.commit()
    return sorted(claimed)


def deliver(ids: list[int] | None = None, limit: int = 200) -> tuple[int, int]:
    """Send unsent messages (those given, or all that are due) and commit each chunk's outcomes.

    Returns (sent, failed). A failed message keeps its error and is retried later, with a backoff
    that grows to at most an hour: nothing is ever given up on. When the server cannot be reached,
    the rest of the batch waits for the next run instead of each timing out in turn.
    """
    config = current_app.config
    query = select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None))
    if ids is not None:
        if not ids:
            return 0, 0
        query = query.where(OutboxMessage.id.in_(ids))
    else:
        query = query.where(OutboxMessage.next_attempt_at <= utcnow())
    candidates = db.session.scalars(query.order_by(OutboxMessage.id).limit(limit)).all()
    sent = failed = 0
    transport = _Smtp(config) if config["MAIL_BACKEND"] == "smtp" else None
    try:
        for start in range(0, len(candidates), SEND_CHUNK):
            claimed = _claim_many(candidates[start:start + SEND_CHUNK], utcnow())
            messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(claimed))
                                          .order_by(OutboxMessage.id)).all() if claimed else []
            done, not_done, transport, unreachable = _send_chunk(messages, transport, config)
            sent, failed = sent + done, failed + not_done
            db.session.commit()
            if unreachable:
                break  # the server is unreachable: the others wait for the next run
    finally:
        if transport is not None:
            transport.close()
    return sent, failed


def _send_chunk(messages: list[OutboxMessage], transport, config):
    """Send each claimed message and note its outcome (committed by the caller). Returns (sent, failed, the
    transport to go on with, whether the server is unreachable); once it is, the rest of the chunk is let go
    for the next run."""
    sent = failed = 0
    for n, message in enumerate(messages):
        message.attempts += 1
        try:
            if transport is None:
                extra = "".join(f"{name}: {value}\n" for name, value in (message.headers or {}).items())
                print(f"\n----- mail to {message.recipient} -----\nSubject: {message.subject}\n{extra}\n"
                      f"{message.body}\n-----", flush=True)
            else:
                transport.send(_email(message))
        except Exception as error:  # noqa: BLE001 - any failure leaves the message for a retry
            failed += 1
            message.last_error = f"{type(error).__name__}: {error}"[:1000]
            message.next_attempt_at = utcnow() + min(timedelta(minutes=2 ** min(message.attempts, 10)), MAX_BACKOFF)
            message.claimed_until = None
            if transport is not None and transport.connection is None:
                for untried in messages[n + 1:]:
                    untried.claimed_until = None
                return sent, failed, transport, True
            if transport is not None:
                transport.close()
                transport = _Smtp(config)
        else:
            sent += 1
            message.sent_at = utcnow()
            # The copy kept for the record holds no usable link (invitation, reset, confirmation).
            message.body = redact_tokens(message.body)
            if message.headers:  # the one-click unsubscribe link too
                message.headers = {name: redact_tokens(value) for name, value in message.headers.items()}
            message.last_error = ""
            message.claimed_until = None
    return sent, failed, transport, False


def send_after_response(response, ids: list[int]):
    """Send the given messages once the response has gone to the client.

    The change is already committed; the client does not wait for SMTP, and a request that sends mail
    takes no longer than one that does not (no timing hint about, say, which emails have accounts).
    """
    app = current_app._get_current_object()

    def send():
        with app.app_context():
            try:
                deliver(ids)
            except Exception:  # noqa: BLE001 - the messages stay in the outbox for `flask mail send`
                app.logger.exception("sending mail after the response failed")

    response.call_on_close(send)
    return response
