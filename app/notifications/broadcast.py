"""Telling many people at once (the whole alliance, everyone who may sign): in batches of BATCH people, a
constant number of statements per batch (the people, their settings versions, one INSERT of the
notifications, one of the emails), and each text rendered once per language, not once per person.

notify() in services.py tells one person; what it writes for a person, this writes the same: the
notification in their language with their delivery, and for immediate delivery the email with the why line
and the one-click unsubscribe headers. A request tells everyone in its one transaction (tell_all); a
scheduled job commits after each batch (batches()), so on SQLite the site's writes never wait behind it for
longer than one batch's two INSERTs."""
import secrets
from dataclasses import dataclass, field

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.extensions import db
from app.links import with_language
from app.mail.services import queue_many
from app.notifications.models import Notification
from app.notifications.unsubscribe import settings_versions, unsubscribe_headers, unsubscribe_link_prefix
from app.time import utcnow

BATCH = 100


@dataclass
class Message:
    """What to tell: the kind, subject_and_body() (called once per language, in it), and the link. why(user):
    the line saying why a person gets it, by default services.why_line (once per language and reason)."""
    kind: str
    subject_and_body: object
    link: str
    why: object
    bulk: bool = True
    _texts: dict = field(default_factory=dict)
    _mails: dict = field(default_factory=dict)

    def texts(self, language: str) -> tuple[str, str]:
        if language not in self._texts:
            with force_locale(language):
                subject, body = self.subject_and_body()
            self._texts[language] = (str(subject)[:255], body)
        return self._texts[language]

    def mail(self, user: User, settings_link: str) -> str:
        """The email's body for this person: rendered once per language and why line with a stand-in for the
        name, which is then put in (the only part that differs from person to person)."""
        language = user.language
        with force_locale(language):
            why = str(self.why(user))
            key = (language, why)
            if key not in self._mails:
                stand_in = f"\x00name-{secrets.token_hex(8)}\x00"
                subject, body = self.texts(language)
                rendered = render_template("mail/notification.txt", user=_Named(stand_in),
                                           notification=_Told(body, self.link), why=why, settings_link=settings_link)
                self._mails[key] = (with_language(rendered, language), stand_in)
        template, stand_in = self._mails[key]
        return template.replace(stand_in, user.name)


@dataclass
class _Named:
    name: str


@dataclass
class _Told:
    body: str
    link: str


def people_after(clause, after_id: int) -> list[User]:
    """The next batch (BATCH) of active people matching clause (an SQL condition on User), in id order: keyset
    paging, so each batch costs the same however far the job has come."""
    return db.session.scalars(select(User).options(joinedload(User.organization), joinedload(User.institution))
                              .where(clause, User.active.is_(True), User.id > after_id)
                              .order_by(User.id).limit(BATCH)).all()


def tell(people: list[User], message: Message, settings_link: str) -> int:
    """Write the notifications (and emails, for those who chose immediate email) of one batch: one query for
    the unsubscribe links' settings versions, one INSERT of notifications, one of emails. Returns how many
    people were told."""
    people = [person for person in people if person.active]
    if not people:
        return 0
    immediate = [person for person in people if person.notification_mode == "immediate"]
    versions = settings_versions([person.id for person in immediate]) if message.bulk else {}
    now, prefix = utcnow(), unsubscribe_link_prefix()
    emails = []
    for person in immediate:
        subject, _body = message.texts(person.language)
        emails.append({"recipient": person.email, "subject": subject, "body": message.mail(person, settings_link),
                       "headers": unsubscribe_headers(person, settings=versions.get(person.id, 0), prefix=prefix)
                       if message.bulk else None})
    # render_nulls: one executemany for the batch (the ORM would otherwise split the rows by which are None)
    db.session.execute(insert(Notification).execution_options(render_nulls=True), [
        {"user_id": person.id, "kind": message.kind, "subject": message.texts(person.language)[0],
         "body": message.texts(person.language)[1], "link": message.link, "delivery": person.notification_mode,
         "created_at": now, "emailed_at": now if person.notification_mode == "immediate" else None}
        for person in people])
    queue_many(emails)
    return len(people)


def batches(clause, message: Message, settings_link: str, after_id: int = 0):
    """Tell everyone matching clause, a batch at a time: yields (people told in the batch, the last id), for
    the caller to commit and remember its progress between batches."""
    while True:
        people = people_after(clause, after_id)
        if not people:
            return
        after_id = people[-1].id
        yield tell(people, message, settings_link), after_id


def tell_all(clause, message: Message, settings_link: str) -> int:
    """Tell everyone matching clause within the current transaction (a request's one commit)."""
    return sum(told for told, _last in batches(clause, message, settings_link))
