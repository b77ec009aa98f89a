"""Time helpers: the app stores naive UTC datetimes everywhere."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
