"""The second-factor pages of the account: set it up (also where people whose role requires it are sent
until they do), new recovery codes, turn it off. Registered on the accounts blueprint; the login step that
asks for the code is in views.py."""
from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _

from app import permissions
from app.accounts import two_factor
from app.accounts.forms import CodeForm
from app.accounts.views import bp
from app.errors import RuleError
from app.views import acting_user, attempt

SETUP_SECRET = "totp_setup"


@bp.route("/account/two-factor", endpoint="two_factor")
def two_factor_page():
    return two_factor_view()


def two_factor_view(form=None, error=None, status=200):
    user = acting_user()
    if user.has_second_factor:
        return render_template("accounts/two_factor.html", user=user, form=form or CodeForm(), error=error,
                               codes_left=two_factor.recovery_codes_left(user),
                               may_turn_off=not permissions.must_use_second_factor(user)), status
    secret = session.get(SETUP_SECRET) or two_factor.new_secret()
    session[SETUP_SECRET] = secret
    uri = two_factor.provisioning_uri(user, secret)
    return render_template("accounts/two_factor_setup.html", user=user, form=form or CodeForm(), error=error,
                           secret=two_factor.format_secret(secret), qr=two_factor.qr_data_uri(uri),
                           required=permissions.must_use_second_factor(user)), status


def _with_code(service):
    """Run a second-factor service with the code the form carries: (its result, None), or (None, the page
    again with what to fix)."""
    form = CodeForm()
    if not form.validate_on_submit():
        return None, two_factor_view(form, status=422)
    try:
        with attempt():
            return service(acting_user(), form.code.data), None
    except RuleError as rule:
        return None, two_factor_view(form, str(rule), status=422)


@bp.route("/account/two-factor", methods=["POST"])
def two_factor_confirm():
    secret = session.get(SETUP_SECRET, "")
    codes, page = _with_code(lambda user, code: two_factor.confirm_enrolment(user, secret, code))
    if page is not None:
        return page
    session.pop(SETUP_SECRET, None)
    return render_template("accounts/recovery_codes.html", codes=codes, first_time=True)


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
def renew_recovery_codes():
    codes, page = _with_code(two_factor.new_recovery_codes)
    return page or render_template("accounts/recovery_codes.html", codes=codes, first_time=False)


@bp.route("/account/two-factor/off", methods=["POST"])
def two_factor_off():
    _done, page = _with_code(two_factor.turn_off)
    if page is not None:
        return page
    flash(_("Two-step login is off."), "info")
    return redirect(url_for("accounts.profile"))
