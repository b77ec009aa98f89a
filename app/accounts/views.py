import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from app import permissions
from app.accounts import services, two_factor
from app.accounts.buckets import (
    account_or_trusted_device,
    client_key,
    device_cookie_name,
    login_limits,
    secret_bucket,
    submitted_email,
)
from app.accounts.forms import (
    INVITATION_CAPACITIES,
    AcceptInvitationForm,
    ChangePasswordForm,
    CodeForm,
    InvitationForm,
    LoginForm,
    ResetPasswordForm,
    ResetRequestForm,
    SettingsForm,
)
from app.accounts.models import Invitation, User
from app.audit.services import record_after_request
from app.errors import RuleError, WrongSecret
from app.extensions import db, limiter
from app.institutions.models import Institution
from app.limits import throttle
from app.organizations.models import Organization
from app.organizations.queries import organization_named
from app.time import utcnow
from app.tokens import token_hash
from app.web.pages import (
    acting_user,
    answer_repeat,
    attempt,
    carry_out,
    flash_refusal,
    get_or_404,
    get_visible_or_404,
    render_form,
    require,
)
from app.web.security import path_token, safe_next, token_limits

bp = Blueprint("accounts", __name__)


def _start_session(user) -> None:
    """Regenerate the session at login: a new login session and a fresh cookie, nothing carried over."""
    language = session.get("lang")
    session.clear()
    services.start_login_session(user, request.headers.get("User-Agent", ""))
    login_user(user)
    if language:
        session["lang"] = language


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        # Counted before the password is checked, given back when it is right (app/limits/throttle.py).
        tried = throttle.spend(login_limits(), client_key(), account_or_trusted_device(), what="login")
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            tried.refund()
        if user is not None and user.has_second_factor:
            # The password was right; the login is complete only after the second step.
            session[PENDING_LOGIN] = {"user": user.id, "at": int(time.time()), "next": request.args.get("next")}
            return redirect(url_for("accounts.login_code"))
        if user is not None:
            services.complete_login(user)
            return _logged_in(user, request.args.get("next"))
        error = _("The email or password is not correct.")
        # 200, not 422: the failed attempt's audit entry must be committed.
        return render_form("accounts/login.html", status=200, form=form, error=error)
    return render_form("accounts/login.html", form=form)


PENDING_LOGIN = "pending_login"
PENDING_SECONDS = 5 * 60


def _pending_user() -> User | None:
    """The person who gave the right password in this browser in the last five minutes and has still to
    give the second factor."""
    pending = session.get(PENDING_LOGIN)
    if not isinstance(pending, dict) or not isinstance(pending.get("at"), int):
        return None
    if time.time() - pending["at"] > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user"))
    return user if user is not None and user.active and user.has_second_factor else None


