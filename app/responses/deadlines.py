"""Answers on time, once the dates pass (issue 27): the silence every page shows — each recommendation still
without a published answer from an institution it is addressed to, N days after that institution's answer date;
each receipt not acknowledged, N days after its date — and the reminders the institutions' reviewers get a few
days before each date and once after it, while the work is not done.

The dates themselves are set and moved in app/submissions/deadlines.py. A recommendation addressed to nobody in
particular is every recipient's to answer (services.outside_remit)."""
from dataclasses import dataclass
from datetime import date, timedelta

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import String, and_, cast, func, literal, or_, select, update
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.choices import PlatformRole
from app.database import json_list_contains
from app.extensions import db
from app.institutions.models import Institution
from app.links import absolute_url
from app.notifications.broadcast import Message, tell
from app.notifications.services import settings_link, why_line
from app.responses.models import Answer
from app.submissions.deadlines import of_submission, site_today
from app.submissions.models import (
    RecipientDeadline,
    Submission,
    SubmissionClosure,
    SubmissionRecipient,
    SubmittedRecommendation,
)

SOON = 3  # days before a date when its reviewers are reminded of it
LATE_WINDOW = 30  # after a date, how long a job that did not run may still send its one reminder
BATCH = 50  # deadlines a batch reminds (each batch committed on its own: cli._each_batch_committed)
PER_RUN = 1000  # deadlines a run reminds at most; the next run goes on where it stopped


@dataclass(frozen=True)
class Silence:
    """What an institution has not done, days after its deadline."""
    institution_id: int
    name: str
    days: int


def addressed(addressees, institution_id: int) -> bool:
    """The recommendation is the institution's to answer: addressed to it, or to nobody in particular."""
    return not addressees or institution_id in addressees


# --- the silence on the pages ----------------------------------------------------------------

def on_dossier(submission: Submission, today: date | None = None) -> dict:
    """What the dossier shows of its deadlines: the dates per institution, how many addressed recommendations
    each has not answered, the receipts not acknowledged after their date, the institutions with answers missing
    after their date, and per recommendation the institutions silent after their answer date. Three queries,
    whatever the history: the deadlines, the submission's recommendations (their addressees) and the pairs
    answered."""
    today = today or site_today()
    deadlines = of_submission(submission.id)
    names = {r.institution_id: r.institution.name for r in submission.recipients}
    items = db.session.execute(select(SubmittedRecommendation.recommendation_id, SubmittedRecommendation.addressees)
                               .where(SubmittedRecommendation.submission_id == submission.id)).all()
    answered = set(db.session.execute(
        select(SubmittedRecommendation.recommendation_id, Answer.institution_id).distinct()
        .join(Answer, Answer.item_id == SubmittedRecommendation.id)
        .where(SubmittedRecommendation.submission_id == submission.id, Answer.published_at.is_not(None))).all())
    unanswered = {i: sum(1 for rec, to in items if addressed(to, i) and (rec, i) not in answered) for i in names}
    silent: dict[int, list[Silence]] = {}
    for institution_id, deadline in sorted(deadlines.items(), key=lambda pair: names.get(pair[0], "")):
        if deadline.answer_by < today and institution_id in names:
            late = Silence(institution_id, names[institution_id], (today - deadline.answer_by).days)
            for rec, to in items:
                if addressed(to, institution_id) and (rec, institution_id) not in answered:
                    silent.setdefault(rec, []).append(late)
    unacknowledged = [Silence(r.institution_id, r.institution.name, (today - d.acknowledge_by).days)
                      for r in submission.recipients if r.acknowledged_at is None
                      and (d := deadlines.get(r.institution_id)) is not None and d.acknowledge_by < today]
    late = [Silence(i, names[i], (today - d.answer_by).days) for i, d in deadlines.items()
            if i in names and d.answer_by < today and unanswered[i]]
    return {"deadlines": deadlines, "unanswered": unanswered, "silent": silent, "unacknowledged": unacknowledged,
            "late": sorted(late, key=lambda s: s.name), "today": today}


def _late_answers(submission_ids, today: date) -> list:
    """(submission id, institution id, answer date, institution name) of the deadlines for answers that have
    passed, for these submissions (a page's: a handful)."""
    return db.session.execute(
        select(RecipientDeadline.submission_id, RecipientDeadline.institution_id, RecipientDeadline.answer_by,
               Institution.name).join(Institution, Institution.id == RecipientDeadline.institution_id)
        .where(RecipientDeadline.submission_id.in_(sorted(set(submission_ids))), RecipientDeadline.answer_by < today)
        .order_by(Institution.name)).all()


def on_recommendation(item: SubmittedRecommendation, record: dict, today: date | None = None) -> list[Silence]:
    """The institutions silent on this recommendation after their answer date (record: the recommendation
    page's, queries.recommendation_record, whose current answers are published ones). One query."""
    today = today or site_today()
    answered = {slot["institution"].id for slot in record["answers"] if slot["current"] is not None}
    return [Silence(institution_id, name, (today - answer_by).days)
            for _submission, institution_id, answer_by, name in _late_answers([item.submission_id], today)
            if addressed(item.addressees, institution_id) and institution_id not in answered]


def on_tracker_rows(rows: list[dict], today: date | None = None) -> None:
    """Add to each of a tracker page's rows (app/responses/tracker.py rows: the item and its current published
    answers) the institutions silent on it after their answer date, as row["silent"]. One query, for the page's
    submissions only."""
    today = today or site_today()
    late: dict[int, list] = {}
    if rows:
        for submission_id, institution_id, answer_by, name in _late_answers([r["item"].submission_id for r in rows],
                                                                            today):
            late.setdefault(submission_id, []).append(Silence(institution_id, name, (today - answer_by).days))
    for row in rows:
        answered = {answer.institution_id for answer in row["answers"]}
        row["silent"] = [s for s in late.get(row["item"].submission_id, ())
                         if addressed(row["item"].addressees, s.institution_id) and s.institution_id not in answered]


