"""Accounts: invitations, login, password reset, profile and roles. Services flush; the request commits."""
import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadData, BadSignature, URLSafeTimedSerializer
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from zxcvbn import zxcvbn

from app import permissions
from app.accounts.models import Invitation, LoginSession, User
from app.audit.services import client_address, record
from app.choices import OrganizationRole, PlatformRole
from app.errors import NotAllowed, RuleError, WrongSecret
from app.extensions import db
from app.links import absolute_url
from app.mail import budget
from app.mail.services import queue
from app.settings.services import alliance_name
from app.time import utcnow
from app.tokens import token_hash

_hasher = PasswordHasher()
# Verified against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

MIN_PASSWORD_LENGTH = 10
MIN_PASSWORD_SCORE = 3  # zxcvbn's 0-4 scale


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def check_password_rules(password: str, user_inputs: tuple[str, ...] = ()) -> None:
    """Long enough (at least 10 characters; up to 200 are taken) and hard to guess: zxcvbn's estimate, which
    knows the most common passwords, names and words and their usual variations, must reach 3 of 4 (about
    10^8 guesses). The person's own name and address count as easy words."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleError(_("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    inputs = [part for value in user_inputs if value for part in re.split(r"[\s@._-]+", value.lower()) if part]
    if zxcvbn(password[:72], user_inputs=inputs)["score"] < MIN_PASSWORD_SCORE:  # zxcvbn reads 72 at most
        raise RuleError(_("This password is too common or too easy to guess (it is on lists of common passwords, "
                          "or made of a name, a word or a pattern with small changes). Choose a longer phrase of "
                          "several words only you would put together."))


# --- login -------------------------------------------------------------------------------

def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None (audited). A success is only the first step when the
    person has a second factor: complete_login records the login once every step has passed."""
    user = user_by_email(email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        record(user, "login_failed", user, email=normalize_email(email)[:254])
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def complete_login(user: User, **details) -> None:
    user.last_login_at = utcnow()
    record(user, "login", user, **details)
    db.session.flush()


def start_login_session(user: User, user_agent: str = "") -> str:
    """A new login session for this device; returns the token the session cookie will carry."""
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(token_hash=token_hash(token), user_id=user.id, ip=client_address(),
                                user_agent=(user_agent or "")[:200], last_seen_at=utcnow()))
    user.login_token = token
    return token


# Read on every request of a logged-in person: built once (its cache key is then computed once, not per request).
LIVE_LOGIN_SESSION = (select(LoginSession).options(joinedload(LoginSession.user))
                      .where(LoginSession.token_hash == bindparam("token_hash"), LoginSession.ended_at.is_(None)))


def user_for_login_token(token: str, max_age_seconds: int) -> User | None:
    """The active user of a live login session, or None (ended, expired, unknown or deactivated)."""
    row = db.session.scalar(LIVE_LOGIN_SESSION, {"token_hash": token_hash(token or "")})
    now = utcnow()
    if row is None or row.created_at < now - timedelta(seconds=max_age_seconds) or not row.user.active:
        return None
    if row.last_seen_at < now - idle_limit(row.user):
        row.ended_at = now  # idle too long: this session is over, and says so in the list of sessions
        return None
    if row.last_seen_at < now - SEEN_EVERY:
        row.last_seen_at = now
    row.user.login_token = token
    return row.user


SEEN_EVERY = timedelta(minutes=1)


def idle_limit(user: User) -> timedelta:
    """How long a login may stay unused: short for admins, coordinators and reviewers (configurable)."""
    minutes = (current_app.config["IDLE_MINUTES_PRIVILEGED"] if permissions.holds_power(user)
               else current_app.config["IDLE_MINUTES"])
    return timedelta(minutes=minutes)


def active_sessions(user: User) -> list[LoginSession]:
    """This person's live login sessions, most recently used first, for the account page."""
    now = utcnow()
    rows = db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id,
                                                         LoginSession.ended_at.is_(None))
                              .order_by(LoginSession.last_seen_at.desc())).all()
    lifetime = timedelta(seconds=current_app.config["PERMANENT_SESSION_LIFETIME"])
    return [row for row in rows if row.created_at >= now - lifetime and row.last_seen_at >= now - idle_limit(user)]


def logout_everywhere(user: User) -> None:
    """End every login session of this person, this device's included."""
    end_login_sessions(user)
    record(user, "logout_everywhere", user)


def end_login_sessions(user: User, keep_token: str | None = None) -> None:
    """End this user's login sessions on every device, except the one whose token is kept."""
    query = LoginSession.__table__.update().where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
    if keep_token:
        query = query.where(LoginSession.token_hash != token_hash(keep_token))
    db.session.execute(query.values(ended_at=utcnow()))