def _logged_in(user, next_url):
    _start_session(user)
    response = redirect(safe_next(next_url) or url_for("home.index"))
    response.set_cookie(device_cookie_name(), services.device_cookie(user), max_age=services.DEVICE_SECONDS,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax", path="/")
    return response


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    """The second step of a login: a code from the authenticator app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    user = _pending_user()
    if user is None:
        session.pop(PENDING_LOGIN, None)
        flash(_("Your login has expired. Enter your email and password again."), "error")
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        tried = throttle.spend(login_limits(), client_key(), secret_bucket(user, "code"), actor=user,
                               what="second_factor")
        with attempt():
            accepted = two_factor.check_code(user, form.code.data)
        if accepted:
            tried.refund()
            services.complete_login(user, second_factor=True)
            return _logged_in(user, session.get(PENDING_LOGIN, {}).get("next"))
        two_factor.record_failure(user, at_login=True)
        error = _("That code is not correct or has already been used. Type the code your app shows now, "
                  "or one of your recovery codes.")
        return render_form("accounts/login_code.html", status=200, form=form, error=error)
    return render_form("accounts/login_code.html", form=form, error=error)


@bp.route("/logout", methods=["POST"])
def logout():
    services.logout(acting_user())
    language = session.get("lang")
    logout_user()
    session.clear()
    if language:  # the device keeps the language it chose
        session["lang"] = language
    flash(_("You have logged out."), "info")
    return redirect(url_for("home.index"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit(token_limits, methods=["POST"])
@limiter.limit(token_limits, key_func=path_token, methods=["POST"])
def accept_invitation(token):
    invitation = services.find_invitation(token)
    if invitation is None:
        return render_template("accounts/link_invalid.html", kind="invitation"), 404
    if current_user.is_authenticated:
        return render_template("accounts/accept_logged_in.html", invitation=invitation)
    form = AcceptInvitationForm()
    if request.method == "GET":
        form.language.data = session.get("lang") or "en"
    error = None
    if form.validate_on_submit():
        outcome = carry_out(services.accept_invitation, invitation, name=form.name.data,
                            designation=form.designation.data or "", password=form.password.data,
                            language=form.language.data, gender=form.gender.data, province=form.province.data)
        if outcome.done:
            user = outcome.result
            _start_session(user)  # a new session: what is flashed comes after it
            session["lang"] = user.language
            flash(_("Welcome to Sanad, %(name)s. Your account is ready.", name=user.name), "success")
            return redirect(url_for("home.index"))
        error = outcome.error
    return render_form("accounts/accept.html", form=form, invitation=invitation, error=error)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(token_limits, methods=["POST"])
@limiter.limit(token_limits, key_func=submitted_email, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    error = None
    if form.validate_on_submit():
        outcome = carry_out(services.request_password_reset, form.email.data)
        if outcome.done:  # the same answer whether or not the address has an account
            return render_template("accounts/reset_sent.html", email=form.email.data)
        error = outcome.error
    return render_form("accounts/reset_request.html", form=form, error=error)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(token_limits, methods=["POST"])
@limiter.limit(token_limits, key_func=path_token, methods=["POST"])
def reset_password(token):
    user = services.user_for_reset_token(token)
    if user is None:
        return render_template("accounts/link_invalid.html", kind="reset"), 404
    form = ResetPasswordForm()
    error = None
    if form.validate_on_submit():
        outcome = carry_out(services.set_password, user, form.password.data, reason="reset")
        if outcome.done:
            logout_user()
            session.clear()  # what is flashed comes after it
            flash(_("Your password has been changed. Log in with the new password."), "success")
            return redirect(url_for("accounts.login"))
        error = outcome.error
    return render_form("accounts/reset_password.html", form=form, error=error)


@bp.route("/account", methods=["GET", "POST"])
def profile():
    user = acting_user()
    form = SettingsForm(obj=user)
    if request.method == "GET":
        form.gender.data = user.gender or ""
        form.province.data = user.province or ""
    if form.validate_on_submit():
        services.update_profile(user, name=form.name.data, designation=form.designation.data or "",
                                gender=form.gender.data, province=form.province.data, language=form.language.data,
                                notification_mode=form.notification_mode.data)
        session["lang"] = user.language
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_form("accounts/profile.html", form=form, user=user, sessions=services.active_sessions(user),
                       this_session=token_hash(user.login_token or ""))


@bp.route("/account/logout-everywhere", methods=["POST"])
def logout_everywhere():
    services.logout_everywhere(acting_user())
    language = session.get("lang")
    logout_user()
    session.clear()
    if language:
        session["lang"] = language
    flash(_("You have been logged out on every device."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    user = acting_user()
    form = ChangePasswordForm()
    error = None
    if form.validate_on_submit():
        tried = throttle.spend(login_limits(), client_key(), secret_bucket(user, "email"), actor=user,
                               what="password_check")
        outcome = carry_out(services.change_password, user, form.current_password.data, form.password.data)
        if isinstance(outcome.refusal, WrongSecret):
            record_after_request(user, outcome.refusal.action, user, where=request.endpoint)
        else:
            tried.refund()
        if outcome.done:
            flash(_("Your password has been changed. Other sessions have been logged out."), "success")
            return redirect(url_for("accounts.profile"))
        error = outcome.error
    return render_form("accounts/password.html", form=form, error=error)


# --- invitations -------------------------------------------------------------------------

def _invitation_choices(form: InvitationForm, actor) -> None:
    capacities = ["member", "representative"]
    if permissions.can_invite_anyone(actor):
        capacities.append("expert")
    if permissions.is_admin(actor):
        capacities += ["coordinator", "reviewer", "admin"]
    form.capacity.choices = [(key, INVITATION_CAPACITIES[key]) for key in capacities]
    institutions = db.session.scalars(select(Institution).order_by(Institution.name)).all()
    form.institution.choices = [("", _("— choose —"))] + [(str(i.id), i.name) for i in institutions]


def _send_invitation(form: InvitationForm, actor, fixed=None):
    """Invite as the form says; into `fixed`, the organization whose page it was sent from, whatever it names."""
    capacity = form.capacity.data
    organization = None
    if capacity in ("member", "representative"):
        organization = fixed or organization_named(form.organization.data)
    institution = (db.session.get(Institution, int(form.institution.data))
                   if capacity == "reviewer" and form.institution.data else None)
    if capacity in ("member", "representative") and organization is None:
        raise RuleError(_("Choose the organization the person will join."))
    return services.invite(
        actor, form.email.data, organization=organization,
        org_role=capacity if organization is not None else None, is_expert=capacity == "expert",
        platform_role=capacity if capacity in ("coordinator", "reviewer", "admin") else None,
        institution=institution)


def _invitation_page(organization=None):
    actor = acting_user()
    form = InvitationForm()
    _invitation_choices(form, actor)
    if request.method == "GET":
        form.capacity.data = request.args.get("capacity", "member")
        form.institution.data = request.args.get("institution", "")
    error = None
    if form.validate_on_submit():
        outcome = carry_out(_send_invitation, form, actor, organization, form_key=form.form_key.data, success=ngettext(
            "Invitation sent to %(email)s. The link works once and expires in %(num)d day.",
            "Invitation sent to %(email)s. The link works once and expires in %(num)d days.",
            current_app.config["INVITATION_DAYS"], email=services.normalize_email(form.email.data)))
        if outcome.repeat:
            return answer_repeat(outcome.repeat)
        if outcome.done:
            return redirect(outcome.answered(
                url_for("organizations.detail", organization_id=organization.id) if organization is not None
                else url_for("accounts.invitations")))
        error = outcome.error
    return render_form("accounts/invite.html", form=form, organization=organization, error=error)


@bp.route("/invitations/new", methods=["GET", "POST"])
def invite():
    require(permissions.can_invite_anyone(acting_user()))
    return _invitation_page()


@bp.route("/organizations/<int:organization_id>/invite", methods=["GET", "POST"])
def invite_to_organization(organization_id):
    organization = get_visible_or_404(Organization, organization_id, permissions.can_view_organization)
    require(permissions.can_invite(acting_user(), organization=organization))
    return _invitation_page(organization)


@bp.route("/invitations")
def invitations():
    require(permissions.can_manage_invitations(acting_user()))
    rows = db.session.scalars(select(Invitation).order_by(Invitation.created_at.desc()).limit(200)).all()
    return render_template("accounts/invitations.html", invitations=rows, now=utcnow())


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
def revoke_invitation(invitation_id):
    require(permissions.can_manage_invitations(acting_user()))
    invitation = get_or_404(Invitation, invitation_id)
    outcome = carry_out(services.revoke_invitation, acting_user(), invitation,
                        success=_("The invitation to %(email)s has been revoked.", email=invitation.email))
    if not outcome.done:
        flash_refusal(outcome.error)
    return redirect(url_for("accounts.invitations"))
