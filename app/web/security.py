"""The security baseline every view inherits: login by default, headers, safe redirects."""
from urllib.parse import urlsplit

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from app.extensions import login_manager
from app.permissions import PUBLIC_ENDPOINTS, must_enrol_second_factor
from app.web import availability

# What a person who must set up the second factor can reach before doing so.
# (Static files and the health check never get this far: require_login lets them through first.)
ENROLMENT_ENDPOINTS = frozenset({"accounts.two_factor", "accounts.two_factor_confirm", "accounts.logout",
                                 "home.set_language"})

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])


def require_login():
    """before_request: every endpoint not in PUBLIC_ENDPOINTS needs a logged-in user, and one whose role
    requires a second factor must have set it up."""
    if request.endpoint in (None, "static", "home.healthz"):
        return None
    if availability.is_down():
        abort(503)
    authenticated = current_user.is_authenticated
    if not authenticated and availability.is_down():
        abort(503)  # the login session could not be read: never serve a page as if the visitor were logged out
    if authenticated:
        if must_enrol_second_factor(current_user) and request.endpoint not in ENROLMENT_ENDPOINTS:
            return redirect(url_for("accounts.two_factor"))
        return None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return login_manager.unauthorized()


def add_security_headers(response):
    """after_request: runs for every response, error pages included."""
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if request.endpoint == "static":
        return response  # app.web.caching gives static files their max-age
    if current_user and current_user.is_authenticated or reached_by_emailed_token():
        headers["Cache-Control"] = "no-store"
    elif "Cache-Control" not in headers:
        # A visitor's page is kept by no shared cache and checked again before each use (ETag, app.web.caching);
        # it is English or Urdu by the session cookie or the browser's languages.
        headers["Cache-Control"] = "private, no-cache"
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def reached_by_emailed_token() -> bool:
    """Whether the page is one reached through a link mailed to one person (a <token> in its address: an
    invitation, a password reset, an open sign-on confirmation, an unsubscribe link). Such a page shows that
    person's details to anyone holding the link, logged in or not: no browser or proxy may keep a copy."""
    return "token" in (request.view_args or {})


def safe_next(target: str | None) -> str | None:
    """The target if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def token_limits() -> str:
    """Rate limits for pages reached through an emailed token (see SANAD_TOKEN_LIMITS)."""
    return current_app.config["TOKEN_LIMITS"]


def path_token() -> str:
    """Rate-limit key: the token in the URL, so one link cannot be tried endlessly from many addresses."""
    return "token:" + (request.view_args or {}).get("token", "")
