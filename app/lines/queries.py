"""What the lines area reads: the entries of a line a reader may see, a line's summary ("asked since 2022,
3 declarations"), the lines of the recommendations a page shows, and the tracker's page of lines.

A line's entries are Sanad recommendations (Recommendation.line_id) and the recommendations imported from the
years before Sanad (EarlierRecommendation.line_id). A reader sees a Sanad entry when it is live and they may see
its declaration's answers (permissions.can_view_response, in SQL: app/responses/tracker.py visible), and every
imported one: the imported years are the alliance's own public record. Everything is SQL: a line's entries are
counted by aggregates and read, the newest first, up to a cap per line (a window function), so a page costs
the lines it shows, however long their history.
"""
from dataclasses import dataclass, fields

from sqlalchemy import Integer, String, cast, exists, extract, false, func, literal_column, or_, select, union_all
from sqlalchemy.orm import aliased

from app.database import counted_window, json_list_contains
from app.declarations.models import Declaration, Recommendation
from app.extensions import db
from app.lines.models import EarlierAnswer, EarlierDeclaration, EarlierRecommendation, RecommendationLine
from app.responses import tracker
from app.responses.tracker import Filters
from app.submissions.models import Submission, SubmittedRecommendation

SANAD, EARLIER = "sanad", "earlier"
LINES_PER_PAGE = 50
COUNTED = 200  # the tracker's lines are counted this far beyond the page's start ("more than …")
# The tracker's classification filters (app/responses/tracker.py Filters: untoc, sdg, group) on an imported
# recommendation's lists of keys.
EARLIER_LISTS = {"untoc": EarlierRecommendation.untoc, "sdg": EarlierRecommendation.sdg_targets,
                 "group": EarlierRecommendation.groups}
# The tracker's filters the imported years can answer (on EarlierRecommendation and EarlierAnswer), and those the
# lines view leaves aside; any other filter set (a declaration, an implementation status, a filter added later)
# is one an imported year cannot meet, so no imported entry matches it.
EARLIER_FILTERS = {"pillar", "theme", "position", "institution_id", *EARLIER_LISTS}
IGNORED_FILTERS = {"due"}


@dataclass(frozen=True)
class LineSummary:
    """What a reader sees of a line at a glance: the year of its first entry they may see and how many
    entries (one per declaration) they may see."""
    line_id: int
    since: int
    count: int


def sanad_year(submissions=Submission, declarations=Declaration):
    """A Sanad entry's year: of its declaration's submission, else of the declaration's creation."""
    return cast_year(func.coalesce(submissions.submitted_at, declarations.created_at))


def cast_year(moment):
    """The year of a date or time column, as a number on both databases."""
    return cast(extract("year", moment), Integer)


def _kind(name: str):
    return literal_column(f"'{name}'", String).label("kind")


def sanad_entries(user):
    """The Sanad recommendations in a line that the reader may see: columns kind, id, line_id, year."""
    return (select(_kind(SANAD), Recommendation.id.label("id"), Recommendation.line_id.label("line_id"),
                   sanad_year().label("year"))
            .join(Declaration, Declaration.id == Recommendation.declaration_id)
            .outerjoin(Submission, Submission.declaration_id == Declaration.id)
            .where(Recommendation.line_id.is_not(None), Recommendation.deleted_at.is_(None), tracker.visible(user)))


def earlier_entries():
    """The imported recommendations (every one is in a line): columns kind, id, line_id, year."""
    return (select(_kind(EARLIER), EarlierRecommendation.id.label("id"), EarlierRecommendation.line_id.label("line_id"),
                   EarlierDeclaration.year.label("year"))
            .join(EarlierDeclaration, EarlierDeclaration.id == EarlierRecommendation.declaration_id))


def _entries_in(user, line_condition):
    """Both kinds of entries of the lines that meet line_condition(column), as one subquery."""
    return union_all(sanad_entries(user).where(line_condition(Recommendation.line_id)),
                     earlier_entries().where(line_condition(EarlierRecommendation.line_id))).subquery()


def summaries(user, line_ids) -> dict[int, LineSummary]:
    """The summaries of these lines (a page's), by line id; a line with no entry the reader may see has none."""
    ids = sorted(set(line_ids))
    if not ids:
        return {}
    both = _entries_in(user, lambda column: column.in_(ids))
    rows = db.session.execute(select(both.c.line_id, func.min(both.c.year), func.count())
                              .group_by(both.c.line_id))
    return {line_id: LineSummary(line_id, since, count) for line_id, since, count in rows}


def _lines_of(user, chosen) -> dict[int, LineSummary]:
    """{recommendation id: its line's summary} for the recommendations chosen(alias of Recommendation) picks, in
    one query, for the lines with more than one entry the reader may see (a line of one says nothing)."""
    inner, outer = aliased(Recommendation), aliased(Recommendation)
    wanted = select(inner.line_id).where(chosen(inner), inner.line_id.is_not(None))
    both = _entries_in(user, lambda column: column.in_(wanted))
    summary = (select(both.c.line_id, func.min(both.c.year).label("since"), func.count().label("count"))
               .group_by(both.c.line_id).subquery())
    rows = db.session.execute(select(outer.id, summary.c.line_id, summary.c.since, summary.c.count)
                              .join(summary, summary.c.line_id == outer.line_id)
                              .where(chosen(outer), summary.c.count > 1))
    return {recommendation_id: LineSummary(line_id, since, count) for recommendation_id, line_id, since, count in rows}


