"""An institution's scorecard in the API (/api/v1/institutions/<id>/scorecard): the same figures as its page
(app/scorecards/queries.py scorecard), for a visitor, for one year of submissions (the latest by default) or for
every year (`year=all`, which reads the institution's whole public history in the database)."""
from flask import url_for

from app.choices import COMPLETION, PILLARS, POSITIONS
from app.opendata.schemas import DATE, ID, INTEGER, STRING, URL, nullable, object_of
from app.scorecards import queries

EVERY_YEAR = "all"
YEARS = range(1900, 3000)
NUMBER = {"type": "number"}
COUNTS = {"type": "integer", "minimum": 0}


class BadYear(ValueError):
    """A year that is neither a year nor "all"."""


def year_asked(value: str | None, institution) -> int | None:
    """The year of submissions asked for (None: every year); the latest year with a public submission when none
    was asked for."""
    if value == EVERY_YEAR:
        return None
    if value is None or value == "":
        return queries.latest_year(None, institution)
    if value.isdigit() and int(value) in YEARS:
        return int(value)
    raise BadYear(f"year must be a year from {YEARS.start} to {YEARS.stop - 1}, or {EVERY_YEAR!r}.")


def scorecard_record(institution, year: int | None) -> dict:
    """The scorecard as a visitor sees it, with the addresses of its page and its CSV."""
    card = queries.scorecard(None, institution, year)
    asked = {"year": year if year is not None else EVERY_YEAR}
    overdue = [{key: value for key, value in item.items() if key not in queries.TITLE_LANGUAGE_KEYS}
               for item in card["overdue_items"]]
    return {**card, "year": asked["year"], "overdue_items": overdue,
            "url": url_for("institutions.scorecard", institution_id=institution.id, **asked, _external=True),
            "csv": url_for("institutions.scorecard_csv", institution_id=institution.id, **asked, _external=True)}


def _counts(description: str, keys) -> dict:
    return object_of(description, {key: COUNTS for key in keys})


SCORECARD = object_of("An institution's scorecard, counted over the public dossiers of a year of submissions (or of "
                      "every year): deadlines met, answers, positions and the alliance's assessments.", {
    "institution": object_of("The institution.", {"id": ID, "name": STRING, "acronym": STRING}),
    "year": {"anyOf": [INTEGER, {"const": EVERY_YEAR}]},
    "first_year": nullable(INTEGER), "last_year": nullable(INTEGER), "today": DATE,
    "submissions": object_of("The submissions it received and their acknowledgement.", {
        **{key: COUNTS for key in ("received", "acknowledged_on_time", "acknowledged_late",
                                   "unacknowledged_deadline_passed", "unacknowledged_deadline_ahead", "no_deadline")},
        "median_days_to_acknowledge": nullable(NUMBER)}),
    "recommendations": object_of("The recommendations addressed to it (or to no one in particular) and their "
                                 "answers.", {
        **{key: COUNTS for key in ("addressed", "answered_on_time", "answered_late", "unanswered_deadline_passed",
                                   "unanswered_deadline_ahead", "no_deadline_answered", "no_deadline_unanswered",
                                   "answered", "updated_last_12_months")},
        "median_days_to_answer": nullable(NUMBER), "updated_share_percent": nullable(NUMBER)}),
    "positions_by_pillar": object_of("Its current published positions, by pillar.", {
        pillar: _counts("Positions on this pillar's recommendations.", POSITIONS) for pillar in PILLARS}),
    "assessments": {"type": "object", "description": "The alliance's latest assessment of each recommendation it "
                    "answered, by rating (the completion scale, older ratings by their own words; `none`: not "
                    "assessed).", "required": [*COMPLETION, "none"], "additionalProperties": COUNTS,
                    "properties": {key: COUNTS for key in (*COMPLETION, "none")}},
    "overdue_items": {"type": "array", "items": object_of("A recommendation whose answer deadline passed without a "
                                                          "published answer (the ten longest overdue).", {
        "recommendation_id": ID, "number": INTEGER, "submission_id": ID, "submission_title": STRING,
        "answer_by": DATE, "days_overdue": COUNTS})},
    "url": URL, "csv": URL})
