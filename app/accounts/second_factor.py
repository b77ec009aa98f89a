"""The second-factor pages of the account: set it up (also where people whose role requires it are sent
until they do), new recovery codes, turn it off. Registered on the accounts blueprint; the login step that
asks for the code is in views.py."""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app import permissions
from app.accounts import two_factor
from app.accounts.buckets import client_key, secret_bucket
from app.accounts.forms import CodeForm, PasswordAndCodeForm
from app.accounts.views import bp
from app.audit.services import record_after_request
from app.errors import WrongSecret
from app.limits import throttle
from app.web.pages import acting_user, carry_out

SETUP_SECRET = "totp_setup"


@bp.route("/account/two-factor", endpoint="two_factor")
def two_factor_page():
    return two_factor_view()


def two_factor_view(form=None, error=None, status=200):
    user = acting_user()
    if user.has_second_factor:
        return render_template("accounts/two_factor.html", user=user, form=form or PasswordAndCodeForm(),
                               error=error, codes_left=two_factor.recovery_codes_left(user),
                               may_turn_off=not permissions.must_use_second_factor(user)), status
    secret = session.get(SETUP_SECRET) or two_factor.new_secret()
    session[SETUP_SECRET] = secret
    uri = two_factor.provisioning_uri(user, secret)
    return render_template("accounts/two_factor_setup.html", user=user, form=form or CodeForm(), error=error,
                           secret=two_factor.format_secret(secret), qr=two_factor.qr_data_uri(uri),
                           required=permissions.must_use_second_factor(user)), status


def _checked(form, service, *buckets):
    """Run a second-factor service with what the form carries: (its result, None), or (None, the page again
    with what to fix). Every guess is counted before it is checked, in the same buckets as the login's
    (app/limits/throttle.py), and a wrong one is on record."""
    if not form.validate_on_submit():
        return None, two_factor_view(form, status=422)
    user = acting_user()
    tried = throttle.spend(current_app.config["LOGIN_LIMITS"], client_key(), *buckets, actor=user,
                           what="second_factor")
    outcome = carry_out(service, user, form)
    if isinstance(outcome.refusal, WrongSecret):
        record_after_request(user, outcome.refusal.action, user, where=request.endpoint)
        return None, two_factor_view(form, outcome.error, status=422)
    tried.refund()
    if not outcome.done:
        return None, two_factor_view(form, outcome.error, status=422)
    return outcome.result, None


def _code_and_password(service):
    user = acting_user()
    return _checked(PasswordAndCodeForm(), lambda user, form: service(user, form.code.data, form.password.data),
                    secret_bucket(user, "code"), secret_bucket(user, "email"))


@bp.route("/account/two-factor", methods=["POST"])
def two_factor_confirm():
    secret = session.get(SETUP_SECRET, "")
    codes, page = _checked(CodeForm(), lambda user, form: two_factor.confirm_enrolment(user, secret, form.code.data),
                           secret_bucket(acting_user(), "code"))
    if page is not None:
        return page
    session.pop(SETUP_SECRET, None)
    return render_template("accounts/recovery_codes.html", codes=codes, first_time=True)


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
def renew_recovery_codes():
    codes, page = _code_and_password(two_factor.new_recovery_codes)
    return page or render_template("accounts/recovery_codes.html", codes=codes, first_time=False)


@bp.route("/account/two-factor/off", methods=["POST"])
def two_factor_off():
    _done, page = _code_and_password(two_factor.turn_off)
    if page is not None:
        return page
    flash(_("Two-step login is off."), "info")
    return redirect(url_for("accounts.profile"))
