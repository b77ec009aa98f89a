"""The scorecard of a recipient institution: what it was sent and how it answered, summed up by the database.

Every figure is an aggregate over the submissions the reader may see (responses.tracker.visible: a visitor the
public declarations' dossiers, the alliance every submitted one, an institution's reviewers also those addressed to
their institution), of one year or of every year. Nothing of the institution's history is read into Python: each
statement answers one row (the positions and the assessments a few grouped rows), the overdue list at most
OVERDUE_LISTED. A year's figures read that year's submissions only, which is why the page shows the latest year
unless asked for another (app/scorecards/views.py); every year's read the institution's whole history inside the
database (0.1 to 0.15 s at a hundred alliance-years, bench/growth_data.py), though the same few rows come back.

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
from datetime import date, datetime, time
from functools import cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import String, and_, case, cast, exists, func, literal, null, or_, select, union_all
from sqlalchemy.orm import aliased

from app.choices import ASSESSMENTS, COMPLETION, PILLARS, POSITIONS
from app.declarations.models import Declaration
from app.extensions import db
from app.institutions.models import Institution
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.responses.tracker import visible
from app.scorecards import days
from app.submissions.models import RecipientDeadline, Submission, SubmissionRecipient, SubmittedRecommendation
from app.time import local_date, utcnow

OVERDUE_LISTED = 10


@cache
def _aliases() -> SimpleNamespace:
    """The aliases the statements use, made once per process (at first use, when the mappers are configured; a new
    alias for every statement cost more than running it): the institution's own recipient row (apart from the one
    tracker.visible looks for a reviewer's institution in), its deadlines, and its answers looked at beside a
    recommendation."""
    return SimpleNamespace(recipient=aliased(SubmissionRecipient, name="recipient"),
                           deadline=aliased(RecipientDeadline, name="deadline"),
                           own_answer=aliased(Answer, name="own_answer"))


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
    deadline = _aliases().deadline
    return deadline, and_(deadline.submission_id == Submission.id, deadline.institution_id == scope.institution_id)


def _addressed(institution_id: int):
    """The recommendation is the institution's to answer (see the module's words)."""
    listed = func.replace(func.replace(func.replace(cast(SubmittedRecommendation.addressees, String), " ", ""),
                                       "[", ","), "]", ",")
    answer = _aliases().own_answer
    return or_(listed.contains(f",{int(institution_id)},"), listed == ",,",
               exists(select(1).where(answer.item_id == SubmittedRecommendation.id,
                                      answer.institution_id == institution_id, answer.published_at.is_not(None))))


def _items_of(scope: Scope, *columns):
    """A select of `columns` over the recommendations addressed to the institution in the submissions above."""
    return (_submissions_of(scope, _aliases().recipient, *columns)
            .join(SubmittedRecommendation, SubmittedRecommendation.submission_id == Submission.id)
            .where(_addressed(scope.institution_id)))


def submission_figures(scope: Scope) -> dict:
    """Submissions received; acknowledged on time, late, not yet (deadline passed or still ahead), no deadline set;
    the median days from submission to acknowledgement. One statement."""
    recipient = _aliases().recipient
    deadline, joined = _deadline_of(scope)
    received = (_submissions_of(scope, recipient, Submission.submitted_at, recipient.acknowledged_at,
                                deadline.submission_id.label("deadline_set"), deadline.acknowledge_by)
                .outerjoin(deadline, joined).cte("received").prefix_with("MATERIALIZED"))
    acknowledged, has_deadline = received.c.acknowledged_at.is_not(None), received.c.deadline_set.is_not(None)
    day = days.local_day(received.c.acknowledged_at, scope.shift)
    row = db.session.execute(select(
        func.count().label("received"),
        _count(and_(has_deadline, acknowledged, day <= received.c.acknowledge_by)).label("acknowledged_on_time"),
        _count(and_(has_deadline, acknowledged, day > received.c.acknowledge_by)).label("acknowledged_late"),
        _count(and_(has_deadline, ~acknowledged, received.c.acknowledge_by < scope.today))
        .label("unacknowledged_deadline_passed"),
        _count(and_(has_deadline, ~acknowledged, received.c.acknowledge_by >= scope.today))
        .label("unacknowledged_deadline_ahead"),
        _count(~has_deadline).label("no_deadline"),
        days.median(days.days_between(received.c.acknowledged_at, received.c.submitted_at, scope.shift),
                    select().select_from(received)).label("median_days_to_acknowledge"))
        .select_from(received)).one()
    figures = dict(row._mapping)
    figures["median_days_to_acknowledge"] = days.as_float(figures["median_days_to_acknowledge"])
    return figures


def _first_published(institution_id: int):
    """When the institution first published an answer to the recommendation (None: never)."""
    return (select(func.min(Answer.published_at))
            .where(Answer.item_id == SubmittedRecommendation.id, Answer.institution_id == institution_id,
                   Answer.published_at.is_not(None))
            .correlate(SubmittedRecommendation).scalar_subquery())


def _answered_items(scope: Scope, name: str = "item"):
    """Per recommendation addressed to the institution: its submission and date, the answer deadline and when the
    institution first published an answer. A CTE computed once per statement however often it is referred to
    (MATERIALIZED: otherwise both databases may fold it into the statement and look up the first answer again
    for every reference to it)."""
    deadline, joined = _deadline_of(scope)
    return (_items_of(scope, SubmittedRecommendation.id.label("item_id"),
                      SubmittedRecommendation.recommendation_id, SubmittedRecommendation.number,
                      Submission.id.label("submission_id"), Submission.title, Submission.submitted_at,
                      deadline.answer_by, _first_published(scope.institution_id).label("first_published"))
            .outerjoin(deadline, joined).cte(name).prefix_with("MATERIALIZED"))


def recommendation_figures(scope: Scope) -> dict:
    """Recommendations addressed to the institution; answered on time, late, not answered (deadline passed or still
    ahead), and without a deadline answered or not; the median days to the first published answer; of those
    answered, how many have an implementation update of the institution's in the last 12 months. One statement."""
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
        _count(and_(answered, recent)).label("updated_last_12_months"),
        days.median(days.days_between(item.c.first_published, item.c.submitted_at, scope.shift),
                    select().select_from(item)).label("median_days_to_answer"))
        .select_from(item)).one()
    figures = dict(row._mapping)
    figures["median_days_to_answer"] = days.as_float(figures["median_days_to_answer"])
    figures["updated_share_percent"] = (round(100 * figures["updated_last_12_months"] / figures["answered"], 1)
                                        if figures["answered"] else None)
    return figures