def logout(user: User) -> None:
    """End the current login session (only this device)."""
    if user.login_token:
        db.session.execute(LoginSession.__table__.update()
                           .where(LoginSession.token_hash == token_hash(user.login_token))
                           .values(ended_at=utcnow()))
    record(user, "logout", user)


# --- invitations -------------------------------------------------------------------------

def invite(actor: User, email: str, *, organization=None, org_role: str | None = None, is_expert: bool = False,
           platform_role: str | None = None, institution=None) -> Invitation | None:
    """Invite an email address in exactly one capacity and queue the invitation mail.

    Returns None when a representative invites an address that already has an account."""
    email = normalize_email(email)
    if not permissions.can_invite(actor, organization=organization, platform_role=platform_role):
        raise NotAllowed()
    capacities = [organization is not None, is_expert, platform_role is not None]
    if sum(capacities) != 1:
        raise RuleError(_("Choose exactly one capacity: an organization, individual expert, or a platform role."))
    if organization is not None and org_role not in tuple(OrganizationRole):
        raise RuleError(_("Choose the person's role in the organization."))
    if platform_role == PlatformRole.REVIEWER and institution is None:
        raise RuleError(_("A government reviewer belongs to a recipient institution: choose one."))
    existing = user_by_email(email)
    if existing is not None and permissions.can_invite_anyone(actor):
        raise RuleError(_("Someone with this email address already has an account."))
    # Spent whether or not the address has an account, so a refusal tells a representative nothing.
    budget.spend("secretariat_invitation" if permissions.can_invite_anyone(actor) else "invitation", actor, [email])
    if existing is not None:
        # A representative is not told who has an account: the person is told instead.
        record(actor, "invitation_to_existing_account", existing, organization_id=organization.id)
        with force_locale(existing.language):
            queue(existing.email, _("Someone tried to invite you to Sanad"), "invitation_existing",
                  inviter=actor, organization=organization)
        return None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invitation = Invitation(
        email=email, token_hash=token_hash(token), organization=organization,
        org_role=org_role if organization is not None else None, is_expert=is_expert,
        platform_role=platform_role, institution=institution if platform_role == PlatformRole.REVIEWER else None,
        invited_by_id=actor.id, created_at=now,
        expires_at=now + timedelta(days=current_app.config["INVITATION_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    record(actor, "invitation_sent", invitation, email=email, organization_id=invitation.organization_id,
           org_role=invitation.org_role, is_expert=is_expert, platform_role=platform_role,
           institution_id=invitation.institution_id)
    queue(email, _("Invitation to %(alliance)s on Sanad", alliance=alliance_name()),
          "invitation", invitation=invitation, inviter=actor,
          link=absolute_url("accounts.accept_invitation", token=token),
          days=current_app.config["INVITATION_DAYS"])
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """The usable invitation for this token, or None when unknown, used, revoked or expired."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if invitation is None or not invitation.is_usable(utcnow()):
        return None
    return invitation


def accept_invitation(invitation: Invitation, *, name: str, designation: str, password: str,
                      language: str, gender: str | None = None, province: str | None = None) -> User:
    """Create the invited account; the invitation cannot be used again."""
    now = utcnow()
    if not invitation.is_usable(now):
        raise RuleError(_("This invitation link has already been used or has expired."))
    check_password_rules(password, (invitation.email, name))
    if user_by_email(invitation.email) is not None:
        raise RuleError(_("Someone with this email address already has an account."))
    # Mark the invitation used with a guarded UPDATE so two simultaneous acceptances cannot both win.
    claimed = db.session.execute(
        Invitation.__table__.update()
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=now)
    ).rowcount
    if claimed != 1:
        raise RuleError(_("This invitation link has already been used or has expired."))
    user = User(
        email=invitation.email, password_hash=hash_password(password), name=name.strip(),
        designation=designation.strip(), language=language, gender=gender or None, province=province or None,
        organization_id=invitation.organization_id, org_role=invitation.org_role, is_expert=invitation.is_expert,
        platform_role=invitation.platform_role, institution_id=invitation.institution_id,
    )
    db.session.add(user)
    db.session.flush()
    db.session.refresh(invitation)
    invitation.user_id = user.id
    record(user, "invitation_accepted", invitation, user_id=user.id)
    return user


def revoke_invitation(actor: User, invitation: Invitation) -> None:
    if not permissions.can_manage_invitations(actor):
        raise NotAllowed()
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise RuleError(_("This invitation is no longer open."))
    invitation.revoked_at = utcnow()
    record(actor, "invitation_revoked", invitation, email=invitation.email)


# --- password reset ----------------------------------------------------------------------

def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sanad-password-reset")


def _password_fingerprint(user: User) -> str:
    # Part of the token: once the password changes, every earlier reset link stops working.
    return hmac.new(current_app.config["SECRET_KEY"].encode(), user.password_hash.encode(), "sha256").hexdigest()[:32]


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address has an active account; the caller answers the same either way (the
    mail budget is spent, or refused, before the address is looked up)."""
    budget.spend("password_reset", None, [normalize_email(email)])
    user = user_by_email(email)
    if user is None or not user.active:
        record(None, "password_reset_requested_unknown", None, email=normalize_email(email)[:254])
        return
    token = _reset_serializer().dumps({"u": user.id, "f": _password_fingerprint(user)})
    record(user, "password_reset_requested", user)
    with force_locale(user.language):
        queue(user.email, _("Reset your Sanad password"), "password_reset", user=user,
              link=absolute_url("accounts.reset_password", token=token),
              minutes=current_app.config["RESET_SECONDS"] // 60)


def user_for_reset_token(token: str) -> User | None:
    """The user a reset link is for, or None when it is forged, expired or already used."""
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["RESET_SECONDS"])
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("u"))
    if user is None or not user.active or not hmac.compare_digest(str(data.get("f")), _password_fingerprint(user)):
        return None
    return user


def set_password(user: User, password: str, *, reason: str) -> None:
    """Set a new password and end every login session of this user but the current one."""
    check_password_rules(password, (user.email, user.name))
    user.password_hash = hash_password(password)
    end_login_sessions(user, keep_token=user.login_token)
    record(user, "password_changed", user, reason=reason)


def password_matches(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not password_matches(user, current_password):
        raise WrongSecret("password_check_failed", _("The current password is not correct."))
    set_password(user, new_password, reason="changed")


# --- profile and roles -------------------------------------------------------------------

def update_profile(user: User, *, name: str, designation: str, gender: str | None, province: str | None,
                   language: str, notification_mode: str = "immediate") -> None:
    user.notification_mode = notification_mode
    user.name = name.strip()
    user.designation = designation.strip()
    user.gender = gender or None
    user.province = province or None
    user.language = language
    record(user, "profile_updated", user)


def set_roles(actor: User, user: User, *, platform_role: str | None, organization=None, org_role: str | None = None,
              is_expert: bool = False, institution=None, active: bool = True) -> None:
    """Change what a person is on the platform; the audit entry keeps the before and after."""
    if not permissions.can_manage_users(actor):
        raise NotAllowed()
    if organization is None and org_role:
        raise RuleError(_("An organization role needs an organization."))
    if organization is not None and org_role not in tuple(OrganizationRole):
        raise RuleError(_("Choose the person's role in the organization."))
    if platform_role == PlatformRole.REVIEWER and institution is None:
        raise RuleError(_("A government reviewer belongs to a recipient institution: choose one."))
    if user.id == actor.id and (platform_role != PlatformRole.ADMIN or not active):
        raise RuleError(_("You cannot remove your own admin role or deactivate yourself."))
    before = _roles(user)
    user.platform_role = platform_role or None
    user.organization = organization
    user.org_role = org_role if organization is not None else None
    user.is_expert = is_expert
    user.institution = institution if platform_role == PlatformRole.REVIEWER else None
    if user.active and not active:
        end_login_sessions(user)
    user.active = active
    after = _roles(user)
    if before != after:
        record(actor, "roles_changed", user, before=before, after=after)


def _roles(user: User) -> dict:
    return {"platform_role": user.platform_role, "organization_id": user.organization.id if user.organization else None,
            "org_role": user.org_role, "is_expert": user.is_expert,
            "institution_id": user.institution.id if user.institution else None, "active": user.active}




# --- device cookies ------------------------------------------------------------------------------------

DEVICE_SECONDS = 365 * 24 * 3600


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sanad-device")


def _account_hash(email: str) -> str:
    return hashlib.sha256(normalize_email(email).encode()).hexdigest()[:32]


def device_cookie(user) -> str:
    """Given at each successful login: this browser has logged in to this account before. It names the
    account only by a hash and carries a random id for the device; it grants nothing but its own bucket
    of login attempts."""
    return _device_serializer().dumps({"a": _account_hash(user.email), "d": secrets.token_urlsafe(12)})


def trusted_device(cookie: str | None, email: str) -> str | None:
    """The device id when the cookie is genuine, unexpired and for this account; otherwise None."""
    if not cookie or not email:
        return None
    try:
        data = _device_serializer().loads(cookie, max_age=DEVICE_SECONDS)
    except BadData:
        return None
    if not isinstance(data, dict) or data.get("a") != _account_hash(email):
        return None
    device = data.get("d")
    return device if isinstance(device, str) and device else None
