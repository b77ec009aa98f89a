"""Answers on time (issue 27): by when each institution a submission went to should acknowledge receipt and
answer. The coordinator sets both dates per institution when submitting (the alliance's settings suggest them),
and may move them later, or give them to a submission made before there were deadlines: audited, before and
after. The submission itself never changes; its deadlines live beside it (RecipientDeadline).

What the dates mean once they pass (the silence shown on the pages, the reminders) is the responses area's
(app/responses/deadlines.py): it knows which answers were published."""
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import insert, select

from app import permissions
from app.audit.services import record
from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.formatting import format_date_only
from app.settings import services as alliance_settings
from app.submissions.models import RecipientDeadline, Submission, SubmissionClosure
from app.time import local_date, utcnow

# The reminders RecipientDeadline.reminded names, by the date they are about: moving a date clears its own.
REMINDERS = {"acknowledge_by": ("acknowledge_soon", "acknowledge_late"), "answer_by": ("answer_soon", "answer_late")}
FIELDS = ("acknowledge_by", "answer_by")
LONGEST_DAYS = 5 * 365 + 1  # the furthest a deadline may lie from today: five years


def site_today() -> date:
    """Today in the site's time zone: a deadline is the whole of its day there."""
    return local_date(utcnow())


def default_dates(day: date) -> tuple[date, date]:
    """The dates the alliance's settings suggest for a submission made on `day`: receipt acknowledged within
    acknowledge_days, answers within answer_days (and never before the acknowledgement)."""
    settings = alliance_settings.current()
    acknowledge_by = day + timedelta(days=settings.acknowledge_days)
    return acknowledge_by, max(acknowledge_by, day + timedelta(days=settings.answer_days))


def problem(acknowledge_by: date | None, answer_by: date | None, today: date,
            kept: RecipientDeadline | None = None) -> tuple[str, str] | None:
    """(the field to fix, what to say) when these dates cannot be set, or None. A date may not lie before
    today, nor more than five years ahead; a date already set (`kept`) that has passed stays as it is: whether
    the institution kept it is on the public record, and moving it would rewrite that record."""
    if acknowledge_by is None or answer_by is None:
        field = "acknowledge_by" if acknowledge_by is None else "answer_by"
        return field, missing(field)
    for field, chosen in (("acknowledge_by", acknowledge_by), ("answer_by", answer_by)):
        before = getattr(kept, field) if kept is not None else None
        if before is not None and before < today and chosen != before:
            return field, _("This deadline passed on %(date)s and stays on record: whether it was kept is part of "
                            "the follow-up. Set it back to %(date)s.", date=format_date_only(before))
        if chosen < today and chosen != before:
            return field, _("%(date)s has passed. Give today or a later date.", date=format_date_only(chosen))
        if chosen > today + timedelta(days=LONGEST_DAYS):
            return field, _("Give a date within five years, by %(date)s at the latest.",
                            date=format_date_only(today + timedelta(days=LONGEST_DAYS)))
    if answer_by < acknowledge_by:
        return "answer_by", _("Answers cannot be due before receipt is acknowledged: give %(date)s or later.",
                              date=format_date_only(acknowledge_by))
    return None


def missing(field: str) -> str:
    """What to say of a date left empty."""
    if field == "acknowledge_by":
        return _("Give the date by which receipt should be acknowledged.")
    return _("Give the date by which answers are due.")


def chosen_dates(institutions, deadlines: dict | None, today: date) -> dict[int, tuple[date, date]]:
    """The deadlines a submission made today gives each of its institutions: those the coordinator chose, the
    settings' for any not given. Refuses (RuleError, naming the institution) dates that cannot be set."""
    suggested = default_dates(today)
    dates = {}
    for institution in institutions:
        acknowledge_by, answer_by = (deadlines or {}).get(institution.id) or suggested
        lacking = problem(acknowledge_by, answer_by, today)
        if lacking:
            raise RuleError(_("Deadlines for %(institution)s: %(problem)s", institution=institution.name,
                              problem=lacking[1]))
        dates[institution.id] = (acknowledge_by, answer_by)
    return dates


