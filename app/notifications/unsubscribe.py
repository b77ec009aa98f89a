"""One-click unsubscribe (RFC 8058) for bulk notifications: a signed link that needs no login.

The link carries the person's id and the notification mode it sets, signed with the app's secret key and a
salt used for nothing else, so it cannot be forged or turned into any other kind of token. Only a POST acts:
mail providers send one for their "Unsubscribe" button, and the page behind the link offers a button for it,
so a scanner that opens links changes nothing.
"""
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from app.accounts.models import User
from app.audit.services import record
from app.choices import NOTIFICATION_MODES
from app.errors import RuleError
from app.extensions import db
from app.links import absolute_url

SALT = "sanad.notifications.unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(user: User, mode: str = "none") -> str:
    return _serializer().dumps({"user": user.id, "mode": mode})


def unsubscribe_headers(user: User) -> dict[str, str]:
    """The headers that let a mail program offer one-click unsubscribe for this person."""
    link = absolute_url("notifications.unsubscribe", token=unsubscribe_token(user))
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def read_token(token: str) -> tuple[User, str] | None:
    """The person and the mode a link is for; None when the link was not made by us (tampered, truncated)."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("mode") not in NOTIFICATION_MODES:
        return None
    user_id = data.get("user")
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    user = db.session.get(User, user_id)
    return (user, data["mode"]) if user is not None else None


def unsubscribe(token: str) -> User:
    """Set the notification mode the link is for; doing it again changes nothing and records nothing."""
    found = read_token(token)
    if found is None:
        raise RuleError(_("This unsubscribe link is not valid. Change your notification settings on your "
                          "account page instead."))
    user, mode = found
    if user.notification_mode != mode:
        before, user.notification_mode = user.notification_mode, mode
        # No one is logged in: the link from the person's own email speaks for them.
        record(None, "notifications_unsubscribed", user, before=before, after=mode, via="email link")
    return user
