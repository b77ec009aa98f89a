"""Reading signatures: the version being signed, who may see which signatures, counts and statistics.
The functions other areas use (submissions, the home page, the reading page) live here."""
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app import permissions
from app.accounts.models import User
from app.choices import OrganizationRole, Phase, SignatureStatus
from app.database import read_rows
from app.declarations.models import Declaration, Version
from app.extensions import db
from app.formatting import format_datetime_short
from app.organizations.models import Organization
from app.signatures.models import OpenSignonRequest, Signature
from app.time import local_date, utcnow

LATEST_VERSION = (select(Version.id, Version.number, Version.phase, Version.sha256, Version.created_at)
                  .where(Version.declaration_id == bindparam("declaration_id"))
                  .order_by(Version.number.desc()).limit(1))


def signing_version(declaration: Declaration):
    """The version being signed: the latest one, when it was frozen for sign-on; None otherwise.

    A light row (id, number, phase, sha256, created_at), not the ORM object with its whole content:
    it is read on every signing request (with a statement built once)."""
    version = read_rows(LATEST_VERSION, {"declaration_id": declaration.id}).first()
    return version if version is not None and version.phase == Phase.SIGNON else None


def signing_closed_message(declaration: Declaration, version: Version | None = None) -> str | None:
    """Why signing is closed right now, or None when it is open. Checked on every action."""
    if declaration.phase != Phase.SIGNON or (version or signing_version(declaration)) is None:
        return _("Signing is open only during sign-on.")
    if declaration.signon_deadline and utcnow() >= declaration.signon_deadline:
        return _("Sign-on closed on %(date)s.", date=format_datetime_short(declaration.signon_deadline))
    return None


def signing_capacities(user, declaration: Declaration) -> list[str]:
    """What this person may sign as: for their organization, as an individual expert, or both."""
    return [c for c, may in (("organization", permissions.can_sign_for_organization(user, declaration)),
                             ("individual", permissions.can_sign_as_expert(user, declaration))) if may]


@dataclass(frozen=True)
class SigningStanding:
    """Where one person stands on signing a declaration: what the sign page shows them."""

    version: Any  # the version open for signing (a light row: signing_version), or None
    own: list[Signature]  # their active signatures and their organization's
    capacities: list[str]  # what they may still sign as on this version
    earlier: dict[str, Signature]  # per capacity, a signature on an earlier version, to be confirmed again


def signing_standing(user, declaration: Declaration) -> SigningStanding:
    own = own_signatures(user, declaration)
    version = signing_version(declaration)
    signed_now = {s.capacity for s in own if version is not None and s.version_id == version.id}
    return SigningStanding(
        version=version, own=own,
        capacities=[c for c in signing_capacities(user, declaration) if c not in signed_now],
        earlier={s.capacity: s for s in own if version is None or s.version_id != version.id})


def verified_clause():
    """SQL for 'counted as signed' (needs the outer join on Organization, see base_query)."""
    return or_(Signature.capacity == "individual", Organization.verified.is_(True),
               and_(Signature.open_request_id.is_not(None), Signature.approved_at.is_not(None)))


def base_query(declaration: Declaration):
    return (select(Signature).outerjoin(Organization, Signature.organization_id == Organization.id)
            .where(Signature.declaration_id == declaration.id))


def with_details(query):
    return query.options(joinedload(Signature.organization), joinedload(Signature.open_request),
                         joinedload(Signature.version), selectinload(Signature.reservations))


def _own(user):
    """Signatures that are this person's: as an individual, or their organization's."""
    mine = and_(Signature.capacity == "individual", Signature.user_id == user.id)
    if user.organization_id is not None:
        mine = or_(mine, Signature.organization_id == user.organization_id)
    return mine


def own_signatures(user, declaration: Declaration) -> list[Signature]:
    """The active signatures this person may withdraw or re-confirm: their own and their organization's."""
    if not permissions.logged_in(user):
        return []
    return db.session.scalars(with_details(base_query(declaration))
                              .where(Signature.status == SignatureStatus.ACTIVE, _own(user))
                              .order_by(Signature.id)).unique().all()


def withdrawn_signatures(user, declaration: Declaration) -> dict[str, Signature]:
    """Per capacity, the latest signature this person (or their organization) withdrew: signing again starts
    from its reservations and visibility."""
    if not permissions.logged_in(user):
        return {}
    rows = db.session.scalars(with_details(base_query(declaration))
                              .where(Signature.status == SignatureStatus.WITHDRAWN, _own(user))
                              .order_by(Signature.id)).unique().all()
    return {row.capacity: row for row in rows}  # the later one of a capacity wins


