"""Telling the whole alliance (app/notifications/broadcast.py) costs what the work is: a constant number of
statements per batch of people, each text rendered once per language, and the hourly reminder committed a
batch at a time, going on where a stopped run left off."""
from datetime import timedelta

import pytest
from flask import template_rendered
from sqlalchemy import func, insert, select

from app import permissions
from app.accounts.models import User
from app.audit.services import record
from app.declarations.models import Declaration
from app.extensions import db
from app.mail.models import OutboxMessage
from app.notifications import broadcast, services
from app.notifications.models import Notification
from app.notifications.services import closing_reminders
from app.notifications.unsubscribe import SETTINGS_SAVED, out_of_date, read_token
from tests.helpers import QueryCounter, password_hash

LANGUAGES = ("en", "ur")


def _members(app, organization, count, start=0):
    """count members of the organization, alternately in English and Urdu, one INSERT."""
    with app.app_context():
        db.session.execute(insert(User), [
            {"email": f"many{n}@example.org", "name": f"Many {n}", "password_hash": password_hash(),
             "organization_id": organization.id, "org_role": "member", "language": LANGUAGES[n % 2]}
            for n in range(start, start + count)])
        db.session.commit()


def _closing(app, declaration):
    with app.app_context():
        db.session.get(Declaration, declaration.id).consultation_deadline = \
            db.session.scalar(select(func.current_timestamp())) + timedelta(hours=30)
        db.session.commit()


def _told(app, kind="consultation_closing") -> dict[int, int]:
    with app.app_context():
        return dict(db.session.execute(select(Notification.user_id, func.count()).where(Notification.kind == kind)
                                       .group_by(Notification.user_id)).all())


def _remind(app, counter=None) -> int:
    """The job's loop as the command runs it: a commit after each batch. Returns the commits."""
    commits = 0
    with app.app_context():
        for _batch in closing_reminders():
            db.session.commit()
            commits += 1
        db.session.commit()
    return commits


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(broadcast, "BATCH", 5)


def test_the_reminder_commits_a_batch_at_a_time_and_tells_everyone_once(app, people, consultation,
                                                                        make_organization, small_batches):
    _members(app, make_organization("Many Voices Forum"), 17)
    _closing(app, consultation)
    with app.app_context():
        everyone = db.session.scalar(select(func.count()).select_from(User).where(
            permissions.alliance_members_clause(User)))
    commits = _remind(app)
    told = _told(app)
    assert commits == -(-everyone // 5) >= 4  # one commit per batch of five
    assert len(told) == everyone and set(told.values()) == {1}
    _remind(app)  # the next hour: nothing new
    assert set(_told(app).values()) == {1}


def test_a_run_that_stopped_half_way_goes_on_where_it_stopped(app, people, consultation, make_organization,
                                                              small_batches, monkeypatch):
    _members(app, make_organization("Many Voices Forum"), 12)
    _closing(app, consultation)
    real_tell, calls = broadcast.tell, []

    def fail_on_third(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the machine went down")
        return real_tell(*args)

    monkeypatch.setattr(broadcast, "tell", fail_on_third)
    with pytest.raises(RuntimeError):
        _remind(app)
    with app.app_context():
        db.session.rollback()
    assert len(_told(app)) == 10  # two batches committed before the stop
    monkeypatch.setattr(broadcast, "tell", real_tell)
    _remind(app)
    told = _told(app)
    assert set(told.values()) == {1} and len(told) > 10  # the rest, and no one twice
    _members(app, make_organization("Late Joiners Forum"), 3, start=100)  # people who join before the deadline
    _remind(app)
    assert len(_told(app)) == len(told) + 3 and set(_told(app).values()) == {1}


def test_a_new_deadline_is_a_new_reminder(app, people, consultation, small_batches):
    _closing(app, consultation)
    _remind(app)
    first = _told(app)
    with app.app_context():
        db.session.get(Declaration, consultation.id).consultation_deadline += timedelta(hours=5)
        db.session.commit()
    _remind(app)
    assert _told(app) == {user_id: 2 for user_id in first}


def test_statements_per_batch_do_not_grow_with_the_people(app, people, consultation, make_organization,
                                                          small_batches):
    organization = make_organization("Many Voices Forum")
    _members(app, organization, 8)
    _closing(app, consultation)
    with QueryCounter(app) as few:
        _remind(app)
    with app.app_context():
        db.session.execute(Notification.__table__.delete())
        db.session.get(Declaration, consultation.id).closing_reminder_sent_for = None
        db.session.commit()
    _members(app, organization, 40, start=8)
    with QueryCounter(app) as many:
        _remind(app)
    extra_batches = 40 // 5
    # each batch: the people (with their organization and institution joined), their settings versions, the
    # notifications, the emails, the progress (UPDATE), the commit's reload of the declaration
    assert many.count - few.count <= 7 * extra_batches


def test_each_text_is_rendered_once_per_language(app, people, consultation, make_organization, small_batches):
    _members(app, make_organization("Many Voices Forum"), 20)
    _closing(app, consultation)
    rendered = []

    def remember(sender, template, context, **extra):
        rendered.append(template.name)

    template_rendered.connect(remember, app)
    try:
        _remind(app)
    finally:
        template_rendered.disconnect(remember, app)
    assert rendered.count("notifications/consultation_closing.txt") == 2  # English and Urdu
    # the email: once per language and reason ("you are a member", "you are a representative of …", …)
    assert rendered.count("mail/notification.txt") <= 2 * 4


def test_each_email_is_the_persons_own(app, people, consultation, make_organization, mailbox):
    _members(app, make_organization("Many Voices Forum"), 4)
    _closing(app, consultation)
    result = app.test_cli_runner().invoke(args=["notifications", "remind"])
    assert result.exit_code == 0, result.output
    assert "reminder(s) written in" in result.output and "0 failed" in result.output
    english, urdu = mailbox.to("many0@example.org")[0], mailbox.to("many1@example.org")[0]
    assert "Hello Many 0," in english["body"] and "closing soon" in english["subject"]
    assert "Many 1" in urdu["body"] and "Many 0" not in urdu["body"] and "lang=ur" in urdu["body"]
    assert "Hello" not in urdu["body"]
    for message in (english, urdu):
        assert "\x00" not in message["body"]


def test_each_unsubscribe_link_is_the_persons_own(app, people, consultation, make_organization):
    _members(app, make_organization("Many Voices Forum"), 4)
    _closing(app, consultation)
    with app.app_context():  # one of them has saved their settings (twice): their links carry that version
        saver = db.session.scalar(select(User).where(User.email == "many2@example.org"))
        for _time in range(2):
            record(saver, SETTINGS_SAVED, saver)
        db.session.commit()
    _remind(app)  # written, not sent yet (a sent message's link is redacted)
    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient.like("many%"))).all()
        assert len(messages) == 4
        for message in messages:
            token = message.headers["List-Unsubscribe"].strip("<>").rsplit("/", 1)[1]
            link = read_token(token)
            assert link.user.email == message.recipient and not out_of_date(link)
            assert (link.settings > 0) == (message.recipient == "many2@example.org")


