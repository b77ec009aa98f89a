"""Importing a declaration from a Word or OpenDocument file: upload, preview (and change what each paragraph
becomes), confirm — as a new declaration (/declarations/import) or as new revisions of a draft
(/declarations/<id>/import). The file itself is read in memory during the upload request and not kept: the
preview carries what was read, signed by this site, to the confirmation."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app import permissions
from app.choices import PILLARS
from app.declarations.loading import get_declaration
from app.declarations.services import EDITABLE_PHASES
from app.documents import importing, intake, reading, structure
from app.documents.forms import NewPreviewForm, NewUploadForm, PreviewForm, UploadForm
from app.documents.views import bp
from app.errors import RuleError
from app.web.forms import clean_line, clean_text
from app.web.pages import acting_user, answer_repeat, carry_out, render_form, require

# The upload's request may be larger than the site's usual limit (SANAD_MAX_BODY_BYTES): two files of up to
# 8 MB and the form around them (app/__init__.py _body_limit).
MAX_REQUEST_BYTES = 2 * intake.MAX_BYTES + 64 * 1024


def _filename(name: str) -> str:
    """The file's own name, without a folder, at most 200 characters — its extension kept."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem, dot, extension = name.rpartition(".")
    return name if len(name) <= 200 else f"{stem[:190]}{dot}{extension[:9]}" if dot else name[:200]


def _cleaned(upload: reading.Upload) -> None:
    """Each paragraph as every form keeps text (app/web/forms.py): NFC, no invisible characters or bidi overrides."""
    for unit in upload.units:
        unit.markdown = clean_text(unit.markdown) or ""
        unit.notes = [clean_line(note) for note in unit.notes]


def _uploads(form: UploadForm) -> list[reading.Upload] | None:
    """The files sent, read; None when one cannot be imported, with why beside its field (naming the file)."""
    uploads = []
    for field in (form.document, form.translation):
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            continue
        name = _filename(upload.filename)
        try:
            found = reading.read_file(name, upload.read(intake.MAX_BYTES + 1))
        except intake.Refused as refusal:
            field.errors = [_("%(file)s: %(reason)s", file=name, reason=str(refusal))]
            return None
        finally:
            upload.close()
        for part in found:
            _cleaned(part)
        uploads.extend(found)
    if not uploads:
        form.document.errors = [_("Choose the file to import.")]
        return None
    return uploads


def _preview_page(uploads, declaration, form, error=None, status=None):
    plan = importing.plan(uploads, declaration)
    form.preview.data = importing.sealed(acting_user(), uploads, declaration)
    return render_form("documents/import_preview.html", status=status or (422 if error else 200), uploads=uploads,
                       plan=plan, declaration=declaration, form=form, error=error, ROLES=structure.ROLES,
                       PILLARS=PILLARS)


# --- a new declaration --------------------------------------------------------------------------------------

@bp.route("/declarations/import", methods=["GET", "POST"])
def import_new():
    require(permissions.can_create_declaration(acting_user()))
    if request.method == "GET":
        return render_form("documents/import.html", form=NewUploadForm(formdata=None), declaration=None)
    form = NewUploadForm()
    if not form.validate_on_submit():
        return render_form("documents/import.html", form=form, declaration=None,
                           error=_("Nothing was read: check the choices below and choose the file again."), status=422)
    uploads = _uploads(form)
    if uploads is None:
        return render_form("documents/import.html", form=form, declaration=None, status=422)
    settings = {"kind": form.kind.data, "moderation": form.moderation.data, "visibility": form.visibility.data}
    # The upload page's one-time key goes with the preview to the confirmation: one key for one import, however
    # often the preview is updated (app/form_keys).
    return _preview_page(uploads, None, NewPreviewForm(formdata=None, form_key=request.form.get("form_key", ""),
                                                       **settings))


@bp.route("/declarations/import/confirm", methods=["POST"])
def import_new_confirm():
    """Update the preview with the roles chosen, or make the declaration from it."""
    require(permissions.can_create_declaration(acting_user()))
    form = NewPreviewForm()
    uploads, error = _carried(form, None)
    if uploads is None:
        return render_form("documents/import.html", form=NewUploadForm(formdata=None), declaration=None,
                           error=error, status=422)
    if request.form.get("action") != "confirm":
        return _preview_page(uploads, None, form)
    outcome = carry_out(importing.create, acting_user(), uploads, kind=form.kind.data, moderation=form.moderation.data,
                        visibility=form.visibility.data, form_key=form.form_key.data)
    if outcome.repeat:
        return answer_repeat(outcome.repeat)
    if not outcome.done:
        return _preview_page(uploads, None, form, outcome.error)
    declaration = outcome.result
    url = outcome.answered(url_for("declarations.edit", declaration_id=declaration.id))
    flash(_("The declaration has been created from the document. Check each part, choose the recommendations' "
            "themes, and open the consultation when it is ready."), "success")
    return redirect(url, 303)


def _carried(form, declaration) -> tuple[list | None, str]:
    """The preview sent back, with the roles chosen on it, and the state of the text it showed; or None and why."""
    if not form.validate_on_submit():
        return None, _("The preview had expired. Upload the file again.")
    try:
        uploads, state = importing.opened_preview(acting_user(), form.preview.data, declaration)
    except RuleError as refusal:
        return None, str(refusal)
    importing.with_roles(uploads, request.form)
    return uploads, state


# --- new revisions of a draft -------------------------------------------------------------------------------

def _draft_to_revise(declaration_id):
    declaration = get_declaration(declaration_id)
    require(permissions.can_manage_declaration(acting_user(), declaration))
    return declaration


@bp.route("/declarations/<int:declaration_id>/import", methods=["GET", "POST"])
def import_revision(declaration_id):
    declaration = _draft_to_revise(declaration_id)
    if declaration.phase not in EDITABLE_PHASES:
        return render_form("documents/import.html", form=None, declaration=declaration,
                           error=_("The text can only be changed while drafting or in revision."), status=409)
    if request.method == "GET":
        return render_form("documents/import.html", form=UploadForm(formdata=None), declaration=declaration)
    form = UploadForm()
    if not form.validate_on_submit():
        return render_form("documents/import.html", form=form, declaration=declaration,
                           error=_("The form had expired. Choose the file again."), status=422)
    uploads = _uploads(form)
    if uploads is None:
        return render_form("documents/import.html", form=form, declaration=declaration, status=422)
    return _preview_page(uploads, declaration, PreviewForm(formdata=None))


@bp.route("/declarations/<int:declaration_id>/import/confirm", methods=["POST"])
def import_revision_confirm(declaration_id):
    declaration = _draft_to_revise(declaration_id)
    form = PreviewForm()
    uploads, state = _carried(form, declaration)
    if uploads is None:
        return render_form("documents/import.html", form=UploadForm(formdata=None), declaration=declaration,
                           error=state, status=422)
    if request.form.get("action") != "confirm":
        return _preview_page(uploads, declaration, form)
    outcome = carry_out(importing.revise, acting_user(), declaration, uploads, state)
    if not outcome.done:
        return _preview_page(uploads, declaration, form, outcome.error)
    flash(ngettext("Imported: %(num)d part changed; each change is a new revision.",
                   "Imported: %(num)d parts changed; each change is a new revision.", outcome.result)
          if outcome.result else _("Imported: the document says what the text already says; nothing changed."),
          "success")
    return redirect(url_for("declarations.edit", declaration_id=declaration.id), 303)
