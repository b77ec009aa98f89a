"""The scorecard of a recipient institution: what it was sent and how it answered, summed up by the database.

Every figure is an aggregate over the submissions the reader may see (responses.tracker.visible: a visitor the
public declarations' dossiers, the alliance every submitted one, an institution's reviewers also those addressed to
their institution), optionally of one year. Nothing of the institution's history is read into Python: each
statement answers one row (the positions and the assessments a few grouped rows), the overdue list at most
OVERDUE_LISTED, the years one row a year.

The words of the rules:
- a submission is *received* by each institution it was addressed to; it is *acknowledged on time* when receipt was
  logged on or before the acknowledgement deadline's day (the site's time zone, app/scorecards/days.py);
- a recommendation is *addressed to* the institution when its submission went to the institution and it names the
  institution, names nobody in particular (every recipient's to answer: responses.services.outside_remit), or the
  institution published an answer to it all the same;
- it is *answered* when the institution published an answer to it (drafts never count), *on time* when the first
  one was published on or before the answer deadline's day; unanswered after that day, it is *overdue*;
- its *position* is the institution's current published answer (tracker.current_answer);
- the alliance's assessment of it is the latest one.
A submission without a deadline row (RecipientDeadline) is counted apart: "no deadline set".
"""
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, and_, case, cast, exists, func, or_, select
from sqlalchemy.orm import aliased

from app.choices import ASSESSMENTS, COMPLETION, PILLARS, POSITIONS
from app.declarations.models import Declaration
from app.extensions import db
from app.institutions.models import Institution
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.responses.tracker import current_answer, visible
from app.scorecards import days
from app.submissions.models import RecipientDeadline, Submission, SubmissionRecipient, SubmittedRecommendation
from app.time import local_date, utcnow

OVERDUE_LISTED = 10


@dataclass(frozen=True)
class Scope:
    """Whose scorecard, read by whom, for which year (None: every year), on which day."""
    viewer: Any
    institution_id: int
    year: int | None
    today: date
    shift: Any  # the site's offset from UTC (days.offset)


def scope_for(viewer, institution_id: int, year: int | None = None, today: date | None = None) -> Scope:
    return Scope(viewer, institution_id, year, today or local_date(utcnow()), days.offset())


def _count(condition):
    """COUNT(*) FILTER (WHERE condition), in the form both databases know."""
    return func.count(case((condition, 1)))


def _submissions_of(scope: Scope, recipient, *columns):
    """A select of `columns` over the institution's received submissions (the recipient alias) that the reader
    may see, of the year chosen."""
    statement = (select(*columns).select_from(recipient)
                 .join(Submission, Submission.id == recipient.submission_id)
                 .join(Declaration, Declaration.id == Submission.declaration_id)
                 .where(recipient.institution_id == scope.institution_id, visible(scope.viewer)))
    if scope.year is not None:
        start, end = days.year_bounds(scope.year, scope.shift)
        statement = statement.where(Submission.submitted_at >= start, Submission.submitted_at < end)
    return statement


def _deadline_of(scope: Scope):
    deadline = aliased(RecipientDeadline, name="deadline")
    return deadline, and_(deadline.submission_id == Submission.id, deadline.institution_id == scope.institution_id)


def _addressed(institution_id: int):
    """The recommendation is the institution's to answer (see the module's words)."""
    listed = func.replace(func.replace(func.replace(cast(SubmittedRecommendation.addressees, String), " ", ""),
                                       "[", ","), "]", ",")
    answered = aliased(Answer)
    return or_(listed.contains(f",{int(institution_id)},"), listed == ",,",
               exists(select(1).where(answered.item_id == SubmittedRecommendation.id,
                                      answered.institution_id == institution_id, answered.published_at.is_not(None))))


def _items_of(scope: Scope, *columns):
    """A select of `columns` over the recommendations addressed to the institution in the submissions above."""
    recipient = aliased(SubmissionRecipient, name="recipient")
    return (_submissions_of(scope, recipient, *columns)
            .join(SubmittedRecommendation, SubmittedRecommendation.submission_id == Submission.id)
            .where(_addressed(scope.institution_id)))


