"""The alliance members a coordinator names on a declaration (co-drafters, translators): those already named,
ticked to keep, and others added by email address — found in SQL among these few, never from a list of every
member, which would grow with the alliance."""
import re

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app import permissions
from app.accounts.models import User
from app.accounts.services import normalize_email
from app.errors import RuleError
from app.extensions import db

MAX_NAMED = 50  # people named on one declaration at once, kept and added together


def typed_addresses(text: str) -> list[str]:
    """The addresses typed in an "add by email" box, separated by commas, semicolons, spaces or lines."""
    return list(dict.fromkeys(normalize_email(a) for a in re.split(r"[\s,;]+", text or "") if a.strip()))


def named_people(ids: list[int], addresses_text: str) -> list[User]:
    """The alliance members with these ids (the boxes ticked) and these addresses, by name. A RuleError names
    the addresses that are no alliance member's, or says when more are named than a declaration takes."""
    addresses = typed_addresses(addresses_text)
    ids = sorted(set(ids))
    if len(ids) + len(addresses) > MAX_NAMED:
        raise RuleError(_("Name at most %(num)d people at once.", num=MAX_NAMED))
    if not ids and not addresses:
        return []
    people = db.session.scalars(select(User).where(permissions.alliance_members_clause(User),
                                                   or_(User.id.in_(ids), User.email.in_(addresses)))
                                .order_by(User.name)).all()
    missing = sorted(set(addresses) - {person.email for person in people})
    if missing:
        raise RuleError(_("No active member of the alliance has this address: %(addresses)s. Check it, or invite "
                          "the person first.", addresses=", ".join(missing)))
    return people


def choices_of(people) -> list[tuple[int, str]]:
    """A checkbox per person already named: their name and their organization's acronym (or "expert")."""
    return [(p.id, f"{p.name} ({p.organization.acronym if p.organization else _('expert')})") for p in people]
