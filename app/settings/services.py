"""The alliance's settings: read at most once per request (cached on flask.g) by every page, mail and dossier
that names the alliance or uses a default; saved by an admin, with the values before and after in the audit
log. Until the first save, the first values come from the environment (app/config.py)."""
from dataclasses import asdict, dataclass, replace

from flask import current_app, g
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app import permissions
from app.audit.services import record
from app.database import insert_unless_duplicate
from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.settings.models import ROW_ID, AllianceSettings
from app.time import utcnow

# The bounds of each number of days (sign-on may be 0: no deadline suggested).
DAY_LIMITS = {"consultation_days": (1, 365), "signon_days": (0, 365), "acknowledge_days": (1, 365),
              "answer_days": (1, 730)}


@dataclass(frozen=True)
class Settings:
    """The alliance's settings as they stand, detached from the database."""

    name_en: str
    name_ur: str
    short_name: str
    contact_email: str
    consultation_days: int
    signon_days: int
    acknowledge_days: int
    answer_days: int
    default_recipient_ids: tuple[int, ...]

    def name(self, locale=None) -> str:
        """The name for a language (default: the one in use): the Urdu name on Urdu pages when there is one."""
        locale = str(locale or get_locale() or "en")
        return self.name_ur if locale == "ur" and self.name_ur else self.name_en


def first_values() -> Settings:
    """What applies until an admin saves the settings: the environment's values (app/config.py)."""
    config = current_app.config
    return Settings(name_en=config["ALLIANCE_NAME"], name_ur=config["ALLIANCE_NAME_UR"],
                    short_name=config["ALLIANCE_SHORT_NAME"], contact_email=config["CONTACT_EMAIL"],
                    consultation_days=config["CONSULTATION_DAYS"], signon_days=config["SIGNON_DAYS"],
                    acknowledge_days=config["ACKNOWLEDGE_DAYS"], answer_days=config["ANSWER_DAYS"],
                    default_recipient_ids=())


def current() -> Settings:
    """The settings for this request (or app context): read from the database once, then from flask.g."""
    settings = g.get("alliance_settings")
    if settings is None:
        settings = g.alliance_settings = _read()
    return settings


def _read() -> Settings:
    try:
        row = db.session.get(AllianceSettings, ROW_ID)
    except SQLAlchemyError:
        # Only the error page of a request whose database work failed (its session cannot read any more) gets
        # here: it names the alliance with the first values rather than failing in turn.
        current_app.logger.warning("the alliance's settings could not be read; showing the first values")
        return first_values()
    return first_values() if row is None else _snapshot(row)


def _snapshot(row: AllianceSettings) -> Settings:
    return Settings(name_en=row.name_en, name_ur=row.name_ur, short_name=row.short_name,
                    contact_email=row.contact_email, consultation_days=row.consultation_days,
                    signon_days=row.signon_days, acknowledge_days=row.acknowledge_days, answer_days=row.answer_days,
                    default_recipient_ids=tuple(row.default_recipient_ids or ()))


def alliance_name(locale=None) -> str:
    """The alliance's name in a language (default: the one in use)."""
    return current().name(locale)


def save(actor, **values) -> Settings:
    """An admin saves the settings; the audit entry keeps each changed value before and after. Refuses
    names left empty and numbers of days out of bounds."""
    if not permissions.can_manage_settings(actor):
        raise NotAllowed()
    values = {key: value.strip() if isinstance(value, str) else value for key, value in values.items()}
    if "name_en" in values and not values["name_en"]:
        raise RuleError(_("Give the alliance's name in English."))
    if values.get("contact_email") and "@" not in values["contact_email"]:
        raise RuleError(_("Enter a valid email address."))
    for key, (low, high) in DAY_LIMITS.items():
        if key in values and (not isinstance(values[key], int) or not low <= values[key] <= high):
            raise RuleError(_("Numbers of days must be between %(low)d and %(high)d.", low=low, high=high))
    if "default_recipient_ids" in values:
        values["default_recipient_ids"] = tuple(sorted(set(values["default_recipient_ids"] or ())))
    # The first save makes the row from the first values (a second admin saving at the same moment finds it
    # made); then it is locked, so two saves are written one after the other, each audited against what it
    # replaced.
    db.session.execute(insert_unless_duplicate(AllianceSettings).values(
        id=ROW_ID, **_columns(first_values()), updated_at=utcnow(), updated_by_id=actor.id))
    row = db.session.scalar(select(AllianceSettings).where(AllianceSettings.id == ROW_ID).with_for_update()
                            .execution_options(populate_existing=True))
    before = _snapshot(row)
    after = replace(before, **values)
    changed = {key: (getattr(before, key), value) for key, value in asdict(after).items()
               if getattr(before, key) != value}
    for key, value in _columns(after).items():
        setattr(row, key, value)
    row.updated_at, row.updated_by_id = utcnow(), actor.id
    db.session.flush()
    if changed:
        record(actor, "settings_changed", row, before={k: _plain(v[0]) for k, v in changed.items()},
               after={k: _plain(v[1]) for k, v in changed.items()})
    g.alliance_settings = after
    return after


def _columns(settings: Settings) -> dict:
    columns = asdict(settings)
    columns["default_recipient_ids"] = list(settings.default_recipient_ids)
    return columns


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def last_saved() -> AllianceSettings | None:
    """When and by whom the settings were last saved; None while the environment's first values apply."""
    return db.session.get(AllianceSettings, ROW_ID)


class LazyAllianceName:
    """The alliance's name, looked up when it is shown, in the language in use then (an email is rendered in
    its recipient's). Plain text: templates escape it like any other value (it has no __html__)."""

    def __str__(self) -> str:
        return alliance_name()

    def __bool__(self) -> bool:
        return bool(alliance_name())


class LazyShortName:
    """The alliance's short name, looked up when it is shown (empty when none is set)."""

    def __str__(self) -> str:
        return current().short_name

    def __bool__(self) -> bool:
        return bool(current().short_name)
