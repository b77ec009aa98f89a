"""Submitting a declaration, the dossier in its four forms, the list of submissions, and the public check."""
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from app import permissions
from app.declarations.loading import get_declaration
from app.declarations.models import Declaration, DeclarationDrafter, DeclarationTranslator
from app.declarations.signals import lines_of
from app.exports import csv_text
from app.extensions import db, limiter
from app.institutions.models import Institution
from app.signatures.queries import signing_closed_message
from app.submissions import bilingual, extract, services
from app.submissions import deadlines as recipient_deadlines
from app.submissions import dossier as dossier_builder
from app.submissions.forms import DeadlinesForm, SignonChangeForm, SubmitForm, VerifyForm, typed_deadlines
from app.submissions.loading import get_readable_submission, get_submission
from app.submissions.models import Submission, SubmissionRecipient
from app.submissions.signals import dossier_page_context
from app.time import local_to_utc, utc_to_local
from app.web.pages import acting_user, carry_out, flash_refusal, form_id, render_form, require
from app.web.paging import sql_page

bp = Blueprint("submissions", __name__)
SUBMISSIONS_PER_PAGE = 25
INSTITUTION_CHOICES = 200  # the recipient institutions offered as a filter (a few dozen in practice)


# --- submitting ------------------------------------------------------------------------------

@bp.route("/declarations/<int:declaration_id>/signon", methods=["GET", "POST"])
def signon(declaration_id):
    """Sign-on before submission: close it now, move its deadline, or reopen it on the same version. The page
    says what each does and to whom; its forms carry the version hash and the deadline it showed."""
    declaration = get_declaration(declaration_id)
    require(permissions.can_submit(current_user, declaration))
    form = SignonChangeForm()
    error = None
    if form.validate_on_submit():
        outcome = carry_out(services.set_signon_deadline, acting_user(), declaration, local_to_utc(form.deadline.data),
                            expected_sha256=form.expected_sha256.data, expected_deadline=form.expected_deadline.data)
        if outcome.done:
            flash(ngettext("The sign-on deadline is changed; every signature stays. %(num)d person who may sign "
                           "and has not is told.",
                           "The sign-on deadline is changed; every signature stays. %(num)d people who may sign "
                           "and have not are told.", outcome.result), "success")
            return redirect(url_for("submissions.submit", declaration_id=declaration.id), 303)
        error = outcome.error
    elif request.method == "POST":
        error = _("Confirm on this page: it shows the version and the deadline you are changing.")
    return _signon_page(declaration, form, error)


def _signon_page(declaration, form, error=None):
    change = services.signon_change_preview(declaration)
    if change["version"] is None or services.submission_for(declaration.id) is not None:
        flash_refusal(_("Only a declaration in sign-on, not yet submitted, can have its sign-on changed."))
        return redirect(url_for("declarations.read", declaration_id=declaration.id), 303)
    form.expected_sha256.data, form.expected_deadline.data = change["version"].sha256, change["stamp"]
    if request.method == "GET" and change["deadline"] is not None and not change["closed"]:
        form.deadline.data = utc_to_local(change["deadline"])
    return render_form("submissions/signon.html", form=form, error=error, declaration=declaration, change=change)


@bp.route("/declarations/<int:declaration_id>/close-signon", methods=["POST"])
def close_signon(declaration_id):
    declaration = get_declaration(declaration_id)
    require(permissions.can_submit(current_user, declaration))
    form = SignonChangeForm()
    if not form.validate_on_submit():
        return _signon_page(declaration, form, _("Confirm on this page: it shows the version and the deadline "
                                                 "you are closing."))
    outcome = carry_out(services.close_signon, acting_user(), declaration, expected_sha256=form.expected_sha256.data,
                        expected_deadline=form.expected_deadline.data,
                        success=_("Sign-on is closed. Nobody can sign or withdraw now; check the counts and submit, "
                                  "or reopen sign-on on the same version."))
    if not outcome.done:
        return _signon_page(declaration, form, outcome.error)
    return redirect(url_for("submissions.submit", declaration_id=declaration.id), 303)


