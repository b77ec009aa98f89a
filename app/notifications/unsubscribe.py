"""One-click unsubscribe (RFC 8058) for bulk notifications: a signed link that needs no login.

The link carries the person's id, the notification mode it sets and the version of their settings when it
was sent, signed with the app's secret key and a salt used for nothing else, so it cannot be forged or turned
into any other kind of token. Once the person has saved their notification settings since, the link is out of
date and changes nothing: an old email must not turn off what they have just turned back on. Only a POST acts:
mail providers send one for their "Unsubscribe" button, and the page behind the link offers a button for it,
so a scanner that opens links changes nothing.
"""
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.audit.services import record
from app.choices import NOTIFICATION_MODES
from app.errors import RuleError
from app.extensions import db
from app.links import absolute_url

SALT = "sanad.notifications.unsubscribe"
# The audit entry of a saving of the person's settings page, where the notification mode is chosen
# (app/accounts/services.py, update_profile). Its id is the version of the settings a link is made for.
SETTINGS_SAVED = "profile_updated"


class OutOfDate(RuleError):  # noqa: N818 - the name says what the link is
    """The person has changed their notification settings since the link was sent."""

    def __init__(self):
        super().__init__(_("This unsubscribe link is out of date: your notification settings were changed after "
                           "this email was sent. Nothing was changed."))


class Link(NamedTuple):
    """What an unsubscribe link says: whose it is, the mode it sets, and the version of their settings when it
    was sent (0 in links from before links carried it, as for a person who never saved their settings)."""

    user: User
    mode: str
    settings: int


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def settings_version(user: User) -> int:
    """The version of the person's notification settings: the id of the audit entry of their last saving of
    the settings page, 0 before any. It only grows, so a turn off and on again is a new version."""
    # The person saves their own settings: their own entries (an indexed column) hold it.
    return db.session.scalar(select(func.max(AuditEntry.id)).where(
        AuditEntry.actor_id == user.id, AuditEntry.action == SETTINGS_SAVED,
        AuditEntry.target_type == User.__tablename__, AuditEntry.target_id == user.id)) or 0


def settings_versions(user_ids: list[int]) -> dict[int, int]:
    """settings_version of each of these people, in one grouped query (for a batch of a notification to many;
    the people missing from the answer never saved their settings: version 0)."""
    if not user_ids:
        return {}
    return dict(db.session.execute(
        select(AuditEntry.actor_id, func.max(AuditEntry.id)).where(
            AuditEntry.actor_id.in_(user_ids), AuditEntry.action == SETTINGS_SAVED,
            AuditEntry.target_type == User.__tablename__, AuditEntry.target_id == AuditEntry.actor_id)
        .group_by(AuditEntry.actor_id)).all())


def unsubscribe_token(user: User, mode: str = "none", settings: int | None = None) -> str:
    """settings: the person's settings_version when the caller has it already (a batch read them at once)."""
    version = settings_version(user) if settings is None else settings
    return _serializer().dumps({"user": user.id, "mode": mode, "settings": version})


def unsubscribe_headers(user: User, settings: int | None = None, *, prefix: str | None = None) -> dict[str, str]:
    """The headers that let a mail program offer one-click unsubscribe for this person. prefix: the link
    without its token (unsubscribe_link_prefix()), when the caller makes many links."""
    token = unsubscribe_token(user, settings=settings)
    link = prefix + token if prefix is not None else absolute_url("notifications.unsubscribe", token=token)
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def unsubscribe_link_prefix() -> str:
    """The unsubscribe link up to its token, built once for a batch of links (a token is URL-safe and ends the
    path)."""
    link = absolute_url("notifications.unsubscribe", token="-")
    return link[:-1]


def read_token(token: str) -> Link | None:
    """What a link says; None when the link was not made by us (tampered, truncated)."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("mode") not in NOTIFICATION_MODES:
        return None
    user_id, settings = data.get("user"), data.get("settings", 0)
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (user_id, settings)):
        return None
    user = db.session.get(User, user_id)
    return Link(user, data["mode"], settings) if user is not None else None


def out_of_date(link: Link) -> bool:
    """Whether the person has saved their notification settings since the link was sent."""
    return settings_version(link.user) != link.settings


def unsubscribe(token: str) -> User:
    """Set the notification mode the link is for; doing it again changes nothing and records nothing. A link
    from before the person's last change of their settings is refused (OutOfDate)."""
    link = read_token(token)
    if link is None:
        raise RuleError(_("This unsubscribe link is not valid. Change your notification settings on your "
                          "account page instead."))
    if out_of_date(link):
        raise OutOfDate()
    user, mode = link.user, link.mode
    if user.notification_mode != mode:
        before, user.notification_mode = user.notification_mode, mode
        # No one is logged in: the link from the person's own email speaks for them.
        record(None, "notifications_unsubscribed", user, before=before, after=mode, via="email link")
    return user
