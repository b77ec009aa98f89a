"""Signing, the signatory list, open sign-on, approvals, the chase list, exports and statistics."""
import json
import re

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import false

from app import charts, permissions
from app.choices import ORGANIZATION_TYPES, PROVINCES, SIGNATURE_CAPACITIES, label
from app.declarations.loading import get_declaration, institution_names
from app.declarations.services import live_recommendations, live_sections, numbering
from app.declarations.signals import submitted_to
from app.errors import RuleError
from app.exports import csv_text
from app.extensions import limiter
from app.formatting import isolated
from app.signatures import open_signon, queries, reminders, services
from app.signatures.forms import OpenSignonForm, RejectForm, SignForm, WithdrawForm
from app.signatures.models import Signature
from app.web.pages import (
    acting_user,
    ask_again,
    attempt,
    carry_out,
    flash_refusal,
    form_id,
    get_or_404,
    query_text,
    render_form,
    require,
)
from app.web.paging import sql_page
from app.web.security import path_token, token_limits

bp = Blueprint("signatures", __name__)


def _open_limits():
    return current_app.config["OPEN_SIGNON_LIMITS"]


def _submitted_email_key():
    return "open-signon:" + open_signon.email_key(request.form.get("email", ""))


# --- signing -----------------------------------------------------------------------------

@bp.route("/declarations/<int:declaration_id>/sign")
def sign(declaration_id):
    """The frozen text, its version and hash, and the form: for one's organization or as an expert."""
    declaration = get_declaration(declaration_id)
    user = acting_user()
    standing = queries.signing_standing(user, declaration)
    require(permissions.can_sign(user, declaration) or bool(standing.own))
    form = SignForm()
    form.version_id.data = str(standing.version.id) if standing.version else ""
    form.capacity.data = standing.capacities[0] if standing.capacities else None
    # A re-confirmation starts from what was signed before; signing again after a withdrawal, from the
    # withdrawn signature's choices.
    previous = standing.earlier.get(form.capacity.data)
    starting_from = previous or queries.withdrawn_signatures(user, declaration).get(form.capacity.data)
    if starting_from is not None:
        form.visibility.data = starting_from.visibility
    reservations = {r.recommendation_id: r.text for r in starting_from.reservations} if starting_from else {}
    return _sign_page(declaration, standing, form, previous, reservations)


@bp.route("/declarations/<int:declaration_id>/sign", methods=["POST"])
def record_signature(declaration_id):
    """The sign page's form. The hot path of a sign-on: no more queries than signing needs (see
    bench/signing.py). Refused, the page comes back as it was sent, with what to fix."""
    declaration = get_declaration(declaration_id)
    user = acting_user()
    require(permissions.can_sign(user, declaration))
    form = SignForm()
    # A capacity already signed is not offered, but a repeated submit of it gets "already signed".
    form.capacity.choices = [(c, c) for c in queries.signing_capacities(user, declaration)]
    error = None
    if form.validate_on_submit():
        try:
            # The checks only read, before attempt(): a repeated submit is answered without taking a write
            # lock (SQLite) or writing anything.
            plan = services.plan_signature(user, declaration, capacity=form.capacity.data,
                                           visibility=form.visibility.data,
                                           version_id=form_id(form.version_id.data),
                                           reservations=_submitted_reservations())
            with attempt():
                services.record_signature(user, declaration, plan)
        except services.AlreadySigned as rule:
            flash(str(rule), "info")
            return redirect(url_for("signatures.sign", declaration_id=declaration.id), 303)
        except RuleError as rule:
            error = str(rule)
        else:
            flash(_("Thank you. The signature is recorded."), "success")
            return redirect(url_for("signatures.sign", declaration_id=declaration.id), 303)
    standing = queries.signing_standing(user, declaration)
    return _sign_page(declaration, standing, form, standing.earlier.get(form.capacity.data),
                      _submitted_reservations(), error=error, status=422)


def _sign_page(declaration, standing, form, previous, reservations, error=None, status=200):
    user = acting_user()
    form.capacity.choices = [(c, _capacity_label(c, user)) for c in standing.capacities]
    recommendations = live_recommendations(declaration.id)
    recipients = submitted_to(declaration)
    return render_form(
        "signatures/sign.html", form=form, declaration=declaration, version=standing.version, own=standing.own,
        previous=previous, named={s.id for s in standing.own if permissions.can_see_signer(user, s, recipients)},
        capacities=standing.capacities, sections=live_sections(declaration.id), recommendations=recommendations,
        numbers=numbering(recommendations), institutions=institution_names(), reservations=reservations,
        error=error or queries.signing_closed_message(declaration, standing.version), withdraw_form=WithdrawForm(),
        status=status)


