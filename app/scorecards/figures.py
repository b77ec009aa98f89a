"""The scorecard's figures as labelled rows: one list that both the page and its CSV are made from, so that the
two cannot say different things. Each row has a stable key (for the CSV and the page's data-figure attributes),
a label in the reader's language, a value (a number, or None where there is nothing to measure) and its kind."""
from dataclasses import dataclass

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.choices import ASSESSMENT_RATINGS, PILLARS, POSITIONS, label
from app.exports import csv_text

# (key in the card's section, label, kind); kinds: "count", "days" (a median, may be a half), "percent".
SUBMISSIONS = [
    ("received", _l("Submissions received"), "count"),
    ("acknowledged_on_time", _l("Acknowledged on time"), "count"),
    ("acknowledged_late", _l("Acknowledged late"), "count"),
    ("unacknowledged_deadline_passed", _l("Not acknowledged, deadline passed"), "count"),
    ("unacknowledged_deadline_ahead", _l("Not acknowledged yet, deadline still ahead"), "count"),
    ("no_deadline", _l("No acknowledgement deadline set"), "count"),
    ("median_days_to_acknowledge", _l("Median days from submission to acknowledgement"), "days"),
]
RECOMMENDATIONS = [
    ("addressed", _l("Recommendations addressed to it"), "count"),
    ("answered_on_time", _l("Answered on time"), "count"),
    ("answered_late", _l("Answered late"), "count"),
    ("unanswered_deadline_passed", _l("Not answered, deadline passed"), "count"),
    ("unanswered_deadline_ahead", _l("Not answered yet, deadline still ahead"), "count"),
    ("no_deadline_answered", _l("No answer deadline set: answered"), "count"),
    ("no_deadline_unanswered", _l("No answer deadline set: not answered"), "count"),
    ("median_days_to_answer", _l("Median days from submission to the first published answer"), "days"),
]
IMPLEMENTATION = [
    ("answered", _l("Recommendations it has answered"), "count"),
    ("updated_last_12_months", _l("Of those, with an implementation update in the last 12 months"), "count"),
    ("updated_share_percent", _l("Share with an implementation update in the last 12 months"), "percent"),
]


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | float | None
    kind: str = "count"


def _section(prefix: str, figures: dict, definitions) -> list[Figure]:
    return [Figure(f"{prefix}.{key}", str(text), figures[key], kind) for key, text, kind in definitions]


def submission_rows(card: dict) -> list[Figure]:
    return _section("submissions", card["submissions"], SUBMISSIONS)


def recommendation_rows(card: dict) -> list[Figure]:
    return _section("recommendations", card["recommendations"], RECOMMENDATIONS)


def implementation_rows(card: dict) -> list[Figure]:
    return _section("implementation", card["recommendations"], IMPLEMENTATION)


def position_rows(card: dict) -> list[Figure]:
    return [Figure(f"positions.{pillar}.{position}",
                   _("%(pillar)s: %(position)s", pillar=label(PILLARS, pillar), position=label(POSITIONS, position)),
                   count) for pillar, row in card["positions_by_pillar"].items() for position, count in row.items()]


def assessment_rows(card: dict) -> list[Figure]:
    return [Figure(f"assessments.{rating}",
                   label(ASSESSMENT_RATINGS, rating) if rating != "none" else _("Not assessed yet"), count)
            for rating, count in card["assessments"].items()]


def rows(card: dict) -> list[Figure]:
    """Every figure of the card, in the page's order."""
    return (submission_rows(card) + recommendation_rows(card) + implementation_rows(card) + position_rows(card)
            + assessment_rows(card))


def shown(figure: Figure) -> str:
    """A value as the page shows it, in the reader's language: "—" where there is nothing to measure."""
    if figure.value is None:
        return "—"
    if figure.kind == "percent":
        return format_percent(figure.value / 100, "#,##0.#%")
    return format_decimal(figure.value, "#,##0.#")


def raw(value) -> str:
    """A value as the CSV gives it: a whole number without a decimal point, a half as .5, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def csv_body(card: dict) -> str:
    """The CSV behind the page: one row per figure (a tidy table), with the institution and the year on each row."""
    institution = card["institution"]["name"]
    year = str(card["year"]) if card["year"] else _("All years")
    return csv_text([_("Institution"), _("Year"), _("Figure"), _("Description"), _("Value")],
                    ([institution, year, figure.key, figure.label, raw(figure.value)] for figure in rows(card)))
