"""Checking the rows of a CSV of the years before Sanad (app/lines/importing.py reads the file): each cell on
its own (keys, numbers, dates, an institution of Sanad, the line to join), then how the rows fit together (one
declaration a year, one recommendation per year and number with its answers on several rows, no duplicate, a line
joined once a year, nothing imported before). Every refusal names the reason; the row carries the file's line."""
import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from app.choices import COMPLETION, GROUPS, LANGUAGES, PILLARS, POSITIONS, SDG_TARGETS, THEMES, UNTOC_PROVISIONS
from app.database import MAX_ID
from app.declarations.models import Recommendation
from app.extensions import db
from app.institutions.models import Institution
from app.lines.models import EarlierDeclaration, RecommendationLine
from app.time import local_date, utcnow

MAX_TEXT, MAX_TITLE, MAX_LABEL = 5000, 300, 100
FIRST_YEAR = 1990
COLUMNS = ("year", "declaration_title", "submitted_on", "number", "text", "language", "pillar", "themes", "untoc",
           "sdg_targets", "groups", "institution", "position", "explanation", "answered_on", "assessment",
           "assessment_notes", "line")
REQUIRED = ("year", "declaration_title", "number", "text")
LISTS = {"themes": THEMES, "untoc": UNTOC_PROVISIONS, "sdg_targets": SDG_TARGETS, "groups": GROUPS}
KEYED = {"pillar": PILLARS, "language": LANGUAGES, "position": POSITIONS, "assessment": COMPLETION}
# What a recommendation is, given on its first row: a later row of the same year and number (another
# institution's answer) repeats these or leaves them empty.
RECOMMENDATION_FIELDS = ("text", "language", "pillar", "themes", "untoc", "sdg_targets", "groups", "assessment",
                         "assessment_notes", "line")
JOIN = re.compile(r"^(line|recommendation)\s*:\s*(\d{1,18})$", re.IGNORECASE)
ASKS_TO_JOIN = re.compile(r"^(line|recommendation)\s*:", re.IGNORECASE)  # a label may not look like a join
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


@dataclass
class Row:
    line: int  # the line of the file the row starts on (the header is line 1)
    values: dict  # column → the cell as written (spaces around it dropped)
    parsed: dict = field(default_factory=dict)  # the cells as keys, numbers, dates, lists and an institution
    problems: list[str] = field(default_factory=list)
    result: dict = field(default_factory=dict)  # what it will do (_result), when it is not refused


@dataclass
class RecommendationPlan:
    first: Row
    fields: dict
    join: tuple  # ("new", key) · ("label", label) · ("line", id) · ("recommendation", id)
    answers: list = field(default_factory=list)  # (institution id, position, explanation, answered_on)


@dataclass
class DeclarationPlan:
    year: int
    title: str
    submitted_on: date | None
    first: Row
    recommendations: dict = field(default_factory=dict)  # number → RecommendationPlan


@dataclass
class Plan:
    sha256: str
    size: int
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, reason) of the file as a whole
    rows: list[Row] = field(default_factory=list)
    declarations: dict = field(default_factory=dict)  # year → DeclarationPlan

    @property
    def bad_rows(self) -> list[Row]:
        return [row for row in self.rows if row.problems]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems and not self.bad_rows

    @property
    def counts(self) -> dict:
        recommendations = [r for d in self.declarations.values() for r in d.recommendations.values()]
        return {"declarations": len(self.declarations), "recommendations": len(recommendations),
                "answers": sum(len(r.answers) for r in recommendations),
                "lines": len({r.join for r in recommendations})}



class Context:
    """What checking the rows needs from the database, read once: the institutions by name and acronym, the
    declarations already imported, and the lines and recommendations the file asks to join."""

    def __init__(self):
        self.by_name: dict[str, list] = {}
        for institution in db.session.scalars(select(Institution)):
            for key in {institution.name.strip().lower(), (institution.acronym or "").strip().lower()} - {""}:
                self.by_name.setdefault(key, []).append(institution)
        self.imported: dict[tuple[int, str], EarlierDeclaration] = {}
        self.targets: dict[tuple[str, int], bool] = {}

    def declaration(self, year: int, title: str) -> EarlierDeclaration | None:
        if (year, title) not in self.imported:
            self.imported[(year, title)] = db.session.scalar(select(EarlierDeclaration).where(
                EarlierDeclaration.year == year, EarlierDeclaration.title == title))
        return self.imported[(year, title)]

    def target_exists(self, kind: str, target_id: int) -> bool:
        if (kind, target_id) not in self.targets:
            if kind == "line":
                found = db.session.get(RecommendationLine, target_id) is not None
            else:
                found = db.session.scalar(select(Recommendation.id).where(
                    Recommendation.id == target_id, Recommendation.deleted_at.is_(None))) is not None
            self.targets[(kind, target_id)] = found
        return self.targets[(kind, target_id)]


