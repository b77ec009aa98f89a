"""The one-click unsubscribe link of bulk notifications: public, no login, no CSRF token (RFC 8058)."""
from flask import Blueprint, render_template, request, session
from flask_babel import force_locale

from app.extensions import csrf, limiter
from app.notifications import unsubscribe as unsubscribing
from app.web.pages import carry_out
from app.web.security import path_token, token_limits

bp = Blueprint("notifications", __name__)

# Mail providers send the one-click POSTs of all their users from a few addresses, so the tight limit is per
# link (SANAD_TOKEN_LIMITS) and the one per address is loose.
ADDRESS_LIMIT = "120 per minute"


def _page(user, status: int = 200, **context):
    """The page in the person's language, unless a language was chosen in this browser."""
    language = session.get("lang") or (user.language if user is not None else None)
    if language is None:
        return render_template("notifications/unsubscribe.html", user=user, **context), status
    with force_locale(language):
        return render_template("notifications/unsubscribe.html", user=user, **context), status


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # a mail program's one-click POST carries no CSRF token: the signed link is the proof
@limiter.limit(ADDRESS_LIMIT, methods=["POST"])
@limiter.limit(token_limits, key_func=path_token, methods=["POST"])
def unsubscribe(token):
    """GET only asks (mail scanners open links); the POST, from the page's button or from a mail program's
    unsubscribe button, sets the person's notifications to none. A link sent before the person last changed
    their settings does neither: it answers that it is out of date."""
    link = unsubscribing.read_token(token)
    if link is None:
        return _page(None, 404, invalid=True)
    if unsubscribing.out_of_date(link):
        return _page(link.user, 410, out_of_date=True)
    if request.method == "GET":
        return _page(link.user, done=link.user.notification_mode == "none")
    outcome = carry_out(unsubscribing.unsubscribe, token)
    if isinstance(outcome.refusal, unsubscribing.OutOfDate):
        return _page(link.user, 410, out_of_date=True)
    if not outcome.done:
        return _page(None, 404, invalid=True)
    return _page(outcome.result, done=True)
