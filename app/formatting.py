"""Localised formatting for templates."""
from flask_babel import format_datetime


def format_datetime_short(value) -> str:
    """A date and time in the reader's language (stored times are UTC)."""
    if value is None:
        return ""
    return format_datetime(value, "medium")