def _digest_waiting(app, count, start=0):
    """count people who chose the daily digest, each with two notifications waiting."""
    with app.app_context():
        db.session.execute(insert(User), [
            {"email": f"daily{n}@example.org", "name": f"Daily {n}", "password_hash": password_hash(),
             "is_expert": True, "notification_mode": "daily", "language": LANGUAGES[n % 2]}
            for n in range(start, start + count)])
        ids = db.session.scalars(select(User.id).where(User.email.like("daily%"), User.id.not_in(
            select(Notification.user_id)))).all()
        db.session.execute(insert(Notification), [
            {"user_id": user_id, "kind": "reply", "subject": f"News {k}", "body": "…", "link": "", "delivery": "daily"}
            for user_id in ids for k in range(2)])
        db.session.commit()


def _digest(app) -> str:
    result = app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert result.exit_code == 0, result.output
    return result.output


def _written_digests(app) -> int:
    with app.app_context():
        count = sum(services.digests())
        db.session.commit()
    return count


def test_the_digest_costs_the_same_per_batch_however_many_wait(app, mailbox, monkeypatch):
    monkeypatch.setattr(services, "DIGEST_BATCH", 5)
    _digest_waiting(app, 6)
    with QueryCounter(app) as few:
        assert _written_digests(app) == 6
    _digest_waiting(app, 46, start=6)
    with QueryCounter(app) as many:
        assert _written_digests(app) == 46
    # per batch of five: the people, their notifications, their settings versions, the UPDATE, the emails
    assert many.count - few.count <= 5 * (-(-46 // 5) - -(-6 // 5)), (few.count, many.count)
    with app.app_context():
        assert not db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.delivery == "daily", Notification.emailed_at.is_(None)))


def test_the_digest_command_sends_each_persons_own(app, mailbox):
    _digest_waiting(app, 3)
    _mode_none = "daily1@example.org"
    with app.app_context():
        db.session.scalar(select(User).where(User.email == _mode_none)).notification_mode = "none"
        db.session.commit()
    assert _digest(app).startswith("2 digest(s) written, 2 sent, 0 failed")
    [digest] = mailbox.to("daily2@example.org")
    assert "News 0" in digest["body"] and "News 1" in digest["body"] and "Daily 2" in digest["body"]
    assert not mailbox.to(_mode_none)
    assert _digest(app).startswith("0 digest(s)")