def write_at_submission(actor, submission: Submission, dates: dict[int, tuple[date, date]]) -> None:
    """The submission's deadlines, in its own transaction (one INSERT): submit() records them in its audit
    entry."""
    now = utcnow()
    db.session.execute(insert(RecipientDeadline), [
        {"submission_id": submission.id, "institution_id": institution_id, "acknowledge_by": acknowledge_by,
         "answer_by": answer_by, "reminded": [], "set_by_id": actor.id, "set_at": now}
        for institution_id, (acknowledge_by, answer_by) in dates.items()])


def of_submission(submission_id: int) -> dict[int, RecipientDeadline]:
    """Institution id → its deadlines, for the institutions that have them (one query, as many rows as
    recipients)."""
    return {row.institution_id: row for row in db.session.scalars(
        select(RecipientDeadline).where(RecipientDeadline.submission_id == submission_id))}


def of_recipient(submission_id: int, institution_id: int) -> RecipientDeadline | None:
    return db.session.get(RecipientDeadline, (submission_id, institution_id))


def stamp(deadline: RecipientDeadline | None) -> str:
    """The deadlines as the page that moves them showed them ("none" when there were none): sent back with
    the form, so that a change made meanwhile by another coordinator is not overwritten blind."""
    return f"{deadline.acknowledge_by.isoformat()}/{deadline.answer_by.isoformat()}" if deadline else "none"


def move(actor, submission: Submission, institution_id: int | None, *, acknowledge_by: date | None,
         answer_by: date | None, expected: str) -> bool:
    """Set or move an institution's deadlines (a submission made before there were deadlines gets its first
    ones here). The reminders already sent about a date that moves are forgotten, so that the new date gets
    its own. Audited with the dates before and after. False when nothing changed."""
    if not permissions.can_keep_record(actor):
        raise NotAllowed()
    recipient = submission.recipient(institution_id) if institution_id else None
    if recipient is None:
        raise RuleError(_("That institution is not one this submission went to. Nothing was changed."))
    if db.session.get(SubmissionClosure, submission.id) is not None:
        raise RuleError(_("The follow-up of this submission is closed: its deadlines stay as they are."))
    current = db.session.scalar(select(RecipientDeadline).where(
        RecipientDeadline.submission_id == submission.id, RecipientDeadline.institution_id == institution_id)
        .with_for_update().execution_options(populate_existing=True))
    if stamp(current) != expected:
        raise RuleError(_("The deadlines of %(institution)s were changed after this page was opened. Check the "
                          "dates it shows now and save again.", institution=recipient.institution.name))
    lacking = problem(acknowledge_by, answer_by, site_today(), current)
    if lacking:
        raise RuleError(lacking[1])
    after = {"acknowledge_by": acknowledge_by, "answer_by": answer_by}
    if current is None:
        db.session.add(RecipientDeadline(submission_id=submission.id, institution_id=institution_id, reminded=[],
                                         set_by_id=actor.id, set_at=utcnow(), **after))
        before = None
    else:
        before = {key: getattr(current, key) for key in FIELDS}
        if before == after:
            return False
        moved = [key for key in FIELDS if before[key] != after[key]]
        forgotten = {name for key in moved for name in REMINDERS[key]}
        current.reminded = [name for name in current.reminded or [] if name not in forgotten]
        current.acknowledge_by, current.answer_by = acknowledge_by, answer_by
        current.set_by_id, current.set_at = actor.id, utcnow()
    db.session.flush()
    record(actor, "deadlines_set" if before is None else "deadlines_moved", submission, institution=institution_id,
           before={k: v.isoformat() for k, v in before.items()} if before else None,
           after={k: v.isoformat() for k, v in after.items()})
    return True
