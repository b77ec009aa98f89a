"""`flask notifications deadlines` (issue 27): an institution's reviewers are reminded a few days before the date to
acknowledge receipt and the date for answers, and once after each while the work is not done; each reminder once,
as each reviewer chose (immediate email, digest, none), through the real SMTP test server."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, select

from app.accounts.models import User
from app.extensions import db
from app.notifications.models import Notification
from app.responses.deadlines import LATE_WINDOW, SOON, due_reminders
from app.submissions.models import RecipientDeadline, SubmissionClosure
from app.time import local_date, utcnow
from tests.helpers import login, publish_answers, sqlite_query_plans


def today(app):
    with app.app_context():
        return local_date(utcnow())


def set_dates(app, submission, institution_id, **days):
    """Move the deadline's dates to `days` from today, straight in the database (no reminder forgotten)."""
    with app.app_context():
        row = db.session.get(RecipientDeadline, (submission.id, institution_id))
        for key, value in days.items():
            setattr(row, key, local_date(utcnow()) + timedelta(days=value))
        db.session.commit()


def remind(app):
    result = app.test_cli_runner().invoke(args=["notifications", "deadlines"])
    assert result.exit_code == 0, result.output
    return result.output


def reminders_to(mailbox, person):
    return [m["subject"] for m in mailbox.to(person.email)
            if any(word in m["subject"] for word in ("Acknowledge receipt soon", "Receipt not acknowledged",
                                                     "Answers due soon", "Answers overdue"))]


def test_reviewers_are_reminded_before_the_acknowledgement_date_once(app, submitted, people, mailbox):
    declaration, submission = submitted
    set_dates(app, submission, people["reviewer"].institution_id, acknowledge_by=SOON - 1, answer_by=60)
    mailbox.clear()
    assert "1 reviewer(s) reminded" in remind(app)
    [mail] = [m for m in mailbox.to(people["reviewer"].email) if "Acknowledge receipt soon" in m["subject"]]
    assert submission.title in mail["subject"]
    assert "Please acknowledge receipt by" in mail["body"] and f"/submissions/{submission.id}/respond" in mail["body"]
    assert "You get this because you review what is submitted to" in mail["body"]
    assert "List-Unsubscribe" in mail["headers"]
    assert not mailbox.to(people["member"].email)  # only the institution's reviewers
    mailbox.clear()
    assert "0 reviewer(s) reminded" in remind(app)  # once
    assert not reminders_to(mailbox, people["reviewer"])
    with app.app_context():
        row = db.session.get(RecipientDeadline, (submission.id, people["reviewer"].institution_id))
        assert row.reminded == ["acknowledge_soon"]


def test_a_reminder_goes_once_after_the_date_while_receipt_is_not_acknowledged(app, submitted, people, mailbox):
    declaration, submission = submitted
    set_dates(app, submission, people["reviewer"].institution_id, acknowledge_by=-2, answer_by=60)
    mailbox.clear()
    remind(app)
    [mail] = [m for m in mailbox.to(people["reviewer"].email) if "Receipt not acknowledged" in m["subject"]]
    assert "2 days ago" in mail["body"] and "has not acknowledged receipt" in mail["body"]
    mailbox.clear()
    remind(app)
    assert not reminders_to(mailbox, people["reviewer"])


def test_nothing_is_sent_for_work_done_closed_follow_ups_or_dates_long_past(app, client, submitted, people,
                                                                         mailbox):
    declaration, submission = submitted
    institution = people["reviewer"].institution_id
    login(client, people["reviewer"].email)
    assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 303
    set_dates(app, submission, institution, acknowledge_by=-1, answer_by=LATE_WINDOW + 10)
    mailbox.clear()
    remind(app)
    assert not reminders_to(mailbox, people["reviewer"])  # acknowledged: no reminder about it
    set_dates(app, submission, institution, answer_by=-LATE_WINDOW - 1)
    remind(app)
    assert not reminders_to(mailbox, people["reviewer"])  # too long ago: not a row near its date
    set_dates(app, submission, institution, answer_by=1)
    with app.app_context():
        db.session.add(SubmissionClosure(submission_id=submission.id, closed_by_id=people["coordinator"].id))
        db.session.commit()
    remind(app)
    assert not reminders_to(mailbox, people["reviewer"])  # the follow-up is closed
    with app.app_context():
        db.session.execute(delete(SubmissionClosure))
        db.session.commit()
    remind(app)
    assert reminders_to(mailbox, people["reviewer"]) == [f"Answers due soon: {submission.title}"]


