"""Time helpers: the app stores naive UTC datetimes everywhere and shows them in SANAD_TIMEZONE."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def local_to_utc(value: datetime | None) -> datetime | None:
    """A date and time typed in a form (the site's time zone) as the naive UTC the database keeps."""
    if value is None:
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    try:
        return value.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    except OverflowError:  # a date at the edge of the calendar: treated as no date, which the rules refuse
        return None


def local_date(value: datetime):
    """The calendar day in the site's time zone of a naive UTC datetime."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return value.replace(tzinfo=UTC).astimezone(zone).date()


def utc_to_local(value: datetime | None) -> datetime | None:
    """The naive UTC the database keeps as the site's local time, to prefill a form's date and time."""
    if value is None:
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return value.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