def submission_figures(scope: Scope) -> dict:
    """Submissions received; acknowledged on time, late, not yet (deadline passed or still ahead), no deadline set;
    the median days from submission to acknowledgement."""
    recipient = aliased(SubmissionRecipient, name="recipient")
    deadline, joined = _deadline_of(scope)
    acknowledged, has_deadline = recipient.acknowledged_at.is_not(None), deadline.submission_id.is_not(None)
    day = days.local_day(recipient.acknowledged_at, scope.shift)
    base = _submissions_of(scope, recipient, recipient.submission_id).outerjoin(deadline, joined)
    row = db.session.execute(base.with_only_columns(
        func.count().label("received"),
        _count(and_(has_deadline, acknowledged, day <= deadline.acknowledge_by)).label("acknowledged_on_time"),
        _count(and_(has_deadline, acknowledged, day > deadline.acknowledge_by)).label("acknowledged_late"),
        _count(and_(has_deadline, ~acknowledged, deadline.acknowledge_by < scope.today))
        .label("unacknowledged_deadline_passed"),
        _count(and_(has_deadline, ~acknowledged, deadline.acknowledge_by >= scope.today))
        .label("unacknowledged_deadline_ahead"),
        _count(~has_deadline).label("no_deadline"))).one()
    figures = dict(row._mapping)
    figures["median_days_to_acknowledge"] = days.median(
        days.days_between(recipient.acknowledged_at, Submission.submitted_at, scope.shift), base)
    return figures


def _first_published(institution_id: int):
    """When the institution first published an answer to the recommendation (None: never)."""
    return (select(func.min(Answer.published_at))
            .where(Answer.item_id == SubmittedRecommendation.id, Answer.institution_id == institution_id,
                   Answer.published_at.is_not(None))
            .correlate(SubmittedRecommendation).scalar_subquery())


def _answered_items(scope: Scope):
    """Per recommendation addressed to the institution: its submission's date, the answer deadline and when the
    institution first published an answer; a subquery."""
    deadline, joined = _deadline_of(scope)
    return (_items_of(scope, SubmittedRecommendation.id.label("item_id"),
                      SubmittedRecommendation.recommendation_id, SubmittedRecommendation.number,
                      Submission.id.label("submission_id"), Submission.title, Submission.submitted_at,
                      deadline.answer_by, _first_published(scope.institution_id).label("first_published"))
            .outerjoin(deadline, joined).subquery("item"))


def recommendation_figures(scope: Scope) -> dict:
    """Recommendations addressed to the institution; answered on time, late, not answered (deadline passed or still
    ahead), and without a deadline answered or not; the median days to the first published answer; of those
    answered, how many have an implementation update of the institution's in the last 12 months."""
    item = _answered_items(scope)
    answered, has_deadline = item.c.first_published.is_not(None), item.c.answer_by.is_not(None)
    day = days.local_day(item.c.first_published, scope.shift)
    recent = exists(select(1).where(ImplementationUpdate.item_id == item.c.item_id,
                                    ImplementationUpdate.institution_id == scope.institution_id,
                                    ImplementationUpdate.happened_on >= days.year_ago(scope.today)))
    row = db.session.execute(select(
        func.count().label("addressed"),
        _count(and_(answered, has_deadline, day <= item.c.answer_by)).label("answered_on_time"),
        _count(and_(answered, has_deadline, day > item.c.answer_by)).label("answered_late"),
        _count(and_(~answered, has_deadline, item.c.answer_by < scope.today)).label("unanswered_deadline_passed"),
        _count(and_(~answered, has_deadline, item.c.answer_by >= scope.today)).label("unanswered_deadline_ahead"),
        _count(and_(answered, ~has_deadline)).label("no_deadline_answered"),
        _count(and_(~answered, ~has_deadline)).label("no_deadline_unanswered"),
        _count(answered).label("answered"),
        _count(and_(answered, recent)).label("updated_last_12_months")).select_from(item)).one()
    figures = dict(row._mapping)
    figures["median_days_to_answer"] = days.median(
        days.days_between(item.c.first_published, item.c.submitted_at, scope.shift), select().select_from(item))
    figures["updated_share_percent"] = (round(100 * figures["updated_last_12_months"] / figures["answered"], 1)
                                        if figures["answered"] else None)
    return figures


def positions_by_pillar(scope: Scope) -> dict[str, dict[str, int]]:
    """Pillar → position → how many of the institution's current published answers take it; every pillar and
    position, in their order."""
    answer = aliased(Answer, name="answer")
    rows = db.session.execute(
        _items_of(scope, SubmittedRecommendation.pillar, answer.position, func.count())
        .join(answer, and_(answer.item_id == SubmittedRecommendation.id, answer.institution_id == scope.institution_id,
                           current_answer(answer)))
        .group_by(SubmittedRecommendation.pillar, answer.position)).all()
    counted = {(pillar, position): n for pillar, position, n in rows}
    return {pillar: {position: counted.get((pillar, position), 0) for position in POSITIONS} for pillar in PILLARS}