def visible_signatures(user, declaration: Declaration, recipients=(), *, status: str = "", capacity: str = "",
                       visibility: str = "", version: str = "", q: str = "") -> list[Signature]:
    """The signatures listed for this person. Others than coordinators see the active, verified ones they may
    see named (permissions.signer_visible_clause; recipients: the institutions the declaration was submitted
    to), and their own and their organization's, named or not (permissions.can_see_signer says, per row);
    coordinators see everything and may filter."""
    query = with_details(base_query(declaration)).outerjoin(
        OpenSignonRequest, Signature.open_request_id == OpenSignonRequest.id)
    if permissions.can_manage_signatures(user, declaration):
        if status == "pending":  # a filter, not a status: active but not yet verified or approved
            query = query.where(Signature.status == SignatureStatus.ACTIVE, ~verified_clause())
        elif status:
            query = query.where(Signature.status == status)
        if visibility:
            query = query.where(Signature.visibility == visibility)
    else:
        shown = and_(verified_clause(), permissions.signer_visible_clause(user, Signature, recipients))
        if permissions.logged_in(user):
            shown = or_(shown, _own(user))
        query = query.where(Signature.status == SignatureStatus.ACTIVE, shown)
    if capacity:
        query = query.where(Signature.capacity == capacity)
    current = signing_version(declaration) or declaration.latest_version
    if version == "current" and current is not None:
        query = query.where(Signature.version_id == current.id)
    elif version == "earlier" and current is not None:
        query = query.where(Signature.version_id != current.id)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(or_(func.lower(Organization.name).like(pattern), func.lower(Signature.signer_name)
                                .like(pattern), func.lower(OpenSignonRequest.organization_name).like(pattern)))
    rows = db.session.scalars(query.order_by(Signature.signed_at, Signature.id)).unique().all()
    return sorted(rows, key=lambda s: s.display_name.casefold())


def unnamed_count(user, declaration: Declaration, listed: list[Signature], recipients=()) -> int:
    """Active, verified signatures on this declaration that this person may not see named and that are not
    listed for them."""
    query = (select(func.count()).select_from(Signature)
             .outerjoin(Organization, Signature.organization_id == Organization.id)
             .where(Signature.declaration_id == declaration.id, Signature.status == SignatureStatus.ACTIVE,
                    verified_clause(), ~permissions.signer_visible_clause(user, Signature, recipients),
                    Signature.id.not_in([s.id for s in listed])))
    return db.session.scalar(query)


def tally(signatures: list[Signature], current: Version | None) -> dict:
    """Counts computed from the very rows that are listed, so the two can never disagree."""
    active = [s for s in signatures if s.status == SignatureStatus.ACTIVE]
    earlier = [s for s in active if current is None or s.version_id != current.id]
    counted = [s for s in active if s.verified and s not in earlier]  # signed the current text
    return {
        "organizations": sum(1 for s in counted if s.capacity == "organization"),
        "individuals": sum(1 for s in counted if s.capacity == "individual"),
        "pending": sum(1 for s in active if not s.verified and s not in earlier),
        "earlier": len(earlier),
        "ended": len(signatures) - len(active),
    }


def statistics(declaration: Declaration) -> dict:
    """Signatures counted as signed on the current version: by day, by organization type and by province."""
    current = signing_version(declaration) or declaration.latest_version
    rows = db.session.scalars(with_details(base_query(declaration)).where(
        Signature.status == SignatureStatus.ACTIVE, verified_clause(),
        Signature.version_id == (current.id if current else -1))
        .options(joinedload(Signature.user))).unique().all()
    by_type: dict[str, int] = {}
    by_province: dict[str, int] = {}
    for signature in rows:
        if signature.capacity == "organization":
            kind = (signature.organization.type if signature.organization is not None
                    else signature.open_request.organization_type)
            by_type[kind] = by_type.get(kind, 0) + 1
        if signature.organization is not None:
            province = signature.organization.province
        elif signature.open_request is not None:
            province = signature.open_request.province
        else:
            province = signature.user.province if signature.user is not None else None
        by_province[province or ""] = by_province.get(province or "", 0) + 1
    return {"days": [local_date(s.signed_at) for s in rows], "by_type": by_type, "by_province": by_province,
            "total": len(rows)}


def possible_signers(declaration: Declaration):
    """Who may sign and has no signature on record yet, as an SQL condition on User: representatives of member
    organizations that have not signed, and individual experts who have not. permissions.can_sign for a
    declaration past drafting (which every alliance member may see), in SQL: the people are told in batches
    and counted, never loaded all at once (tests/signatures/test_possible_signers.py checks they agree)."""
    signed = select(Signature.user_id).where(Signature.declaration_id == declaration.id,
                                             Signature.status == SignatureStatus.ACTIVE, Signature.user_id.is_not(None))
    signed_for = select(Signature.organization_id).where(Signature.declaration_id == declaration.id,
                                                         Signature.status == SignatureStatus.ACTIVE,
                                                         Signature.organization_id.is_not(None))
    return and_(permissions.alliance_members_clause(User), User.id.not_in(signed),
                or_(and_(User.org_role == OrganizationRole.REPRESENTATIVE, User.organization_id.is_not(None),
                         User.organization_id.not_in(signed_for)),
                    User.is_expert.is_(True)))


def possible_signers_count(declaration: Declaration) -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(possible_signers(declaration)))


def signers_told(declaration: Declaration, target: str) -> dict:
    """The confirmation page of reopening the text or of opening sign-on says how many signatures' signers
    will be emailed (app/signatures/reopening.py: told of the reopening, or asked to confirm again)."""
    if declaration.phase != Phase.SIGNON and target != Phase.SIGNON:
        return {}
    told = {"signatures_told": db.session.scalar(select(func.count()).select_from(Signature).where(
        Signature.declaration_id == declaration.id, Signature.status == SignatureStatus.ACTIVE))}
    if target == Phase.SIGNON:  # and who may sign is invited to (app/signatures/reopening.py, signon_opened)
        told["signers_invited"] = possible_signers_count(declaration)
    return told