def _judged_items(scope: Scope):
    """Per recommendation addressed to the institution: its pillar, the institution's position (its newest
    published revision's, as tracker.current_answer) and the alliance's latest rating; a CTE computed once, from
    the submissions of the scope (MATERIALIZED: else a planner without statistics may start from every answer
    the institution ever gave)."""
    item = SubmittedRecommendation.id
    position = (select(Answer.position)
                .where(Answer.item_id == item, Answer.institution_id == scope.institution_id,
                       Answer.published_at.is_not(None))
                .order_by(Answer.number.desc()).limit(1).correlate(SubmittedRecommendation).scalar_subquery())
    rating = (select(Assessment.rating).where(Assessment.item_id == item).order_by(Assessment.id.desc()).limit(1)
              .correlate(SubmittedRecommendation).scalar_subquery())
    return (_items_of(scope, SubmittedRecommendation.pillar, position.label("position"), rating.label("rating"))
            .cte("judged").prefix_with("MATERIALIZED"))


def judgements(scope: Scope) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """(pillar → position → how many recommendations the institution's current answer takes that position on,
    every pillar and position in their order; the alliance's latest assessment of the recommendations addressed to
    the institution by rating: every step of the completion scale, then the earlier words some assessment still
    carries, then "none" for those not assessed). One statement of at most 16 + 9 grouped rows."""
    judged = _judged_items(scope)
    rows = db.session.execute(union_all(
        select(literal("position"), judged.c.pillar, judged.c.position, func.count())
        .where(judged.c.position.is_not(None)).group_by(judged.c.pillar, judged.c.position),
        select(literal("rating"), cast(null(), String), judged.c.rating, func.count()).group_by(judged.c.rating)
    )).all()
    positions = {(pillar, position): n for kind, pillar, position, n in rows if kind == "position"}
    ratings = {rating: n for kind, _pillar, rating, n in rows if kind == "rating"}
    return ({pillar: {position: positions.get((pillar, position), 0) for position in POSITIONS} for pillar in PILLARS},
            {**{key: ratings.get(key, 0) for key in COMPLETION},
             **{key: ratings[key] for key in ASSESSMENTS if ratings.get(key)}, "none": ratings.get(None, 0)})


# What an overdue item carries besides what the API gives: its declaration's languages and second-language title.
TITLE_LANGUAGE_KEYS = ("language", "translation_language", "title_translation")


