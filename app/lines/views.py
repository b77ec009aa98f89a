"""Recommendations followed across declarations: a line's page (public for what is public), carrying a draft's
recommendation forward from an earlier one, and importing the years before Sanad from a CSV with a preview."""
import base64
import binascii

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from app import permissions
from app.choices import COMPLETION, GROUPS, LANGUAGE_NAMES, PILLARS, POSITIONS, SDG_TARGETS, THEMES, UNTOC_PROVISIONS
from app.declarations.loading import get_declaration
from app.declarations.models import Recommendation
from app.declarations.services import EDITABLE_PHASES
from app.exports import csv_text
from app.extensions import db
from app.institutions.models import Institution
from app.lines import import_rows, importing, queries, record, search, services
from app.lines.forms import CarryForm, ConfirmImportForm, ImportForm, UndoCarryForm
from app.lines.models import EarlierDeclaration, EarlierRecommendation
from app.web.pages import (
    acting_user,
    carry_out,
    flash_refusal,
    form_id,
    get_or_404,
    page_number,
    query_text,
    render_form,
    require,
)
from app.web.paging import CountedPage, sql_page

bp = Blueprint("lines", __name__, url_prefix="/lines")
QUERY_LIMIT = 200
IMPORTED_PER_PAGE = 25
# What the import page documents, column by column (the keys each column takes).
VOCABULARIES = {"language": LANGUAGE_NAMES, "pillar": PILLARS, "themes": THEMES, "untoc": UNTOC_PROVISIONS,
                "sdg_targets": SDG_TARGETS, "groups": GROUPS, "position": POSITIONS, "assessment": COMPLETION}


@bp.route("/<int:line_id>")
def line(line_id):
    """A line's record: each year's text with what changed, each institution's position each time, the
    implementation updates and the alliance's assessments; what the reader may not see is left out."""
    found = record.line_record(current_user, line_id)
    if found is None:
        abort(404)
    return render_template("lines/line.html", **found)


# --- carrying a recommendation forward --------------------------------------------------------------------

def _recommendation_to_carry(recommendation_id: int) -> Recommendation:
    recommendation = get_or_404(Recommendation, recommendation_id)
    if recommendation.deleted_at is not None:
        abort(404)
    declaration = get_declaration(recommendation.declaration_id)
    require(permissions.can_edit_text(current_user, declaration))
    return recommendation


def _whole_number_arg(name: str, low: int, high: int) -> tuple[int | None, str | None]:
    text = request.args.get(name, "").strip()
    if not text:
        return None, None
    if text.isascii() and text.isdigit() and low <= int(text) <= high:
        return int(text), None
    return None, _("Give a whole number from %(low)d to %(high)d.", low=low, high=high)


@bp.route("/carry/<int:recommendation_id>")
def carry(recommendation_id):
    """Find the earlier recommendation this one carries forward (by words, year and number), or undo it."""
    recommendation = _recommendation_to_carry(recommendation_id)
    words, words_error = query_text("q", QUERY_LIMIT)
    year, year_error = _whole_number_arg("year", 1, 9999)
    number, number_error = _whole_number_arg("number", 1, 9999)
    page = None
    if not (words_error or year_error or number_error):
        found = search.candidates(current_user, recommendation.declaration_id,
                                  search.Wanted(tuple(words.split()), year, number), page_number())
        page = CountedPage(found["rows"], found["number"], found["per_page"], found["total"], found["more"])
    line_id = recommendation.line_id
    return render_template(
        "lines/carry.html", recommendation=recommendation, declaration=recommendation.declaration,
        number=queries.number_in_declaration(recommendation), page=page, words=words, year=year, number_wanted=number,
        errors={"q": words_error, "year": year_error, "number": number_error}, query_limit=QUERY_LIMIT,
        line_id=line_id, summary=queries.summaries(current_user, [line_id]).get(line_id) if line_id else None,
        editable=recommendation.declaration.phase in EDITABLE_PHASES,
        undo_form=UndoCarryForm(formdata=None, line_id=str(line_id or "")))


def _back_to_carry(recommendation):
    return redirect(url_for("lines.carry", recommendation_id=recommendation.id), 303)


@bp.route("/carry/<int:recommendation_id>", methods=["POST"])
def carry_choose(recommendation_id):
    recommendation = _recommendation_to_carry(recommendation_id)
    form = CarryForm()
    if not form.validate_on_submit():
        flash_refusal(_("Choose the earlier recommendation from the list, then press its button."))
        return _back_to_carry(recommendation)
    outcome = carry_out(services.carry_forward, acting_user(), recommendation, kind=form.kind.data,
                        source_id=form_id(form.source_id.data),
                        success=_("This recommendation now carries the earlier one forward: wherever it is shown, "
                                  "it links to their line."))
    if not outcome.done:
        flash_refusal(outcome.error)
    return _back_to_carry(recommendation)


