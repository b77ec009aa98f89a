"""Downloads of a version or a dossier as an editable document (.docx or .odt), in one language or both
(?language=en|ur|both; both by default). Each loads from the URL, checks who may read it, and answers the file."""
from flask import Blueprint, Response, abort, request
from flask_login import current_user

from app import permissions
from app.declarations.loading import get_declaration
from app.documents import services
from app.submissions import extract
from app.submissions.loading import get_readable_submission
from app.web.pages import acting_user, require

bp = Blueprint("documents", __name__)
KINDS = "any(docx, odt)"


def _language() -> str | None:
    language = request.args.get("language") or None
    if language is not None and language not in services.LANGUAGE_CHOICES:
        abort(404)
    return language


def _attachment(body: bytes, kind: str, filename: str) -> Response:
    response = Response(body, mimetype=services.MIMETYPES[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return response


@bp.route(f"/declarations/<int:declaration_id>/versions/<int:number>.<{KINDS}:kind>")
def version(declaration_id, number, kind):
    """A version of a declaration, for whoever may read the declaration."""
    declaration = get_declaration(declaration_id)
    require(permissions.can_view_declaration(current_user, declaration))
    found = services.version_of(declaration, number)
    if found is None:
        abort(404)
    language = _language()
    try:
        body = services.version_document(acting_user(), declaration, found, kind, language)
    except services.NoSuchLanguage:
        abort(404)
    response = _attachment(body, kind, f"declaration-{declaration.id}-version-{found.number}-{language or 'both'}")
    response.headers["X-Version-SHA256"] = found.sha256
    return response


@bp.route(f"/submissions/<int:submission_id>/dossier.<{KINDS}:kind>")
def dossier(submission_id, kind):
    """The dossier, for those who may read it whole; the public extract of a public declaration's dossier for
    anyone else (as its page and PDF)."""
    submission, complete = get_readable_submission(submission_id)
    require(permissions.can_read_dossier(current_user, submission.declaration, submission.institution_ids))
    language = _language()
    try:
        body = services.dossier_document(acting_user(), submission, complete, kind, language)
    except services.NoSuchLanguage:
        abort(404)
    name = "dossier" if complete else "public-extract-dossier"
    response = _attachment(body, kind, f"{name}-{submission.id}-{submission.sha256[:12]}-{language or 'both'}")
    response.headers["X-Dossier-SHA256"] = submission.sha256
    if not complete:
        response.headers["X-Dossier-Extract"] = extract.EXTRACT
    return response
