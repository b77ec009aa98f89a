"""A line's record: each entry the reader may see with its text, each institution's position, the implementation
updates and the alliance's assessments — what the line page shows in full and the tracker's lines view in
brief. The entries come from app/lines/queries.py (visibility and caps in SQL); their details are read here by
the entries' ids, a few queries for a whole page."""
from dataclasses import dataclass, field
from datetime import date, datetime

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from app.choices import ASSESSMENTS, COMPLETION, POSITIONS, label
from app.declarations.diff import word_diff
from app.declarations.models import Recommendation
from app.extensions import db
from app.lines import queries
from app.lines.models import EarlierAnswer, EarlierRecommendation, RecommendationLine
from app.responses import tracker
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.submissions.models import SubmittedRecommendation

LINE_ENTRIES = 30  # the line page shows a line's newest 30 entries (and says so when there are more)
TRACKER_ENTRIES = 12  # the tracker's row of a line reads its newest 12
HISTORY = 10  # updates and assessments shown per entry on the line page (the newest; the rest on its own page)


@dataclass
class Position:
    institution_id: int
    institution: str  # its acronym, else its name
    position: str
    explanation: str = ""
    on: date | datetime | None = None

    @property
    def label(self) -> str:
        return label(POSITIONS, self.position)


@dataclass
class Rating:
    """The alliance's assessment: the completion scale (choices.COMPLETION), or the older agree/disagree words."""
    rating: str
    notes: str = ""
    on: date | datetime | None = None

    @property
    def label(self) -> str:
        return label(COMPLETION, self.rating) or label(ASSESSMENTS, self.rating)


@dataclass
class Entry:
    kind: str  # queries.SANAD or queries.EARLIER
    id: int  # the Recommendation's, or the EarlierRecommendation's
    line_id: int
    year: int
    title: str = ""  # the declaration's title (as submitted, for a submitted one)
    # A bilingual declaration's title in its second language (app/web/languages.declaration_title shows the one
    # in the reader's language); an imported year has one title, in its `language`.
    title_translation: str = ""
    translation_language: str | None = None
    number: int | None = None
    html: str = ""  # a Sanad recommendation's stored, sanitized HTML
    text: str = ""  # the plain text: what is compared from year to year (and shown, for an imported one)
    language: str = "en"
    pillar: str = ""
    themes: list = field(default_factory=list)
    # The classification (app/choices.py UNTOC_PROVISIONS, SDG_TARGETS, GROUPS), as submitted, drafted or imported.
    untoc: list = field(default_factory=list)
    sdg_targets: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    declaration_id: int | None = None
    submitted: bool = False
    imported_at: datetime | None = None
    source_name: str = ""
    positions: list[Position] = field(default_factory=list)
    updates: list = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    diff: list | None = None  # word_diff against the entry compared with
    compared_year: int | None = None

    @property
    def imported(self) -> bool:
        return self.kind == queries.EARLIER

    @property
    def changed(self) -> bool:
        """Its words differ from those of the entry compared with."""
        return any(op != "equal" for op, _text in self.diff or ())

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.id}"


def _plain(html: str) -> str:
    return Markup(html or "").striptags()


def _words(text: str) -> str:
    return " ".join((text or "").split())


def _short_name(institution) -> str:
    return institution.acronym or institution.name


def _sanad(entries: dict[int, Entry], history: bool) -> None:
    """Fill in the Sanad entries: text, number, positions, updates and assessments."""
    if not entries:
        return
    other = aliased(Recommendation)
    live_number = (select(func.count()).where(other.declaration_id == Recommendation.declaration_id,
                                              other.deleted_at.is_(None), other.position <= Recommendation.position)
                   .scalar_subquery())
    rows = db.session.execute(
        select(Recommendation, SubmittedRecommendation, live_number)
        .outerjoin(SubmittedRecommendation, SubmittedRecommendation.recommendation_id == Recommendation.id)
        .options(joinedload(Recommendation.declaration), joinedload(Recommendation.current),
                 joinedload(SubmittedRecommendation.submission))
        .where(Recommendation.id.in_(list(entries))))
    items: dict[int, Entry] = {}
    for recommendation, item, number in rows:
        entry, declaration = entries[recommendation.id], recommendation.declaration
        entry.declaration_id, entry.language = declaration.id, declaration.language
        entry.title_translation, entry.translation_language = declaration.title_translation, \
            declaration.translation_language
        if item is not None:
            entry.submitted, entry.title, entry.number = True, item.submission.title, item.number
            _describe(entry, item.text_html, item)
            items[item.id] = entry
        else:
            entry.title, entry.number = declaration.title, number
            _describe(entry, recommendation.current.text_html, recommendation.current)
        entry.text = _words(_plain(entry.html))
    _answers(items)
    _assessments(items, HISTORY if history else 1)
    if history:
        _updates(items)


def _describe(entry: Entry, html: str, source) -> None:
    """The pillar, themes and classification of a submitted recommendation, a revision or an imported one."""
    entry.html, entry.pillar, entry.themes = html, source.pillar, source.themes
    entry.untoc, entry.sdg_targets, entry.groups = source.untoc or [], source.sdg_targets or [], source.groups or []


def _answers(items: dict[int, Entry]) -> None:
    """The current published answer of each institution to each submitted entry."""
    if not items:
        return
    for answer in db.session.scalars(select(Answer).options(joinedload(Answer.institution))
                                     .where(Answer.item_id.in_(list(items)), tracker.current_answer(Answer))
                                     .order_by(Answer.item_id, Answer.institution_id)):
        items[answer.item_id].positions.append(Position(answer.institution_id, _short_name(answer.institution),
                                                        answer.position, answer.explanation, answer.published_at))


