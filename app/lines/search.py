"""The earlier recommendations a draft may carry forward, found by words, year and number: the submitted
recommendations of the other declarations the drafter may see, and the recommendations imported from the years
before Sanad. One UNION of the two, filtered, ordered (newest year first) and paged in SQL; its rows are counted
only so far beyond the page."""
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import String, cast, func, literal_column, null, select, union_all

from app.database import counted_window
from app.declarations.models import Declaration, Recommendation
from app.extensions import db
from app.lines import queries
from app.lines.models import EarlierDeclaration, EarlierRecommendation
from app.responses import tracker
from app.submissions.models import Submission, SubmittedRecommendation

PER_PAGE = 20
COUNTED = 200
MAX_WORDS = 8  # the words looked for (each must appear); more are refused by the view's length limit anyway


@dataclass(frozen=True)
class Wanted:
    words: tuple[str, ...] = ()
    year: int | None = None
    number: int | None = None


@dataclass(frozen=True)
class Candidate:
    kind: str
    id: int  # the Recommendation's (not the submitted item's), or the EarlierRecommendation's
    year: int
    number: int
    title: str
    text: str  # plain, as much as a result shows
    line_id: int | None
    language: str
    # A bilingual declaration's title in its second language (app/web/languages.declaration_title); an imported
    # year has none.
    title_translation: str = ""
    translation_language: str | None = None

    @property
    def imported(self) -> bool:
        return self.kind == queries.EARLIER


def _kind(name: str):
    return literal_column(f"'{name}'", String).label("kind")


def _matching(text_column, year_column, number_column, wanted: Wanted) -> list:
    where = [func.lower(text_column).contains(word.lower(), autoescape=True) for word in wanted.words[:MAX_WORDS]]
    if wanted.year is not None:
        where.append(year_column == wanted.year)
    if wanted.number is not None:
        where.append(number_column == wanted.number)
    return where


def _union(user, declaration_id: int, wanted: Wanted):
    year = queries.cast_year(Submission.submitted_at)
    sanad = (select(_kind(queries.SANAD), SubmittedRecommendation.recommendation_id.label("id"), year.label("year"),
                    SubmittedRecommendation.number.label("number"), Submission.title.label("title"),
                    SubmittedRecommendation.text_html.label("text"), Recommendation.line_id.label("line_id"),
                    Declaration.language.label("language"),
                    Declaration.title_translation.label("title_translation"),
                    Declaration.translation_language.label("translation_language"))
             .join(Submission, Submission.id == SubmittedRecommendation.submission_id)
             .join(Declaration, Declaration.id == Submission.declaration_id)
             .join(Recommendation, Recommendation.id == SubmittedRecommendation.recommendation_id)
             .where(Submission.declaration_id != declaration_id, tracker.visible(user),
                    *_matching(SubmittedRecommendation.text_html, year, SubmittedRecommendation.number, wanted)))
    earlier = (select(_kind(queries.EARLIER), EarlierRecommendation.id.label("id"),
                      EarlierDeclaration.year.label("year"), EarlierRecommendation.number.label("number"),
                      EarlierDeclaration.title.label("title"),
                      EarlierRecommendation.text.label("text"), EarlierRecommendation.line_id.label("line_id"),
                      EarlierRecommendation.language.label("language"),
                      literal_column("''", String).label("title_translation"),
                      cast(null(), String).label("translation_language"))
               .join(EarlierDeclaration, EarlierDeclaration.id == EarlierRecommendation.declaration_id)
               .where(*_matching(EarlierRecommendation.text, EarlierDeclaration.year, EarlierRecommendation.number,
                                 wanted)))
    return union_all(sanad, earlier).subquery()


def candidates(user, declaration_id: int, wanted: Wanted, number: int, per_page: int = PER_PAGE,
               count_up_to: int = COUNTED) -> dict:
    """One page of what a recommendation of this declaration may carry forward: {"rows": [Candidate], "number",
    "per_page", "total" (counted up to count_up_to beyond the page's start), "more"}. A page past the end
    answers the last one."""
    found = _union(user, declaration_id, wanted)
    ordered = select(found).order_by(found.c.year.desc(), found.c.kind.desc(), found.c.title, found.c.number,
                                     found.c.id)
    number, counted = counted_window(select(found.c.id), number, per_page, count_up_to)
    start = (number - 1) * per_page
    rows = [Candidate(row.kind, row.id, row.year, row.number, row.title, _snippet(row.kind, row.text), row.line_id,
                      row.language, row.title_translation, row.translation_language)
            for row in db.session.execute(ordered.limit(per_page).offset(start))]
    return {"rows": rows, "number": number, "per_page": per_page, "total": min(counted, start + count_up_to),
            "more": counted > start + count_up_to}


def _snippet(kind: str, text: str, length: int = 400) -> str:
    plain = " ".join((Markup(text).striptags() if kind == queries.SANAD else text or "").split())
    return plain if len(plain) <= length else plain[:length].rsplit(" ", 1)[0] + " …"