def _whole_number(row: Row, name: str, low: int, high: int) -> int | None:
    value = row.values.get(name, "")
    if not value:
        if name in REQUIRED:
            row.problems.append(_("The “%(name)s” is missing.", name=name))
        return None
    if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
        row.problems.append(_("“%(value)s” is not a valid %(name)s (a whole number from %(low)d to %(high)d).",
                              value=value, name=name, low=low, high=high))
        return None
    return int(value)


def _date(row: Row, name: str) -> date | None:
    value = row.values.get(name, "")
    if not value:
        return None
    found = DAY_MONTH_YEAR.match(value)
    try:
        day = (date(int(found[3]), int(found[2]), int(found[1])) if found else date.fromisoformat(value))
    except ValueError:
        day = None
    if day is None or day > local_date(utcnow()) or day.year < FIRST_YEAR:
        row.problems.append(_("“%(value)s” in “%(name)s” is not a valid date: write it as 2023-03-15 (or "
                              "15/03/2023), not in the future.", value=value, name=name))
    return day


def _keys(row: Row, name: str) -> list[str]:
    vocabulary = LISTS[name]
    keys = [key.strip() for key in row.values.get(name, "").split(";") if key.strip()]
    for key in keys:
        if key not in vocabulary:
            row.problems.append(_("“%(key)s” is not one of the keys of “%(name)s” (%(keys)s).", key=key, name=name,
                                  keys=", ".join(vocabulary)))
    return list(dict.fromkeys(key for key in keys if key in vocabulary))


def _key(row: Row, name: str) -> str:
    value = row.values.get(name, "")
    if value and value not in KEYED[name]:
        row.problems.append(_("“%(value)s” is not one of the keys of “%(name)s” (%(keys)s).", value=value, name=name,
                              keys=", ".join(KEYED[name])))
        return ""
    return value


def _length(row: Row, name: str, limit: int) -> None:
    if len(row.values.get(name, "")) > limit:
        row.problems.append(_("The “%(name)s” is %(count)s characters long; the limit is %(limit)s.", name=name,
                              count=format_decimal(len(row.values[name])), limit=format_decimal(limit)))


def check_row(row: Row, context: Context) -> None:
    """Each cell of one row on its own; how rows fit together is _gather's."""
    values = row.values
    year = _whole_number(row, "year", FIRST_YEAR, local_date(utcnow()).year)
    number = _whole_number(row, "number", 1, 9999)
    if not values["declaration_title"]:
        row.problems.append(_("The “%(name)s” is missing.", name="declaration_title"))
    for name, limit in (("declaration_title", MAX_TITLE), ("text", MAX_TEXT), ("explanation", MAX_TEXT),
                        ("assessment_notes", MAX_TEXT), ("line", MAX_LABEL)):
        _length(row, name, limit)
    parsed = {"year": year, "number": number, "submitted_on": _date(row, "submitted_on"),
              "answered_on": _date(row, "answered_on"), "institution": _institution(row, context),
              **{name: _keys(row, name) for name in LISTS}, **{name: _key(row, name) for name in KEYED}}
    if not parsed["language"] and values["text"]:
        parsed["language"] = "ur" if ARABIC_SCRIPT.search(values["text"]) else "en"
    if bool(parsed["institution"] or values.get("institution")) != bool(values.get("position")):
        row.problems.append(_("An answer needs both an “institution” and a “position” (or leave both empty)."))
    parsed["join"] = _join(row, context, year, number)
    row.parsed = parsed


def _institution(row: Row, context: Context):
    name = row.values.get("institution", "")
    if not name:
        return None
    found = context.by_name.get(name.lower(), [])
    if len(found) != 1:
        row.problems.append(_("Unknown institution “%(name)s”: give the name or acronym of an institution in "
                              "Sanad (Admin → Institutions).", name=name) if not found else
                            _("“%(name)s” names more than one institution: give its full name.", name=name))
        return None
    return found[0]


def _join(row: Row, context: Context, year, number) -> tuple:
    value = row.values.get("line", "")
    if not value:
        return ("new", (year, number))
    found = JOIN.match(value)
    if found is None and ASKS_TO_JOIN.match(value):
        row.problems.append(_("“%(value)s” is not a line to join: write line: or recommendation: and the number "
                              "Sanad shows (for example line:12).", value=value))
        return ("label", value)
    if found is None:
        return ("label", value)
    kind, target_id = found[1].lower(), int(found[2])
    if target_id > MAX_ID or not context.target_exists(kind, target_id):
        row.problems.append(_("There is no line %(id)d to join.", id=target_id) if kind == "line" else
                            _("There is no recommendation %(id)d in Sanad to join.", id=target_id))
    return (kind, target_id)