@bp.route("/carry/<int:recommendation_id>/undo", methods=["POST"])
def carry_undo(recommendation_id):
    recommendation = _recommendation_to_carry(recommendation_id)
    form = UndoCarryForm()
    if not form.validate_on_submit():
        flash_refusal(_("Undo from this page: it shows the line you are leaving."))
        return _back_to_carry(recommendation)
    outcome = carry_out(services.stop_carrying, acting_user(), recommendation,
                        expected_line_id=form_id(form.line_id.data),
                        success=_("This recommendation no longer carries an earlier one forward."))
    if not outcome.done:
        flash_refusal(outcome.error)
    return _back_to_carry(recommendation)


# --- importing the years before Sanad ----------------------------------------------------------------------

def _import_page(form, error=None, status=None):
    imported = sql_page(select(EarlierDeclaration).order_by(EarlierDeclaration.year.desc(),
                                                            EarlierDeclaration.id.desc()), IMPORTED_PER_PAGE)
    ids = [d.id for d in imported.items]
    counts = dict(db.session.execute(
        select(EarlierRecommendation.declaration_id, func.count()).where(EarlierRecommendation.declaration_id.in_(ids))
        .group_by(EarlierRecommendation.declaration_id)).all()) if ids else {}
    return render_form("lines/import.html", status=status, form=form, error=error, imported=imported, counts=counts,
                       columns=import_rows.COLUMNS, required=import_rows.REQUIRED, vocabularies=VOCABULARIES)


@bp.route("/import")
def import_page():
    """The import's documentation, its template, the upload form and what was imported so far."""
    require(permissions.can_keep_record(current_user))
    return _import_page(ImportForm(formdata=None))


def _filename(name: str) -> str:
    return (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]


def _preview(data: bytes, filename: str, error: str | None = None):
    """Each row's result, or every reason a row is refused; the confirmation carries the file back whole."""
    plan = importing.read(data)
    confirm = ConfirmImportForm(formdata=None, content=base64.b64encode(data).decode("ascii"), sha256=plan.sha256,
                                filename=filename) if plan.ok else None
    return render_form("lines/preview.html", status=200 if plan.ok and not error else 422, plan=plan,
                       confirm=confirm, form=ImportForm(formdata=None), filename=filename, error=error)


@bp.route("/import", methods=["POST"])
def import_preview():
    require(permissions.can_keep_record(current_user))
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_page(form, _("The form had expired. Choose the file again."), 422)
    upload = form.csv_file.data
    if upload is None or not getattr(upload, "filename", ""):
        return _import_page(form, _("Choose the CSV file to import."), 422)
    return _preview(upload.read(importing.MAX_BYTES + 1), _filename(upload.filename))


@bp.route("/import/confirm", methods=["POST"])
def import_confirm():
    """Import the file the preview showed, all of it in one transaction, or nothing."""
    require(permissions.can_keep_record(current_user))
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        return _import_page(ImportForm(formdata=None), _("Nothing was imported: confirm on the preview page. Upload "
                                                         "the file again to see it."), 422)
    try:
        data = base64.b64decode(form.content.data, validate=True)
    except (binascii.Error, ValueError):
        return _import_page(ImportForm(formdata=None), _("Nothing was imported: the file sent back from the preview "
                                                         "was damaged. Upload it again."), 422)
    outcome = carry_out(services.import_earlier_years, acting_user(), data, filename=_filename(form.filename.data),
                        expected_sha256=form.sha256.data)
    if not outcome.done:
        return _preview(data, _filename(form.filename.data), outcome.error)
    counts = outcome.result
    done = [ngettext("%(num)d declaration", "%(num)d declarations", counts["declarations"]),
            ngettext("%(num)d recommendation", "%(num)d recommendations", counts["recommendations"]),
            ngettext("%(num)d answer", "%(num)d answers", counts["answers"])]
    flash(_("Imported: %(what)s. Each recommendation is in its line.", what=", ".join(done)), "success")
    return redirect(url_for("lines.import_page"), 303)


@bp.route("/import/template.csv")
def import_template():
    """The CSV template, with example rows that import as they are (naming this site's first institutions)."""
    require(permissions.can_keep_record(current_user))
    institutions = db.session.scalars(select(Institution).order_by(Institution.id).limit(2)).all()
    response = Response(csv_text(*importing.template_rows(institutions)), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="sanad-earlier-years-template.csv"'
    return response
