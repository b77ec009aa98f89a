"""The government scorecards: the recipient institutions, each with a couple of headline figures, and each one's
scorecard — as a page with a server-drawn chart, and as the CSV behind it. Public: every figure counts only the
submissions the reader may see (app/scorecards/queries.py), so a visitor's figures are those of public dossiers."""
from flask import Blueprint, Response, render_template, request
from flask_login import current_user
from sqlalchemy import select

from app import charts
from app.choices import POSITIONS
from app.institutions.models import Institution
from app.scorecards import figures, queries
from app.web.pages import get_or_404
from app.web.paging import sql_page

bp = Blueprint("institutions", __name__, url_prefix="/institutions")

PAGE_SIZE = 50
# A year asked for in the address: one of these, or "all" (every year).
YEARS = range(1900, 3000)
EVERY_YEAR = "all"


def _asked_year() -> tuple[bool, int | None]:
    """(whether ?year= names a year or every year, that year or None for every year)."""
    value = request.args.get("year", "")
    if value == EVERY_YEAR:
        return True, None
    if value.isascii() and value.isdigit() and int(value) in YEARS:
        return True, int(value)
    return False, None


def _not_understood() -> str:
    """What ?year= said when it names no year (the page then says so), at most 20 characters; "" otherwise."""
    value = request.args.get("year", "")
    return value[:20] if value and not _asked_year()[0] else ""


def _year(institution) -> int | None:
    """The year asked for, None for every year; the latest year with a submission the reader may see when none
    (or nothing sensible) was asked for: a year's figures cost a year's data, every year's the whole history."""
    understood, year = _asked_year()
    return year if understood else queries.latest_year(current_user, institution)


@bp.route("/")
def index():
    """The recipient institutions by name, 50 a page, with what the reader may see of the submissions each
    received in the last 12 months: how many, and how many were acknowledged on time (of those with a deadline)."""
    page = sql_page(select(Institution).order_by(Institution.name, Institution.id), PAGE_SIZE)
    return render_template("scorecards/index.html", page=page,
                           headlines=queries.headlines(current_user, [i.id for i in page.items]))


@bp.route("/<int:institution_id>")
def scorecard(institution_id):
    """One institution's scorecard: of the latest year, of the year chosen, or of every year (?year=all)."""
    institution = get_or_404(Institution, institution_id)
    card = queries.scorecard(current_user, institution, _year(institution))
    return render_template(
        "scorecards/scorecard.html", institution=institution, card=card, shown=figures.shown, every_year=EVERY_YEAR,
        not_understood=_not_understood(),
        submission_rows=figures.submission_rows(card), recommendation_rows=figures.recommendation_rows(card),
        implementation_rows=figures.implementation_rows(card),
        chart=charts.stacked_bars(card["positions_by_pillar"], POSITIONS),
        assessments=charts.bars({k: n for k, n in card["assessments"].items() if k != "none"}, in_order=True))


@bp.route("/<int:institution_id>/scorecard.csv")
def scorecard_csv(institution_id):
    """The figures of the scorecard page, one row each."""
    institution = get_or_404(Institution, institution_id)
    year = _year(institution)
    card = queries.scorecard(current_user, institution, year)
    response = Response(figures.csv_body(card), mimetype="text/csv")
    name = f"scorecard-{institution.id}" + (f"-{year}" if year else "")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