def _newest(model, order, items: dict[int, Entry], cap: int):
    """The newest `cap` rows of `model` (ImplementationUpdate, Assessment) per submitted entry, newest first."""
    ranked = (select(model.id, func.row_number().over(partition_by=model.item_id, order_by=order).label("rank"))
              .where(model.item_id.in_(list(items))).subquery())
    return (select(model).join(ranked, ranked.c.id == model.id).where(ranked.c.rank <= cap)
            .order_by(model.item_id, ranked.c.rank))


def _assessments(items: dict[int, Entry], cap: int) -> None:
    if not items:
        return
    for assessment in db.session.scalars(_newest(Assessment, Assessment.id.desc(), items, cap)):
        items[assessment.item_id].ratings.append(Rating(assessment.rating, assessment.notes, assessment.created_at))


def _updates(items: dict[int, Entry]) -> None:
    if not items:
        return
    order = (ImplementationUpdate.happened_on.desc(), ImplementationUpdate.id.desc())
    for update in db.session.scalars(_newest(ImplementationUpdate, order, items, HISTORY)
                                     .options(joinedload(ImplementationUpdate.institution))):
        items[update.item_id].updates.append(update)


def _earlier(entries: dict[int, Entry]) -> None:
    """Fill in the imported entries: their text, the positions on record and the alliance's assessment."""
    if not entries:
        return
    for recommendation in db.session.scalars(select(EarlierRecommendation)
                                             .options(joinedload(EarlierRecommendation.declaration))
                                             .where(EarlierRecommendation.id.in_(list(entries)))):
        entry, declaration = entries[recommendation.id], recommendation.declaration
        entry.title, entry.number, entry.text = declaration.title, recommendation.number, recommendation.text
        entry.language = recommendation.language
        _describe(entry, "", recommendation)
        entry.imported_at, entry.source_name = declaration.imported_at, declaration.source_name
        if recommendation.assessment:
            entry.ratings.append(Rating(recommendation.assessment, recommendation.assessment_notes,
                                        declaration.submitted_on))
    for answer in db.session.scalars(select(EarlierAnswer).options(joinedload(EarlierAnswer.institution))
                                     .where(EarlierAnswer.recommendation_id.in_(list(entries)))
                                     .order_by(EarlierAnswer.recommendation_id, EarlierAnswer.institution_id)):
        entries[answer.recommendation_id].positions.append(Position(
            answer.institution_id, _short_name(answer.institution), answer.position, answer.explanation,
            answer.answered_on))


def entries_of(user, line_ids, per_line: int, history: bool = False) -> dict[int, list[Entry]]:
    """Each line's newest `per_line` entries the reader may see, oldest first, with their details."""
    listed = [Entry(kind, entry_id, line_id, year) for kind, entry_id, line_id, year
              in queries.newest_entries(user, line_ids, per_line)]
    _sanad({e.id: e for e in listed if e.kind == queries.SANAD}, history)
    _earlier({e.id: e for e in listed if e.kind == queries.EARLIER})
    lines: dict[int, list[Entry]] = {}
    for entry in listed:
        lines.setdefault(entry.line_id, []).append(entry)
    return lines


def _compare(entries: list[Entry]) -> None:
    """Each entry's words against the nearest earlier entry in the same language (a year written in the other
    language is not compared word by word)."""
    for n, entry in enumerate(entries):
        before = next((e for e in reversed(entries[:n]) if e.language == entry.language), None)
        if before is not None:
            entry.diff, entry.compared_year = word_diff(_words(before.text), entry.text), before.year


def positions_over_time(entries: list[Entry]) -> list[tuple[str, list[Position | None]]]:
    """Per institution (in the order they first answered), its position in each entry, None where it gave
    none."""
    institutions: dict[int, str] = {}
    for entry in entries:
        for position in entry.positions:
            institutions.setdefault(position.institution_id, position.institution)
    return [(name, [next((p for p in e.positions if p.institution_id == institution_id), None) for e in entries])
            for institution_id, name in institutions.items()]


def line_record(user, line_id: int) -> dict | None:
    """Everything the line page shows, or None when the line does not exist or the reader may see none of it."""
    if db.session.get(RecommendationLine, line_id) is None:
        return None
    summary = queries.summaries(user, [line_id]).get(line_id)
    if summary is None:
        return None
    entries = entries_of(user, [line_id], LINE_ENTRIES, history=True).get(line_id, [])
    _compare(entries)
    return {"line_id": line_id, "summary": summary, "entries": entries, "more": summary.count - len(entries),
            "positions": positions_over_time(entries)}


def tracker_rows(user, line_ids: list[int]) -> list[dict]:
    """The tracker's rows for a page of lines: the summary, the newest entry, each institution's positions over
    the years and the latest assessment."""
    found = queries.summaries(user, line_ids)
    entries = entries_of(user, line_ids, TRACKER_ENTRIES)
    rows = []
    for line_id in line_ids:
        shown = entries.get(line_id, [])
        if line_id not in found or not shown:
            continue
        rating = next((e.ratings[0] for e in reversed(shown) if e.ratings), None)
        rows.append({"line_id": line_id, "summary": found[line_id], "latest": shown[-1], "entries": shown,
                     "positions": positions_over_time(shown), "rating": rating,
                     "more": found[line_id].count - len(shown)})
    return rows