def overdue_items(scope: Scope, limit: int = OVERDUE_LISTED) -> list[dict]:
    """The recommendations longest overdue (answer deadline passed, no published answer), at most `limit`. Each
    has its declaration's languages and second-language title too (TITLE_LANGUAGE_KEYS), so that the page shows
    the title in the reader's language; the API leaves them out."""
    item = _answered_items(scope)
    rows = db.session.execute(
        select(item.c.recommendation_id, item.c.number, item.c.submission_id, item.c.title, item.c.answer_by,
               Declaration.language, Declaration.translation_language, Declaration.title_translation)
        .join(Submission, Submission.id == item.c.submission_id)
        .join(Declaration, Declaration.id == Submission.declaration_id)
        .where(item.c.first_published.is_(None), item.c.answer_by < scope.today)
        .order_by(item.c.answer_by, item.c.submission_id, item.c.number).limit(limit)).all()
    return [{"recommendation_id": r.recommendation_id, "number": r.number, "submission_id": r.submission_id,
             "submission_title": r.title, "answer_by": r.answer_by.isoformat(),
             "days_overdue": (scope.today - r.answer_by).days,
             **{key: getattr(r, key) for key in TITLE_LANGUAGE_KEYS}} for r in rows]


def year_span(scope: Scope) -> tuple[int | None, int | None]:
    """The years (local) of the first and of the latest submission to the institution that the reader may see;
    (None, None) when there is none. Each is read from the index of submissions by date, from its end, stopping at
    the first one that went to the institution."""
    everything = Scope(scope.viewer, scope.institution_id, None, scope.today, scope.shift)
    at = Submission.submitted_at
    first, last = db.session.execute(select(
        *(_submissions_of(everything, _aliases().recipient, at).order_by(order).limit(1).scalar_subquery()
          for order in (at, at.desc())))).one()
    return tuple(None if moment is None else local_date(moment).year for moment in (first, last))


def latest_year(viewer, institution: Institution) -> int | None:
    """The year of the latest submission to the institution that the reader may see (None: there is none)."""
    return year_span(scope_for(viewer, institution.id))[1]


def scorecard(viewer, institution: Institution, year: int | None = None, today: date | None = None) -> dict:
    """The scorecard of `institution` as `viewer` may see it (None: a visitor), for the submissions of `year`
    (None: every year), as plain data (numbers, text, lists and dicts): what the page, the CSV and the API show."""
    scope = scope_for(viewer, institution.id, year, today)
    first_year, last_year = year_span(scope)
    positions, assessments = judgements(scope)
    return {"institution": {"id": institution.id, "name": institution.name, "acronym": institution.acronym},
            "year": year, "first_year": first_year, "last_year": last_year, "today": scope.today.isoformat(),
            "submissions": submission_figures(scope), "recommendations": recommendation_figures(scope),
            "positions_by_pillar": positions, "assessments": assessments,
            "overdue_items": overdue_items(scope)}


def headlines(viewer, institution_ids: list[int], today: date | None = None) -> dict[int, dict]:
    """For a page of institutions (their ids: as many as the page shows), of the submissions of the last 12 months
    that the reader may see: how many each received, how many of those had an acknowledgement deadline and how
    many were acknowledged on time. A window of time, so that the list costs a year's submissions whatever the
    history holds (read from the index of submissions by date)."""
    if not institution_ids:
        return {}
    shift = days.offset()
    since = datetime.combine(days.year_ago(today or local_date(utcnow())), time()) - shift
    recipient, deadline = _aliases().recipient, _aliases().deadline
    day = days.local_day(recipient.acknowledged_at, shift)
    rows = db.session.execute(
        select(recipient.institution_id, func.count().label("received"),
               func.count(deadline.submission_id).label("with_deadline"),
               _count(and_(recipient.acknowledged_at.is_not(None), day <= deadline.acknowledge_by))
               .label("acknowledged_on_time"))
        .select_from(Submission).join(recipient, recipient.submission_id == Submission.id)
        .join(Declaration, Declaration.id == Submission.declaration_id)
        .outerjoin(deadline, and_(deadline.submission_id == recipient.submission_id,
                                  deadline.institution_id == recipient.institution_id))
        .where(Submission.submitted_at >= since, recipient.institution_id.in_(institution_ids), visible(viewer))
        .group_by(recipient.institution_id)).all()
    return {row.institution_id: dict(row._mapping) for row in rows}