@bp.route("/declarations/<int:declaration_id>/submit", methods=["GET", "POST"])
def submit(declaration_id):
    """Choose the recipients and submit the signed version, with the counts of what goes with it."""
    declaration = get_declaration(declaration_id)
    require(permissions.can_submit(current_user, declaration))
    existing = services.submission_for(declaration.id)
    if existing is not None:
        flash(_("This declaration was already submitted. Here is its dossier."), "info")
        return redirect(url_for("submissions.dossier", submission_id=existing.id), 303)
    form = SubmitForm()
    told = services.reviewers_by_institution()
    institutions = db.session.scalars(select(Institution).order_by(Institution.name)).all()
    form.recipients.choices = [(i.id, _recipient_label(i, told.get(i.id, 0))) for i in institutions]
    error = None
    posted = request.method == "POST"
    dates = typed_deadlines(request.form if posted else None, institutions,
                            set(form.recipients.data or ()) if posted else set())
    if form.validate_on_submit() and not dates.problems:
        outcome = carry_out(services.submit, acting_user(), declaration, version_id=form_id(form.version_id.data),
                            institution_ids=form.recipients.data, deadlines=dates.chosen,
                            success=_("Submitted. The recipients' reviewers have been told."))
        if outcome.done:
            return redirect(url_for("submissions.dossier", submission_id=outcome.result.id), 303)
        if isinstance(outcome.refusal, services.AlreadySubmitted):
            flash(outcome.error, "info")
            return redirect(url_for("submissions.dossier", submission_id=outcome.refusal.submission.id), 303)
        error = outcome.error
    readiness = services.submission_readiness(declaration)
    if request.method == "GET" or error:
        form.version_id.data = str(readiness["version"].id) if readiness["version"] else ""
    if request.method == "GET":
        form.recipients.data = services.suggested_recipients(declaration)
    return render_form("submissions/submit.html", form=form, error=error, declaration=declaration,
                       readiness=readiness, signing_open=signing_closed_message(declaration) is None,
                       institutions=institutions, dates=dates, status=422 if posted and dates.problems else None)


def _recipient_label(institution: Institution, reviewers: int) -> str:
    """An institution to choose, with how many of its reviewers the submission will email."""
    if not reviewers:
        return _("%(name)s (no reviewer account yet: nobody there is emailed)", name=institution.name)
    return ngettext("%(name)s (%(num)d reviewer is emailed)", "%(name)s (%(num)d reviewers are emailed)",
                    reviewers, name=institution.name)


# --- deadlines ------------------------------------------------------------------------------

@bp.route("/submissions/<int:submission_id>/deadlines", methods=["GET", "POST"])
def deadlines(submission_id):
    """Each recipient's deadlines, set or moved by a coordinator one institution at a time (a submission made
    before there were deadlines gets its first ones here)."""
    submission = get_submission(submission_id)
    require(permissions.can_keep_record(current_user))
    form = DeadlinesForm()
    error, editing = None, form_id(form.institution.data) if request.method == "POST" else None
    if form.validate_on_submit():
        outcome = carry_out(recipient_deadlines.move, acting_user(), submission, editing,
                            acknowledge_by=form.acknowledge_by.data, answer_by=form.answer_by.data,
                            expected=form.expected.data)
        if outcome.done and outcome.result:
            flash(_("The deadlines are saved. Reminders follow the new dates."), "success")
        elif outcome.done:
            flash(_("The deadlines were already these: nothing changed."), "info")
        if outcome.done:
            return redirect(url_for("submissions.deadlines", submission_id=submission.id), 303)
        error = outcome.error
    elif request.method == "POST":
        error = _("Check the dates marked below.")
    today = recipient_deadlines.site_today()
    return render_form("submissions/deadlines.html", form=form, error=error, editing=editing, submission=submission,
                       deadlines=recipient_deadlines.of_submission(submission.id), today=today,
                       suggested=recipient_deadlines.default_dates(today), stamp=recipient_deadlines.stamp,
                       closed=services.follow_up_closed_message(submission))


# --- the dossier -----------------------------------------------------------------------------

@bp.route("/submissions")
def index():
    """The submissions this person may open (for reviewers, those addressed to their institution), the latest
    first, a page at a time; filtered by the institution addressed and by declaration. All in SQL."""
    user = acting_user()
    query = select(Submission).options(selectinload(Submission.recipients)).where(permissions.dossier_visible_clause(
        user, Submission, SubmissionRecipient, Declaration, DeclarationDrafter, DeclarationTranslator)).order_by(
        Submission.submitted_at.desc(), Submission.id.desc())
    institution, declaration, unknown = _list_filters(user)
    if institution is not None:
        query = query.where(exists().where(SubmissionRecipient.submission_id == Submission.id,
                                           SubmissionRecipient.institution_id == institution.id))
    if declaration is not None:
        query = query.where(Submission.declaration_id == declaration.id)
    institutions = db.session.scalars(select(Institution).order_by(Institution.name).limit(INSTITUTION_CHOICES)).all()
    return render_template("submissions/index.html", page=sql_page(query, SUBMISSIONS_PER_PAGE),
                           institution=institution, declaration=declaration, unknown=unknown,
                           institutions=institutions)


