"""Localised formatting for templates."""
import re
import unicodedata
from datetime import datetime

from babel.dates import get_datetime_format
from flask_babel import format_date, format_decimal, format_time, get_locale, ngettext
from markupsafe import Markup


def _moment(value):
    """Dates and times as stored, or as ISO text (how a dossier's JSON holds them)."""
    return datetime.fromisoformat(value) if isinstance(value, str) and value else value or None


def format_datetime_short(value) -> str:
    """A date and time in the reader's language (stored times are UTC)."""
    value = _moment(value)
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return format_date(value, "medium")
    # The language's own way of joining a date and a time ("{1}, {0}" in English, "{1} {0}" in Urdu).
    pattern = get_datetime_format("medium", locale=get_locale() or "en")
    return pattern.replace("{1}", format_date(value, "medium")).replace("{0}", format_time(value, "short"))


def format_date_only(value) -> str:
    value = _moment(value)
    return format_date(value, "medium") if value is not None else ""


def text_direction(value) -> str:
    """"rtl" or "ltr" from the first letter with a strong direction: dir="auto" worked out on the server,
    for the PDF renderer, which does not support it."""
    for char in re.sub(r"<[^>]*>", "", str(value or "")):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "auto"


def stored_html(value: str | None) -> Markup:
    """Mark HTML from a *_html column as safe to show. Only for columns written by app.markup.render_markdown,
    which sanitized it when it was saved; never for anything else."""
    return Markup(value or "")


def over_limit_message(length: int, limit: int) -> str:
    """"5,412 characters; the limit is 5,000." in the reader's language and digits."""
    return ngettext("%(count)s character; the limit is %(limit)s.", "%(count)s characters; the limit is %(limit)s.",
                    length, count=format_decimal(length), limit=format_decimal(limit))


def limit_text(limit: int, minimum: int = -1) -> str:
    """"Up to 5,000 characters." (or "Between 10 and 200 characters."): what a field's hint says of its limit."""
    if minimum > 0:
        return ngettext("Between %(min)s and %(count)s character.", "Between %(min)s and %(count)s characters.",
                        limit, min=format_decimal(minimum), count=format_decimal(limit))
    return ngettext("Up to %(count)s character.", "Up to %(count)s characters.", limit, count=format_decimal(limit))