def test_the_answers_reminder_stops_once_every_addressed_recommendation_has_a_published_answer(
        app, client, submitted, people, mailbox):
    declaration, submission = submitted
    institution = people["reviewer"].institution_id
    login(client, people["reviewer"].email)
    client.post(f"/submissions/{submission.id}/acknowledge")
    for recommendation in declaration.recommendations:
        assert client.post(f"/submissions/{submission.id}/recommendations/{recommendation}/answer", data={
            "position": "supported", "explanation": "Units open next year.", "lead_institution": str(institution),
            "target_date": ""}).status_code == 303
    set_dates(app, submission, institution, answer_by=-1)
    mailbox.clear()
    remind(app)  # drafts are not answers the alliance can see: still overdue
    [mail] = [m for m in mailbox.to(people["reviewer"].email) if "Answers overdue" in m["subject"]]
    assert "1 day ago" in mail["body"] and "No answer from" in mail["body"]
    assert publish_answers(client, submission.id).status_code == 303
    with app.app_context():  # a new date for answers: its reminders are forgotten (as moving it does)
        row = db.session.get(RecipientDeadline, (submission.id, institution))
        row.reminded, row.answer_by = [], local_date(utcnow()) - timedelta(days=1)
        db.session.commit()
    mailbox.clear()
    remind(app)
    assert not reminders_to(mailbox, people["reviewer"])


def test_moving_a_date_sends_its_reminder_again_for_the_new_date(app, client, submitted, people, mailbox):
    declaration, submission = submitted
    institution = people["reviewer"].institution_id
    set_dates(app, submission, institution, acknowledge_by=1)
    remind(app)
    login(client, people["coordinator"].email)
    page = client.get(f"/submissions/{submission.id}/deadlines").get_data(as_text=True)
    expected = page.split('name="expected" value="', 1)[1].split('"', 1)[0]
    with app.app_context():
        answer_by = db.session.get(RecipientDeadline, (submission.id, institution)).answer_by
    moved = today(app) + timedelta(days=2)
    assert client.post(f"/submissions/{submission.id}/deadlines", data={
        "institution": str(institution), "expected": expected, "acknowledge_by": moved.isoformat(),
        "answer_by": answer_by.isoformat()}).status_code == 303
    mailbox.clear()
    remind(app)
    [subject] = reminders_to(mailbox, people["reviewer"])
    assert subject.startswith("Acknowledge receipt soon")


def test_each_reviewer_is_told_as_they_chose(app, submitted, people, make_user, mailbox):
    declaration, submission = submitted
    institution = people["reviewer"].institution_id
    colleague = make_user("reviewer", institution=SimpleNamespace(id=institution), email="digest@example.org")
    quiet = make_user("reviewer", institution=SimpleNamespace(id=institution), email="quiet@example.org")
    with app.app_context():
        db.session.get(User, colleague.id).notification_mode = "daily"
        db.session.get(User, quiet.id).notification_mode = "none"
        db.session.get(User, people["reviewer"].id).language = "ur"
        db.session.commit()
    set_dates(app, submission, institution, acknowledge_by=-1)
    mailbox.clear()
    assert "3 reviewer(s) reminded" in remind(app)
    [mail] = mailbox.to(people["reviewer"].email)
    assert "?lang=ur" in mail["body"]  # in the reviewer's language, its links too
    assert not mailbox.to(quiet.email) and not mailbox.to(colleague.email)
    with app.app_context():
        told = dict(db.session.execute(select(Notification.user_id, Notification.delivery)
                                       .where(Notification.kind == "deadline")).all())
    assert told == {people["reviewer"].id: "immediate", colleague.id: "daily", quiet.id: "none"}
    app.test_cli_runner().invoke(args=["notifications", "digest"])
    [digest] = mailbox.to(colleague.email)
    assert "Receipt not acknowledged" in digest["body"]


def test_the_job_reads_the_deadlines_near_their_dates_by_their_index(app, submitted):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the query plan is read on SQLite")

    def run():
        with app.app_context():
            for kind in ("acknowledge_soon", "acknowledge_late", "answer_soon", "answer_late"):
                due_reminders(kind, local_date(utcnow()))
    plans = sqlite_query_plans(app, run, lambda statement: "recipient_deadlines" in statement)
    assert len(plans) == 4
    for statement, steps in plans:
        first = next(step for step in steps if "recipient_deadlines" in step)
        assert "USING INDEX ix_recipient_deadlines_" in first and "_by" in first, (statement, steps)