def _list_filters(user) -> tuple:
    """The institution and the declaration the list is filtered by (?institution=, ?declaration=), and what to
    say of a filter that names nothing this person may see (the filter is then left out)."""
    unknown = []
    institution = declaration = None
    if request.args.get("institution"):
        institution = db.session.get(Institution, form_id(request.args["institution"]) or 0)
        if institution is None:
            unknown.append(_("There is no such institution: submissions to every institution are shown."))
    if request.args.get("declaration"):
        declaration = db.session.get(Declaration, form_id(request.args["declaration"]) or 0)
        if declaration is None or not permissions.can_view_declaration(user, declaration):
            declaration = None
            unknown.append(_("There is no such declaration: submissions of every declaration are shown."))
    return institution, declaration, unknown


def _dossier_context(submission: Submission, complete: bool) -> dict:
    """What the dossier's page and PDF show: the complete dossier, or the public extract of it."""
    content = submission.content if complete else extract.public_extract(submission.content)
    return {"submission": submission, "content": content, "declaration": submission.declaration,
            "complete": complete, "groups": dossier_builder.recommendations_by_pillar(content),
            "both": bilingual.both_texts(submission, content),
            "institutions": submission.institution_names,
            "html": {rec.recommendation_id: rec.text_html
                     for rec in services.submitted_recommendations(submission)}}


@bp.route("/submissions/<int:submission_id>")
def dossier(submission_id):
    """The dossier as a web page: cover, contents, text, recommendations by pillar, annexes, record."""
    submission, complete = get_readable_submission(submission_id)
    return render_template("submissions/dossier.html", **_dossier_context(submission, complete),
                           closed=services.follow_up_closed_message(submission),
                           lines=lines_of(current_user, declaration_id=submission.declaration_id),
                           **dossier_page_context(submission))


def _download(body, mimetype: str, submission: Submission, complete: bool, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    name = name if complete else f"public-extract-{name}"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="dossier-{submission.id}-{submission.sha256[:12]}-{name}"')
    response.headers["X-Dossier-SHA256"] = submission.sha256
    if not complete:
        response.headers["X-Dossier-Extract"] = extract.EXTRACT
    return response


@bp.route("/submissions/<int:submission_id>/dossier.json")
def dossier_json(submission_id):
    submission, complete = get_readable_submission(submission_id)
    body = dossier_builder.dossier_json(submission) if complete else extract.extract_json(submission)
    return _download(body, "application/json", submission, complete, "dossier.json")


@bp.route("/submissions/<int:submission_id>/recommendations.csv")
def recommendations_csv(submission_id):
    submission, complete = get_readable_submission(submission_id)
    return _download(csv_text(*dossier_builder.recommendation_rows(submission)), "text/csv", submission, complete,
                     "recommendations.csv")


@bp.route("/submissions/<int:submission_id>/signatories.csv")
def signatories_csv(submission_id):
    submission, complete = get_readable_submission(submission_id)
    content = submission.content if complete else extract.public_extract(submission.content)
    return _download(csv_text(*dossier_builder.signatory_rows(submission, content, complete)), "text/csv",
                     submission, complete, "signatories.csv")


@bp.route("/submissions/<int:submission_id>/dossier.pdf")
def dossier_pdf(submission_id):
    submission, complete = get_readable_submission(submission_id)
    language = str(get_locale())
    pdf = dossier_builder.dossier_pdf(submission, language, complete, lambda: render_template(
        "submissions/dossier_pdf.html", **_dossier_context(submission, complete)))
    return _download(pdf, "application/pdf", submission, complete, f"{language}.pdf")


# --- verification ----------------------------------------------------------------------------

@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit("30/minute", methods=["POST"])
def verify():
    """Anyone checks a hash, or an uploaded dossier JSON, against the submissions."""
    form = VerifyForm()
    result, error = None, None
    if form.validate_on_submit():
        result, error = _verification(form)
    status = 422 if error or form.errors else 200
    return render_form("submissions/verify.html", status=status, form=form, error=error, result=result)


def _verification(form: VerifyForm) -> tuple[dict | None, str | None]:
    """What checking the uploaded dossier or the hash found, or what to fix."""
    upload = form.dossier.data
    if upload is not None and upload.filename:
        outcome = carry_out(services.verify_json, upload.read(services.MAX_UPLOAD + 1))
        if not outcome.done:
            return None, outcome.error
        return {**outcome.result, "kind": "json"}, None
    if form.sha256.data:
        outcome = carry_out(services.find_by_hash, form.sha256.data)
        if not outcome.done:
            return None, outcome.error
        submission, matched = outcome.result
        return {"kind": "hash", "submission": submission, "matched": matched,
                "computed": form.sha256.data.strip().lower()}, None
    return None, _("Enter a hash or choose the dossier's JSON file.")
