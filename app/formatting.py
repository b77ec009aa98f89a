"""Localised formatting for templates."""
import re
import unicodedata
from datetime import datetime

from babel.dates import get_datetime_format
from flask_babel import format_date, format_decimal, format_time, get_locale, ngettext
from jinja2 import pass_eval_context
from markupsafe import Markup, escape

RTL_LANGUAGES = ("ur",)
# Unicode's own isolation (LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE), for plain text: mails, messages.
LRI, PDI = "\u2066", "\u2069"


def _moment(value):
    """Dates and times as stored, or as ISO text (how a dossier's JSON holds them)."""
    return datetime.fromisoformat(value) if isinstance(value, str) and value else value or None


def _rtl() -> bool:
    return str(get_locale() or "en") in RTL_LANGUAGES


def _date_and_time(value, isolate_time, text=str) -> str:
    value = _moment(value)
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return text(format_date(value, "medium"))
    # The language's own way of joining a date and a time ("{1}, {0}" in English, "{1} {0}" in Urdu).
    pattern = str(text(get_datetime_format("medium", locale=get_locale() or "en")))
    return pattern.replace("{1}", text(format_date(value, "medium"))).replace(
        "{0}", isolate_time(format_time(value, "short")))


def format_datetime_short(value) -> str:
    """A date and time in the reader's language (stored times are UTC), as plain text. On a right-to-left page
    the time ("11:00 AM") is a left-to-right run inside Unicode isolates, or it reads "AM 11:00"."""
    return _date_and_time(value, lambda time: f"{LRI}{time}{PDI}" if _rtl() else time)


@pass_eval_context
def when(eval_ctx, value):
    """The `when` filter: format_datetime_short; in HTML the time is a <bdi dir="ltr"> (in any language: the
    page may quote it inside text of the other direction), in a plain-text template Unicode isolates."""
    if not eval_ctx.autoescape:
        return format_datetime_short(value)
    return Markup(_date_and_time(value, lambda time: f'<bdi dir="ltr" class="time">{escape(time)}</bdi>', text=escape))


def format_date_only(value) -> str:
    value = _moment(value)
    return format_date(value, "medium") if value is not None else ""


def language_direction(language: str | None) -> str:
    """The direction a text in this language is written in: dir="rtl" for Urdu, "ltr" otherwise."""
    return "rtl" if language in RTL_LANGUAGES else "ltr"


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


def isolated(value) -> Markup:
    """A name or title inside text of the other direction: a <bdi> whose direction is worked out on the server
    (text_direction), which the PDF renderer honours too."""
    return Markup('<bdi dir="{}">{}</bdi>').format(text_direction(value), value)


def name_list(names, lookup: dict | None = None) -> Markup:
    """Names (recipients, addressees) each isolated, joined as the reader's language joins a list; with
    `lookup`, the items are keys (institution ids) and their names are looked up ("?" for one not found)."""
    if lookup is not None:
        names = [lookup.get(key, "?") for key in names]
    return Markup("، " if _rtl() else ", ").join(isolated(name) for name in names)