def assessment_figures(scope: Scope) -> dict[str, int]:
    """The alliance's latest assessment of each recommendation addressed to the institution, by rating: every step
    of the completion scale, then the earlier words some assessment still carries, then "none" (not assessed)."""
    newer = aliased(Assessment)
    latest = aliased(Assessment, name="assessment")
    counted = dict(db.session.execute(
        _items_of(scope, latest.rating, func.count())
        .outerjoin(latest, and_(latest.item_id == SubmittedRecommendation.id,
                                ~exists(select(1).where(newer.item_id == latest.item_id, newer.id > latest.id))))
        .group_by(latest.rating)).all())
    return {**{key: counted.get(key, 0) for key in COMPLETION},
            **{key: counted[key] for key in ASSESSMENTS if counted.get(key)}, "none": counted.get(None, 0)}


def overdue_items(scope: Scope, limit: int = OVERDUE_LISTED) -> list[dict]:
    """The recommendations longest overdue (answer deadline passed, no published answer), at most `limit`."""
    item = _answered_items(scope)
    rows = db.session.execute(
        select(item.c.recommendation_id, item.c.number, item.c.submission_id, item.c.title, item.c.answer_by)
        .where(item.c.first_published.is_(None), item.c.answer_by < scope.today)
        .order_by(item.c.answer_by, item.c.submission_id, item.c.number).limit(limit)).all()
    return [{"recommendation_id": r.recommendation_id, "number": r.number, "submission_id": r.submission_id,
             "submission_title": r.title, "answer_by": r.answer_by.isoformat(),
             "days_overdue": (scope.today - r.answer_by).days} for r in rows]


def years(scope: Scope) -> list[int]:
    """The years (local) of the institution's received submissions the reader may see, newest first."""
    recipient = aliased(SubmissionRecipient, name="recipient")
    year = days.local_year(Submission.submitted_at, scope.shift).label("year")
    everything = Scope(scope.viewer, scope.institution_id, None, scope.today, scope.shift)
    return list(db.session.scalars(_submissions_of(everything, recipient, year).distinct().order_by(year.desc())))


def scorecard(viewer, institution: Institution, year: int | None = None, today: date | None = None) -> dict:
    """The scorecard of `institution` as `viewer` may see it (None: a visitor), for the submissions of `year`
    (None: every year), as plain data (numbers, text, lists and dicts): what the page, the CSV and the API show."""
    scope = scope_for(viewer, institution.id, year, today)
    return {"institution": {"id": institution.id, "name": institution.name, "acronym": institution.acronym},
            "year": year, "years": years(scope), "today": scope.today.isoformat(),
            "submissions": submission_figures(scope), "recommendations": recommendation_figures(scope),
            "positions_by_pillar": positions_by_pillar(scope), "assessments": assessment_figures(scope),
            "overdue_items": overdue_items(scope)}


def headlines(viewer, institution_ids: list[int]) -> dict[int, dict]:
    """For a page of institutions (their ids: as many as the page shows): submissions received that the reader
    may see, how many of those had an acknowledgement deadline and were acknowledged on time, and the latest."""
    if not institution_ids:
        return {}
    recipient = aliased(SubmissionRecipient, name="recipient")
    deadline = aliased(RecipientDeadline, name="deadline")
    day = days.local_day(recipient.acknowledged_at, days.offset())
    rows = db.session.execute(
        select(recipient.institution_id, func.count().label("received"),
               func.count(deadline.submission_id).label("with_deadline"),
               _count(and_(recipient.acknowledged_at.is_not(None), day <= deadline.acknowledge_by))
               .label("acknowledged_on_time"), func.max(Submission.submitted_at).label("latest"))
        .select_from(recipient).join(Submission, Submission.id == recipient.submission_id)
        .join(Declaration, Declaration.id == Submission.declaration_id)
        .outerjoin(deadline, and_(deadline.submission_id == recipient.submission_id,
                                  deadline.institution_id == recipient.institution_id))
        .where(recipient.institution_id.in_(institution_ids), visible(viewer))
        .group_by(recipient.institution_id)).all()
    return {row.institution_id: dict(row._mapping) for row in rows}