def gather(plan: Plan, context: Context) -> None:
    """Put the rows together: one declaration a year, one recommendation per year and number (its answers on
    several rows), one institution's answer once, a line joined by one recommendation a year, nothing imported
    before."""
    joined: dict[tuple, tuple[int, int]] = {}  # (join, year) → (number, line of the file)
    for row in plan.rows:
        year, number = row.parsed["year"], row.parsed["number"]
        if year is None or number is None or not row.values["declaration_title"]:
            continue
        declaration = _declaration_of(plan, row, context, year)
        recommendation = declaration.recommendations.get(number)
        if recommendation is None:
            recommendation = declaration.recommendations[number] = RecommendationPlan(
                row, _recommendation_fields(row), row.parsed["join"])
            if not row.values["text"]:  # a later row of the recommendation may leave it empty, its first not
                row.problems.append(_("The “%(name)s” is missing.", name="text"))
            _check_join(row, recommendation, joined, year, number)
        else:
            _check_same(row, recommendation)
        _add_answer(row, recommendation)
        if not row.problems:
            row.result = _result(row, recommendation, declaration, number)


def _declaration_of(plan: Plan, row: Row, context: Context, year: int) -> DeclarationPlan:
    title, parsed = row.values["declaration_title"], row.parsed
    declaration = plan.declarations.get(year)
    if declaration is None:
        declaration = plan.declarations[year] = DeclarationPlan(year, title, parsed["submitted_on"], row)
        done = context.declaration(year, title)
        if done is not None:
            row.problems.append(_("“%(title)s” of %(year)d was already imported (%(file)s): importing it again "
                                  "would duplicate it.", title=title, year=year, file=done.source_name or "—"))
    elif declaration.title != title:
        row.problems.append(_("The year %(year)d already has the declaration “%(title)s” on line %(line)d: one "
                              "declaration a year per file.", year=year, title=declaration.title,
                              line=declaration.first.line))
    elif parsed["submitted_on"] and parsed["submitted_on"] != declaration.submitted_on:
        row.problems.append(_("The “submitted_on” differs from line %(line)d of the same declaration.",
                              line=declaration.first.line))
    return declaration


def _check_join(row: Row, recommendation: RecommendationPlan, joined: dict, year: int, number: int) -> None:
    if recommendation.join[0] == "new":
        return
    key = (recommendation.join, year)
    if key in joined and joined[key][0] != number:
        row.problems.append(_("Recommendation %(other)d of %(year)d (line %(line)d) already joins this line: a line "
                              "takes one recommendation a year.", other=joined[key][0], year=year,
                              line=joined[key][1]))
    joined.setdefault(key, (number, row.line))


def _check_same(row: Row, recommendation: RecommendationPlan) -> None:
    """A later row of the same recommendation repeats its fields or leaves them empty."""
    fields = _recommendation_fields(row)
    for name in RECOMMENDATION_FIELDS:
        if row.values.get(name, "") and fields[name] != recommendation.fields[name]:
            row.problems.append(_("The “%(name)s” differs from line %(line)d of the same recommendation (leave it "
                                  "empty on this row, or write the same).", name=name, line=recommendation.first.line))


def _recommendation_fields(row: Row) -> dict:
    """What a row says of its recommendation: keys and lists as checked, texts as written."""
    return {name: row.parsed[name] if name in row.parsed else row.values.get(name, "")
            for name in RECOMMENDATION_FIELDS}


def _add_answer(row: Row, recommendation: RecommendationPlan) -> None:
    parsed = row.parsed
    institution = parsed["institution"]
    if institution is None or not parsed["position"]:
        return
    if any(answer[0] == institution.id for answer in recommendation.answers):
        row.problems.append(_("Duplicate: %(institution)s's answer to this recommendation is already on an earlier "
                              "line.", institution=institution.acronym or institution.name))
        return
    recommendation.answers.append((institution.id, parsed["position"], row.values.get("explanation", ""),
                                   parsed["answered_on"]))


def _result(row: Row, recommendation: RecommendationPlan, declaration: DeclarationPlan, number: int) -> dict:
    """What the row will do, as the preview words it: a new recommendation in its line, or another answer to one;
    and the answer it records, if any."""
    institution = row.parsed["institution"]
    name = (institution.acronym or institution.name) if institution else ""
    return {"first": recommendation.first is row, "number": number, "year": declaration.year,
            "join": recommendation.join, "institution": name, "position": row.parsed["position"]}