def _capacity_label(capacity: str, user) -> str | Markup:
    if capacity == "organization":
        # the name isolated in the label, which keeps the markup: an English name in the Urdu sentence
        return escape(_("On behalf of %(organization)s")) % {"organization": isolated(user.organization.display_name)}
    return str(SIGNATURE_CAPACITIES["individual"])


RESERVATION_FIELD = re.compile(r"reservation-(\d{1,18})")


def _submitted_reservations() -> dict[int, str]:
    """The non-empty reservation-<recommendation id> fields; the service checks the ids belong to the text."""
    found = {}
    for key, text in request.form.items():
        match = RESERVATION_FIELD.fullmatch(key)
        if match and text.strip():
            found[int(match.group(1))] = text
    return found


@bp.route("/signatures/<int:signature_id>/withdraw", methods=["POST"])
def withdraw(signature_id):
    signature = get_or_404(Signature, signature_id)
    declaration = get_declaration(signature.declaration_id)
    require(permissions.can_withdraw_signature(acting_user(), signature))
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash_refusal(_("The reason can have at most 1000 characters."))
    else:
        outcome = carry_out(services.withdraw, acting_user(), signature, form.reason.data or "", success=_(
            "The signature of %(name)s has been withdrawn. You can sign again while sign-on is open.",
            name=signature.display_name))
        if not outcome.done:
            flash_refusal(outcome.error)
    return redirect(url_for("signatures.sign", declaration_id=declaration.id), 303)


# --- the list ----------------------------------------------------------------------------

FILTERS = ("status", "capacity", "visibility", "version", "q")


@bp.route("/declarations/<int:declaration_id>/signatories")
def signatories(declaration_id):
    """Organizations and individuals who signed, as far as this person may see them, with their counts."""
    declaration = get_declaration(declaration_id)
    user = current_user
    manage = permissions.can_manage_signatures(user, declaration)
    # The choices come from the page's own lists; the name box is free text, refused whole when too long.
    filters = {key: request.args.get(key, "").strip()[:100] for key in FILTERS if key != "q"} if manage else {}
    query_error = None
    if manage:
        filters["q"], query_error = query_text("q", 100)
        if query_error:
            filters["status"] = "none"  # matches nothing: the page says what to fix
    recipients = submitted_to(declaration)
    rows = queries.visible_signatures(user, declaration, recipients, **filters)
    current = queries.signing_version(declaration) or declaration.latest_version
    return render_template(
        "signatures/list.html", declaration=declaration, manage=manage, filters=filters, current=current,
        query_error=query_error,
        organizations=[s for s in rows if s.capacity == "organization"],
        individuals=[s for s in rows if s.capacity == "individual"], counts=queries.tally(rows, current),
        unnamed=queries.unnamed_count(user, declaration, rows, recipients), reject_form=RejectForm(),
        duplicates=open_signon.likely_duplicates(declaration, rows) if manage else {},
        closed_message=queries.signing_closed_message(declaration),
        can_sign=permissions.can_sign(user, declaration),
        # A row of one's own organization is listed even when its signer is hidden from this person.
        named={s.id for s in rows if permissions.can_see_signer(user, s, recipients)},
        show_signers=permissions.sees_organization_signers(user, recipients))


@bp.route("/signatures/<int:signature_id>/<any(approve, reject):decision>", methods=["POST"])
def decide(signature_id, decision):
    signature = get_or_404(Signature, signature_id)
    declaration = get_declaration(signature.declaration_id)
    require(permissions.can_manage_signatures(acting_user(), declaration))
    form = RejectForm()
    if decision == "reject" and not form.validate_on_submit():
        return ask_again(form, action=request.path, title=_("Reject the signature of %(name)s",
                                                             name=signature.display_name),
                         button=_("Reject"), danger=True, back=url_for(
                             "signatures.signatories", declaration_id=declaration.id, status="pending"))
    if decision == "approve":
        outcome = carry_out(open_signon.approve, acting_user(), signature, success=_(
            "%(name)s is now counted as a signatory; the organization has been told by email.",
            name=signature.display_name))
    else:
        outcome = carry_out(open_signon.reject, acting_user(), signature, form.reason.data, success=_(
            "The signature of %(name)s has been rejected; the organization has been told by email, with the reason.",
            name=signature.display_name))
    if not outcome.done:
        flash_refusal(outcome.error)
    return redirect(url_for("signatures.signatories", declaration_id=declaration.id, status="pending"), 303)


