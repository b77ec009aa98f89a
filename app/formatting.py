"""Localised formatting for templates."""
from flask_babel import format_date, format_time
from markupsafe import Markup


def format_datetime_short(value) -> str:
    """A date and time in the reader's language (stored times are UTC)."""
    if value is None:
        return ""
    return f"{format_date(value, 'medium')}, {format_time(value, 'short')}"


def format_date_only(value) -> str:
    return format_date(value, "medium") if value is not None else ""


def stored_html(value: str | None) -> Markup:
    """Mark HTML from a *_html column as safe to show. Only for columns written by app.markup.render_markdown,
    which sanitized it when it was saved; never for anything else."""
    return Markup(value or "")
