"""The second factor: TOTP codes (RFC 6238, pyotp) from an authenticator app, with ten single-use recovery
codes. Required of admins, coordinators and reviewers (permissions.must_use_second_factor); anyone may turn
it on. Services flush; the request commits."""
import hashlib
import hmac
import re
import secrets
from datetime import timedelta

import pyotp
import segno
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update

from app import permissions
from app.accounts.models import RecoveryCode, User
from app.accounts.services import password_matches
from app.audit.models import AuditEntry
from app.audit.services import record
from app.database import update_if
from app.errors import RuleError, WrongSecret
from app.extensions import db
from app.links import absolute_url
from app.mail.services import queue
from app.time import utcnow

ISSUER = "Sanad"
RECOVERY_CODES = 10
# A code from the step before or after the server's clock is still taken (phones drift), never one
# from a step at or before the last code accepted.
DRIFT_STEPS = 1
# Wrong codes at the login's second step within an hour before the owner is warned.
WARN_AFTER_FAILURES = 3


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The otpauth:// link as a QR code drawn here as SVG (no script, no outside service), for an <img>."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def format_secret(secret: str) -> str:
    """The secret in groups of four, to type by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _clean(code: str) -> str:
    return re.sub(r"[\s-]+", "", code or "").lower()


def _current_step() -> int:
    return int(current_app.config["TOTP_CLOCK"]() // 30)


def _matching_step(secret: str, code: str, after: int | None) -> int | None:
    """The time step whose code this is, within the drift allowed and later than `after`; else None."""
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp, current = pyotp.TOTP(secret), _current_step()
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


# --- enrolment ---------------------------------------------------------------------------------------

def confirm_enrolment(user: User, secret: str, code: str) -> list[str]:
    """Turn the second factor on with this secret, once the person's app shows a matching code. Returns
    the recovery codes, to be shown once. The secret travels in the signed session until then."""
    if user.has_second_factor:
        raise RuleError(_("Two-step login is already on for your account."))
    if not re.fullmatch(r"[A-Z2-7]{32}", secret or ""):
        raise RuleError(_("The setup has expired. Start again."))
    step = _matching_step(secret, _clean(code), None)
    if step is None:
        raise WrongSecret("second_factor_failed", _("That code does not match. Check the clock of your phone and "
                                                    "type the code the app shows now."))
    if not update_if(user, User.totp_confirmed_at.is_(None), totp_secret=secret, totp_confirmed_at=utcnow(),
                     totp_last_step=step):
        raise RuleError(_("Two-step login is already on for your account."))
    record(user, "second_factor_on", user)
    return _new_recovery_codes(user)


def new_recovery_codes(user: User, code: str, password: str) -> list[str]:
    """Replace the recovery codes (the old ones stop working), after the password and a current code from
    the app: a session left open somewhere is not enough to void the owner's codes."""
    if not user.has_second_factor:
        raise RuleError(_("Two-step login is not on for your account."))
    _check_password(user, password)
    if not _accept_app_code(user, _clean(code)):
        raise WrongSecret("second_factor_failed", _("That code is not correct or has already been used."))
    record(user, "recovery_codes_renewed", user)
    return _new_recovery_codes(user)


def turn_off(user: User, code: str, password: str) -> None:
    """Turn the second factor off, after the password and a current code; refused to those who must keep it."""
    if permissions.must_use_second_factor(user):
        raise RuleError(_("Admins, coordinators and government reviewers must keep two-step login on."))
    if not user.has_second_factor:
        raise RuleError(_("Two-step login is not on for your account."))
    _check_password(user, password)
    if not check_code(user, code):
        raise WrongSecret("second_factor_failed", _("That code is not correct or has already been used."))
    user.totp_secret, user.totp_confirmed_at, user.totp_last_step = None, None, None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record(user, "second_factor_off", user)
    db.session.flush()


def _check_password(user: User, password: str) -> None:
    if not password_matches(user, password):
        raise WrongSecret("password_check_failed", _("The password is not correct."))


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]  # 64 bits each
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_code_hash(code)) for code in codes)
    db.session.flush()
    return codes


def _code_hash(code: str) -> str:
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


# --- login -------------------------------------------------------------------------------------------

def check_code(user: User, code: str) -> bool:
    """True when the code is the app's current one, not used before, or an unused recovery code; either
    is then spent. Both checks are single conditional updates, so two requests racing with the same code
    cannot both pass."""
    code = _clean(code)
    if not user.has_second_factor or not code:
        return False
    if _accept_app_code(user, code):
        return True
    used = db.session.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _code_hash(code), RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False)).rowcount == 1
    if used:
        record(user, "recovery_code_used", user, left=recovery_codes_left(user))
    return used


def record_failure(user: User, *, at_login: bool = False) -> None:
    """A wrong code, on record. At the login's second step the password was right: when codes keep failing
    there, the owner is told that someone who knows the password is trying to get in (at most once an hour)."""
    record(user, "second_factor_failed", user, where="login" if at_login else "account")
    if at_login:
        warn_owner_if_codes_keep_failing(user)


def warn_owner_if_codes_keep_failing(user: User) -> bool:
    """Email the owner after WARN_AFTER_FAILURES wrong codes within an hour at the login's second step,
    at most once an hour (the audit log is where both are counted, across every server)."""
    since = utcnow() - timedelta(hours=1)
    failures = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.actor_id == user.id, AuditEntry.action == "second_factor_failed", AuditEntry.created_at >= since,
        AuditEntry.details["where"].as_string() == "login"))
    if failures < WARN_AFTER_FAILURES:
        return False
    warned = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.actor_id == user.id, AuditEntry.action == "second_factor_warning_sent",
        AuditEntry.created_at >= since))
    if warned:
        return False
    record(user, "second_factor_warning_sent", user, failures=failures)
    with force_locale(user.language):
        queue(user.email, _("Someone who knows your Sanad password is trying to log in"),
              "second_factor_warning", user=user, failures=failures,
              password_link=absolute_url("accounts.change_password"),
              reset_link=absolute_url("accounts.reset_request"))
    return True


def _accept_app_code(user: User, code: str) -> bool:
    step = _matching_step(user.totp_secret or "", code, user.totp_last_step)
    return step is not None and update_if(
        user, or_(User.totp_last_step.is_(None), User.totp_last_step < step), totp_last_step=step)


def demo_code(secret: str) -> str:
    """The code an authenticator app would show now (for `flask demo totp`)."""
    return pyotp.TOTP(secret).now()
