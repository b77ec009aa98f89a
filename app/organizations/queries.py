"""Reads other areas' forms need: the organization a person typed the name of, found in SQL."""
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.errors import RuleError
from app.extensions import db
from app.organizations.models import Organization

NAMES_SHOWN = 5  # when several organizations match, the names the message offers


def organization_named(text: str) -> Organization | None:
    """The organization whose name was typed: the one with exactly this name (ignoring case), else the only one
    whose acronym is this or whose name holds it. None for an empty field; a RuleError that says what to type
    when none or several match. A few rows at most are read, whatever the number of organizations."""
    text = (text or "").strip()
    if not text:
        return None
    exact = db.session.scalar(select(Organization).where(func.lower(Organization.name) == text.lower()))
    if exact is not None:
        return exact
    pattern = f"%{text.replace('%', '').replace('_', '')}%"
    found = db.session.scalars(select(Organization).where(or_(
        func.lower(Organization.acronym) == text.lower(), Organization.name.ilike(pattern)))
        .order_by(Organization.name).limit(NAMES_SHOWN + 1)).all()
    if not found:
        raise RuleError(_("No organization is called “%(text)s”. Type its name as the directory shows it.",
                          text=text))
    names = "; ".join(o.name for o in found[:NAMES_SHOWN])
    if len(found) > NAMES_SHOWN:
        raise RuleError(_("Many organizations match “%(text)s”, among them %(names)s. Type the whole name of one.",
                          text=text, names=names))
    if len(found) > 1:
        raise RuleError(_("Several organizations match “%(text)s”: %(names)s. Type the whole name of one.",
                          text=text, names=names))
    return found[0]