@bp.route("/declarations/<int:declaration_id>/open-signon", methods=["POST"])
def toggle_open_signon(declaration_id):
    declaration = get_declaration(declaration_id)
    require(permissions.can_manage_signatures(acting_user(), declaration))
    enabled = request.form.get("enabled") == "1"
    outcome = carry_out(open_signon.set_open_signon, acting_user(), declaration, enabled,
                        success=_("Organizations outside the alliance can now sign through the public form.")
                        if enabled else _("The public sign-on form is closed."))
    if not outcome.done:
        flash_refusal(outcome.error)
    return redirect(url_for("signatures.signatories", declaration_id=declaration.id), 303)


# --- open sign-on ------------------------------------------------------------------------

@bp.route("/declarations/<int:declaration_id>/sign/open", methods=["GET", "POST"])
@limiter.limit(_open_limits, methods=["POST"])
@limiter.limit(_open_limits, key_func=_submitted_email_key, methods=["POST"])
def open_form(declaration_id):
    """Organizations outside the alliance ask to sign; the signature exists once the emailed link is opened."""
    declaration = get_declaration(declaration_id)
    closed = open_signon.open_signon_closed_message(declaration)
    if closed and not declaration.open_signon:
        abort(404)
    form = OpenSignonForm()
    error = closed
    if not closed and form.validate_on_submit():
        if form.fax.data:  # the honeypot: answer as if all went well, keep nothing
            return render_template("signatures/open_sent.html", declaration=declaration, email=form.email.data,
                                   days=open_signon.OPEN_LINK_DAYS)
        outcome = carry_out(
            open_signon.request_open_signature, declaration, language=str(get_locale() or "en"),
            version_id=form_id(form.version_id.data),
            **{name: form[name].data for name in ("organization_name", "organization_type", "country", "province",
                                                  "website", "signer_name", "signer_designation", "email",
                                                  "visibility")})
        if outcome.done:
            return render_template("signatures/open_sent.html", declaration=declaration, email=form.email.data,
                                   days=open_signon.OPEN_LINK_DAYS)
        error = outcome.error
    recommendations = live_recommendations(declaration.id)
    version = queries.signing_version(declaration)
    if request.method == "GET" and version is not None:
        form.version_id.data = str(version.id)
    return render_form("signatures/open_form.html", form=form, declaration=declaration, error=error,
                       closed=closed, version=version, sections=live_sections(declaration.id),
                       recommendations=recommendations, numbers=numbering(recommendations),
                       institutions=institution_names(),
                       status=422 if request.method == "POST" and (error or form.errors) else 200)