def lines_of_recommendations(user, recommendation_ids) -> dict[int, LineSummary]:
    """The lines of the recommendations a page shows (a dossier's, the tracker's page, one recommendation)."""
    ids = sorted(set(recommendation_ids))
    return _lines_of(user, lambda recommendations: recommendations.id.in_(ids)) if ids else {}


def lines_of_declaration(user, declaration_id: int) -> dict[int, LineSummary]:
    """The lines of a declaration's recommendations (its reading page)."""
    return _lines_of(user, lambda recommendations: recommendations.declaration_id == declaration_id)


class DeclarationLines:
    """The lines of a declaration's recommendations for its reading page, read when the page first asks for one:
    the page asks only for a recommendation that is in a line (its line_id), so a declaration with none costs no
    query at all (the reading page's statements do not grow, tests/declarations/test_reading.py)."""

    def __init__(self, user, declaration_id: int):
        self.user, self.declaration_id, self.found = user, declaration_id, None

    def get(self, recommendation_id: int, default=None):
        if self.found is None:
            self.found = lines_of_declaration(self.user, self.declaration_id)
        return self.found.get(recommendation_id, default)


def newest_entries(user, line_ids, per_line: int) -> list[tuple[str, int, int, int]]:
    """(kind, id, line id, year) of the newest `per_line` entries of each line the reader may see, oldest first
    within each line: a window function numbers each line's entries, newest first, and the cap is SQL."""
    ids = sorted(set(line_ids))
    if not ids:
        return []
    both = _entries_in(user, lambda column: column.in_(ids))
    ranked = select(both, func.row_number().over(
        partition_by=both.c.line_id, order_by=(both.c.year.desc(), both.c.kind.desc(), both.c.id.desc()))
        .label("rank")).subquery()
    rows = db.session.execute(select(ranked.c.kind, ranked.c.id, ranked.c.line_id, ranked.c.year)
                              .where(ranked.c.rank <= per_line)
                              .order_by(ranked.c.line_id, ranked.c.year, ranked.c.kind, ranked.c.id))
    return [tuple(row) for row in rows]


def number_in_declaration(recommendation: Recommendation) -> int:
    """A live recommendation's number: its place among its declaration's live recommendations."""
    return db.session.scalar(select(func.count()).select_from(Recommendation).where(
        Recommendation.declaration_id == recommendation.declaration_id, Recommendation.deleted_at.is_(None),
        Recommendation.position <= recommendation.position))


# --- the tracker's lines view ------------------------------------------------------------------------

def _sanad_matches(user, filters: Filters):
    """The line has a submitted recommendation the reader may see that meets the tracker's filters."""
    return exists(select(1).select_from(SubmittedRecommendation)
                  .join(Submission, Submission.id == SubmittedRecommendation.submission_id)
                  .join(Declaration, Declaration.id == Submission.declaration_id)
                  .join(Recommendation, Recommendation.id == SubmittedRecommendation.recommendation_id)
                  .where(Recommendation.line_id == RecommendationLine.id, tracker.visible(user),
                         *tracker.conditions(filters)))


def _earlier_can_match(filters: Filters) -> bool:
    return not any(getattr(filters, f.name) for f in fields(filters)
                   if f.name not in EARLIER_FILTERS | IGNORED_FILTERS)


def _earlier_matches(filters: Filters):
    """The line has an imported recommendation that meets the filters the imported years can answer."""
    if not _earlier_can_match(filters):
        return false()
    where = [EarlierRecommendation.line_id == RecommendationLine.id]
    if filters.pillar:
        where.append(EarlierRecommendation.pillar == filters.pillar)
    if filters.theme:
        where.append(json_list_contains(EarlierRecommendation.themes, filters.theme))
    where += [json_list_contains(column, getattr(filters, name)) for name, column in EARLIER_LISTS.items()
              if getattr(filters, name, "")]
    answered = [EarlierAnswer.position == filters.position] if filters.position else []
    if filters.institution_id:
        answered.append(EarlierAnswer.institution_id == filters.institution_id)
    if answered:
        where.append(exists(select(1).where(EarlierAnswer.recommendation_id == EarlierRecommendation.id, *answered)))
    return exists(select(1).where(*where))


def tracker_lines(user, filters: Filters, number: int, per_page: int = LINES_PER_PAGE,
                  count_up_to: int = COUNTED) -> dict:
    """The ids of one page of lines, newest line first, with an entry the reader may see that meets the filters,
    and the page's number (a page past the end answers the last one), its size and the lines counted up to
    count_up_to beyond its start ("more"): {"ids", "number", "per_page", "total", "more"}."""
    query = (select(RecommendationLine.id).where(or_(_sanad_matches(user, filters), _earlier_matches(filters)))
             .order_by(RecommendationLine.id.desc()))
    number, counted = counted_window(query, number, per_page, count_up_to)
    start = (number - 1) * per_page
    ids = list(db.session.scalars(query.limit(per_page).offset(start)))
    return {"ids": ids, "number": number, "per_page": per_page, "total": min(counted, start + count_up_to),
            "more": counted > start + count_up_to}
