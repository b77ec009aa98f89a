"""The buckets that bound guesses at a person's secrets (app/limits/throttle.py and Flask-Limiter): by address,
by account, and by the owner's own browser, which counts on its own so that a guesser elsewhere never
locks the owner out. Read from the request: used by the login, code and account pages."""
from flask import current_app, request

from app.accounts import services


def login_limits():
    return current_app.config["LOGIN_LIMITS"]


def submitted_email():
    return "email:" + services.normalize_email(request.form.get("email", ""))


def client_key() -> str:
    return "ip:" + (request.remote_addr or "")


def device_cookie_name() -> str:
    return current_app.config["DEVICE_COOKIE_NAME"]


def own_device_or(kind: str, email: str, account_bucket: str) -> str:
    """A browser that logged in to this account before carries a device cookie for it, and counts on its own:
    someone guessing from elsewhere fills the account's bucket, never this one, so the owner is not locked
    out (OWASP's "device cookies"). `kind` keeps a device's password and code guesses apart."""
    device = services.trusted_device(request.cookies.get(device_cookie_name()), email)
    return f"{kind}-device:{device}" if device else account_bucket


def account_or_trusted_device():
    """The per-account bucket at the password step."""
    return own_device_or("email", request.form.get("email", ""), submitted_email())


def secret_bucket(user, kind: str) -> str:
    """The per-account bucket for guesses at this person's password ("email") or code ("code"), at login and
    inside a session alike; the owner's own browser keeps a bucket of its own at every step, so whoever
    else knows the password and fails codes cannot lock the owner out."""
    account = f"email:{services.normalize_email(user.email)}" if kind == "email" else f"code:{user.id}"
    return own_device_or(kind, user.email, account)
