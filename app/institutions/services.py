from flask_babel import gettext as _
from sqlalchemy import func, select

from app import permissions
from app.audit.services import record
from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.institutions.models import Institution


def save_institution(actor, institution: Institution | None, *, name: str, acronym: str,
                     description: str) -> Institution:
    """Create a recipient institution (institution=None) or update one."""
    if not permissions.can_manage_institutions(actor):
        raise NotAllowed()
    query = select(Institution.id).where(func.lower(Institution.name) == name.strip().lower())
    if institution is not None:
        query = query.where(Institution.id != institution.id)
    if db.session.scalar(query) is not None:
        raise RuleError(_("An institution with this name already exists."))
    created = institution is None
    if created:
        institution = Institution()
        db.session.add(institution)
    institution.name, institution.acronym, institution.description = name.strip(), acronym.strip(), description.strip()
    db.session.flush()
    record(actor, "institution_created" if created else "institution_updated", institution, name=institution.name)
    return institution
