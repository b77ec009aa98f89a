from flask_babel import gettext as _
from sqlalchemy import func, select

from app import permissions
from app.audit.services import record
from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.organizations.models import Organization
from app.time import utcnow

PROFILE_FIELDS = ("name", "acronym", "type", "province", "city", "website", "description")


def _check_unique_name(name: str, organization: Organization | None) -> None:
    query = select(Organization.id).where(func.lower(Organization.name) == name.strip().lower())
    if organization is not None:
        query = query.where(Organization.id != organization.id)
    if db.session.scalar(query) is not None:
        raise RuleError(_("An organization with this name already exists."))


def create_organization(actor, **fields) -> Organization:
    if not permissions.can_create_organization(actor):
        raise NotAllowed()
    _check_unique_name(fields["name"], None)
    organization = Organization(**{k: (fields.get(k) or None) if k == "province" else (fields.get(k) or "").strip()
                                   for k in PROFILE_FIELDS})
    db.session.add(organization)
    db.session.flush()
    record(actor, "organization_created", organization, name=organization.name)
    return organization


def update_profile(actor, organization: Organization, **fields) -> None:
    if not permissions.can_edit_organization(actor, organization):
        raise NotAllowed()
    _check_unique_name(fields["name"], organization)
    changed = {}
    for key in PROFILE_FIELDS:
        value = (fields.get(key) or None) if key == "province" else (fields.get(key) or "").strip()
        if getattr(organization, key) != value:
            changed[key] = value
            setattr(organization, key, value)
    if changed:
        record(actor, "organization_updated", organization, fields=sorted(changed))


def set_verified(actor, organization: Organization, verified: bool) -> None:
    """Verify or unverify an organization; later its signatures follow this state."""
    if not permissions.can_verify_organization(actor, organization):
        raise NotAllowed()
    if organization.verified == verified:
        raise RuleError(_("Nothing to change: the organization is already in this state."))
    organization.verified = verified
    organization.verified_at = utcnow() if verified else None
    record(actor, "organization_verified" if verified else "organization_unverified", organization)