@bp.route("/sign/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(token_limits, methods=["POST"])
@limiter.limit(token_limits, key_func=path_token, methods=["POST"])
def confirm_open(token):
    """GET shows what will be signed; only the POST (a button) signs, so link previews sign nothing."""
    error = None
    if request.method == "POST":
        outcome = carry_out(open_signon.confirm_open_signature, token)
        if isinstance(outcome.refusal, services.AlreadySigned):
            return render_form("signatures/confirm.html", done=outcome.error, request_=None, declaration=None)
        if outcome.done:
            signature = outcome.result
            return render_form("signatures/confirm.html", signature=signature, request_=signature.open_request,
                               declaration=get_declaration(signature.declaration_id), done=None)
        error = outcome.error
    open_request = open_signon.open_request_for_token(token)
    used = open_signon.used_link_message(token) if open_request is None and error is None else None
    if used is not None:
        return render_form("signatures/confirm.html", done=used, request_=None, declaration=None)
    if open_request is None:
        return render_form("signatures/confirm.html", request_=None, declaration=None, done=None, status=404,
                           error=error or _("This link is not valid, has already been used or has expired."))
    declaration = get_declaration(open_request.declaration_id)
    version = queries.signing_version(declaration)
    return render_form("signatures/confirm.html", request_=open_request, declaration=declaration, version=version,
                       done=None, error=error or open_signon.open_signon_closed_message(declaration),
                       status=422 if error else 200)


# --- chase list --------------------------------------------------------------------------

@bp.route("/declarations/<int:declaration_id>/chase", methods=["GET", "POST"])
def chase(declaration_id):
    """The organizations that have not signed, a page at a time by name; reminders to those ticked on it."""
    declaration = get_declaration(declaration_id)
    require(permissions.can_manage_signatures(acting_user(), declaration))
    name, name_error = query_text("q", 100)
    if request.method == "POST":
        if request.form.get("all") == "1":  # every page's organizations, not reminded today
            _remind_all(declaration)
        else:  # those ticked on the page
            _remind(declaration, [i for i in (form_id(v) for v in request.form.getlist("organization_id"))
                                  if i is not None])
        return redirect(url_for("signatures.chase", declaration_id=declaration.id, q=name or None,
                                page=request.args.get("page") or None), 303)
    page = sql_page(reminders.chase_query(declaration, name) if not name_error else
                    reminders.chase_query(declaration).where(false()), reminders.CHASE_PAGE_SIZE)
    return render_template("signatures/chase.html", declaration=declaration, page=page,
                           rows=reminders.chase_rows(declaration, page.items), q=name, query_error=name_error,
                           unsigned=reminders.unsigned_count(declaration) if name else page.total,
                           closed_message=queries.signing_closed_message(declaration))


def _remind_all(declaration) -> None:
    outcome = carry_out(reminders.remind_all, acting_user(), declaration)
    if not outcome.done:
        flash_refusal(outcome.error)
        return
    sent, stopped = outcome.result
    flash(ngettext("Reminders sent to %(num)d organization.", "Reminders sent to %(num)d organizations.", sent)
          + (" " + _("The mail budget stopped the rest: send them later.") if stopped else ""), "success")


def _remind(declaration, ids: list[int]) -> None:
    if not ids:
        flash_refusal(_("Choose at least one organization to remind."))
        return
    outcome = carry_out(reminders.send_reminders, acting_user(), declaration, ids)
    if not outcome.done:
        flash_refusal(outcome.error)
        return
    sent, skipped = outcome.result
    flash(ngettext("Reminders sent to %(num)d organization; %(skipped)d skipped (already reminded today, "
                   "or no representative).",
                   "Reminders sent to %(num)d organizations; %(skipped)d skipped (already reminded today, "
                   "or no representative).", sent, skipped=skipped), "success")


# --- exports and statistics --------------------------------------------------------------

def _export_rows(declaration):
    numbers = numbering(live_recommendations(declaration.id))
    user, recipients = acting_user(), submitted_to(declaration)
    for s in queries.visible_signatures(user, declaration, recipients):
        org, req = s.organization, s.open_request
        named = permissions.can_see_signer(user, s, recipients)
        yield {
            "id": s.id, "status": s.status, "verified": s.verified, "capacity": s.capacity,
            "organization": s.display_name if s.capacity == "organization" else "",
            "organization_type": label(ORGANIZATION_TYPES, org.type if org else req.organization_type if req else ""),
            "province": label(PROVINCES, org.province if org else req.province if req else ""),
            "country": req.country if req else "", "outside_alliance": req is not None,
            "signer_name": s.signer_name if named else "", "signer_designation": s.signer_designation if named else "",
            "visibility": s.visibility, "version": s.version.number, "sha256": s.sha256,
            "signed_at_utc": s.signed_at.isoformat(timespec="seconds"),
            "ended_at_utc": s.ended_at.isoformat(timespec="seconds") if s.ended_at else "",
            "end_reason": s.end_reason,
            "reservations": [{"recommendation": numbers.get(r.recommendation_id), "text": r.text}
                             for r in s.reservations] if named else [],
        }


@bp.route("/declarations/<int:declaration_id>/signatories.<any(csv, json):fmt>")
def export(declaration_id, fmt):
    """Every signature, in every state, for coordinators."""
    declaration = get_declaration(declaration_id)
    require(permissions.can_manage_signatures(acting_user(), declaration))
    rows = list(_export_rows(declaration))
    filename = f"declaration-{declaration.id}-signatories.{fmt}"
    headers = {"Content-Disposition": f"attachment; filename={filename}"}
    if fmt == "json":
        body = json.dumps({"declaration": declaration.id, "title": declaration.title, "signatures": rows},
                          ensure_ascii=False, indent=1)
        return Response(body, mimetype="application/json", headers=headers)
    header = [k for k in rows[0]] if rows else ["id"]
    body = csv_text(header, ([
        "; ".join(f"R{r['recommendation']}: {r['text']}" for r in row[k]) if k == "reservations" else row[k]
        for k in header] for row in rows))
    return Response(body, mimetype="text/csv", headers=headers)


@bp.route("/declarations/<int:declaration_id>/signatures/statistics")
def statistics(declaration_id):
    declaration = get_declaration(declaration_id)
    require(permissions.can_manage_signatures(acting_user(), declaration))
    stats = queries.statistics(declaration)
    return render_template("signatures/statistics.html", declaration=declaration, stats=stats,
                           chart=charts.cumulative_by_day(stats["days"]), by_type=charts.bars(stats["by_type"]),
                           by_province=charts.bars(stats["by_province"]))