def unanswered_count(items, answers: dict, institution_id: int) -> int:
    """Of a reviewer's workspace (its items and queries.institution_answers), the recommendations addressed to the
    institution that have no published answer from it."""
    return sum(1 for item in items if addressed(item.addressees, institution_id)
               and (answers.get(item.id) or {}).get("published") is None)


# --- the reminders ---------------------------------------------------------------------------

def _addressed_clause():
    """SQL: the submitted recommendation is the deadline's institution's to answer (addressed()): its JSON list
    of addressees is empty or holds the institution's id (",1,12," contains ",12,", spaces dropped)."""
    listed = func.replace(func.replace(func.replace(cast(SubmittedRecommendation.addressees, String), " ", ""),
                                       "[", ","), "]", ",")
    return or_(listed == ",,", listed.contains(literal(",") + cast(RecipientDeadline.institution_id, String)
                                               + literal(",")))


def _work_not_done(kind: str):
    """SQL, on a deadline joined to its recipient: what the reminder is about is still not done."""
    if kind.startswith("acknowledge"):
        return SubmissionRecipient.acknowledged_at.is_(None)
    published = select(Answer.id).where(Answer.item_id == SubmittedRecommendation.id,
                                        Answer.institution_id == RecipientDeadline.institution_id,
                                        Answer.published_at.is_not(None)).exists()
    return select(SubmittedRecommendation.id).where(
        SubmittedRecommendation.submission_id == RecipientDeadline.submission_id, _addressed_clause(),
        ~published).exists()


def _window(kind: str, today: date):
    """SQL: the deadline's date is near enough for this reminder (a range on its index)."""
    column = RecipientDeadline.acknowledge_by if kind.startswith("acknowledge") else RecipientDeadline.answer_by
    if kind.endswith("soon"):
        return column.between(today, today + timedelta(days=SOON))
    return column.between(today - timedelta(days=LATE_WINDOW), today - timedelta(days=1))


def due_reminders(kind: str, today: date, limit: int = BATCH):
    """The next deadlines whose `kind` reminder is due: near their date, not yet sent, follow-up open, the work
    not done. Read from the index on the date, only the rows within its window."""
    return db.session.execute(
        select(RecipientDeadline, Submission.title)
        .join(SubmissionRecipient, and_(SubmissionRecipient.submission_id == RecipientDeadline.submission_id,
                                        SubmissionRecipient.institution_id == RecipientDeadline.institution_id))
        .join(Submission, Submission.id == RecipientDeadline.submission_id)
        .outerjoin(SubmissionClosure, SubmissionClosure.submission_id == RecipientDeadline.submission_id)
        .where(_window(kind, today), ~json_list_contains(RecipientDeadline.reminded, kind),
               SubmissionClosure.submission_id.is_(None), _work_not_done(kind))
        .order_by(RecipientDeadline.submission_id, RecipientDeadline.institution_id).limit(limit)
        .execution_options(populate_existing=True)).all()


def deadline_reminders(today: date | None = None):
    """Remind the reviewers of each institution of its deadlines, a few days (SOON) before each and once after
    it, while the work is not done: a batch of deadlines at a time, yielding how many people each batch told,
    for the caller (`flask notifications deadlines`) to commit between batches. Each reminder is sent once
    (RecipientDeadline.reminded, marked in the same transaction); at most PER_RUN deadlines a run."""
    today = today or site_today()
    done = 0
    for kind in ("acknowledge_late", "answer_late", "acknowledge_soon", "answer_soon"):
        while done < PER_RUN:
            rows = due_reminders(kind, today, min(BATCH, PER_RUN - done))
            if not rows:
                break
            done += len(rows)
            yield sum(_remind(deadline, title, kind, today) for deadline, title in rows)


def _remind(deadline: RecipientDeadline, title: str, kind: str, today: date) -> int:
    """Mark the reminder sent (only if the dates did not move meanwhile) and tell the institution's reviewers.
    Returns how many were told."""
    marked = db.session.execute(update(RecipientDeadline).where(
        RecipientDeadline.submission_id == deadline.submission_id,
        RecipientDeadline.institution_id == deadline.institution_id,
        RecipientDeadline.set_at == deadline.set_at).values(reminded=[*(deadline.reminded or []), kind])
        .execution_options(synchronize_session=False)).rowcount
    if not marked:
        return 0
    reviewers = db.session.scalars(select(User).options(joinedload(User.institution)).where(
        User.institution_id == deadline.institution_id, User.platform_role == PlatformRole.REVIEWER,
        User.active.is_(True)).order_by(User.id)).all()
    on = deadline.acknowledge_by if kind.startswith("acknowledge") else deadline.answer_by
    message = Message(kind="deadline", link=absolute_url("responses.workspace", submission_id=deadline.submission_id),
                      why=lambda user: why_line(user, "submission"), subject_and_body=lambda: (
                          _subject(kind, title),
                          render_template("notifications/deadline_reminder.txt", kind=kind, title=title, on=on,
                                          days=abs((on - today).days),
                                          institution=reviewers[0].institution.name if reviewers else "")))
    return tell(reviewers, message, settings_link())


def _subject(kind: str, title: str) -> str:
    if kind == "acknowledge_soon":
        return _("Acknowledge receipt soon: %(title)s", title=title)
    if kind == "acknowledge_late":
        return _("Receipt not acknowledged after the deadline: %(title)s", title=title)
    if kind == "answer_soon":
        return _("Answers due soon: %(title)s", title=title)
    return _("Answers overdue: %(title)s", title=title)
