"""Signing and withdrawal: signatures on an exact version, one active signature per organization and per
individual, held by unique indexes; a race that loses against them ends in AlreadySigned, never in a second
row. Open sign-on, the chase list and reopening build on the helpers here."""
from collections import namedtuple
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, insert, select, update

from app import permissions
from app.audit.services import record
from app.choices import SIGNATURE_VISIBILITIES, SUBMITTED_PHASES, Phase, SignatureStatus
from app.database import insert_row_unless_duplicate, read_rows
from app.declarations.models import Declaration, Recommendation, Version
from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.formatting import over_limit_message
from app.signatures import receipts
from app.signatures.models import Reservation, Signature
from app.signatures.queries import LATEST_VERSION, signing_closed_message
from app.time import utcnow

MAX_RESERVATION = 2000


class AlreadySigned(RuleError):
    def __init__(self, message=None):
        super().__init__(message or _("This has already been signed: there is one signature, not two."))


def changed_text_message(version) -> str:
    return _("The text changed while you were reading it: version %(n)d is now open for signing. "
             "Read it and sign again.", n=version.number)


def clean_reservations(declaration: Declaration, reservations: dict[int, str]) -> dict[int, str]:
    texts = {rid: (text or "").strip() for rid, text in reservations.items() if (text or "").strip()}
    longest = max(map(len, texts.values()), default=0)
    if longest > MAX_RESERVATION:
        raise RuleError(_("A reservation is too long: %(count)s Shorten it; nothing was signed yet.",
                          count=over_limit_message(longest, MAX_RESERVATION)))
    if texts:
        live = set(db.session.scalars(select(Recommendation.id).where(
            Recommendation.declaration_id == declaration.id, Recommendation.deleted_at.is_(None),
            Recommendation.id.in_(texts))))
        if live != set(texts):
            raise RuleError(_("A reservation refers to a recommendation that is not part of this text."))
    return texts


# Which signer a signature belongs to, by kind; the signer's id is the "signer" parameter.
SIGNER = {
    "organization": (Signature.organization_id == bindparam("signer"),),
    "open_request": (Signature.open_request_id == bindparam("signer"),),
    "individual": (Signature.capacity == "individual", Signature.user_id == bindparam("signer")),
}
# Read on every signing request: built once.
ACTIVE_SIGNATURE = {
    kind: select(Signature.id, Signature.version_id).where(
        Signature.declaration_id == bindparam("declaration_id"), Signature.status == SignatureStatus.ACTIVE, *signer)
    for kind, signer in SIGNER.items()
}
# The version being signed and this signer's active signature, in one round trip (a signer has at most one
# active signature: a unique index): what every signing request reads before anything else.
SIGNING_STATE = {
    kind: LATEST_VERSION.add_columns(Signature.id.label("signature_id"),
                                     Signature.version_id.label("signature_version_id"))
    .outerjoin(Signature, and_(Signature.declaration_id == Version.declaration_id,
                               Signature.status == SignatureStatus.ACTIVE, *SIGNER[kind]))
    for kind in ("organization", "individual")
}


VersionRow = namedtuple("VersionRow", "id number phase sha256 created_at")
ActiveRow = namedtuple("ActiveRow", "id version_id")


def signing_state(declaration: Declaration, capacity: str, signer_id: int):
    """(signing_version(), active_signature() of this signer) as one query: (None, None) when no version is
    open for signing; the signature as a light row (id, version_id)."""
    row = read_rows(SIGNING_STATE[capacity], {"declaration_id": declaration.id, "signer": signer_id}).first()
    if row is None or row.phase != Phase.SIGNON:
        return None, None
    version = VersionRow(row.id, row.number, row.phase, row.sha256, row.created_at)
    return version, (ActiveRow(row.signature_id, row.signature_version_id) if row.signature_id else None)


def active_signature(declaration: Declaration, *, organization_id=None, user_id=None, open_request_id=None):
    """The active signature of this signer, as a light row (id, version_id), or None."""
    if organization_id is not None:
        signer, key = organization_id, "organization"
    elif open_request_id is not None:
        signer, key = open_request_id, "open_request"
    else:
        signer, key = user_id, "individual"
    return read_rows(ACTIVE_SIGNATURE[key], {"declaration_id": declaration.id, "signer": signer}).first()


def end_signature(signature_id: int, status: str, actor, reason: str = "", *, pending_only: bool = False) -> bool:
    """End an active signature (withdrawn, superseded, rejected) with one conditional UPDATE, so two
    requests racing on it cannot both end it. False when it was no longer active (or no longer pending)."""
    query = update(Signature).where(Signature.id == signature_id, Signature.status == SignatureStatus.ACTIVE)
    if pending_only:
        query = query.where(Signature.approved_at.is_(None))
    result = db.session.execute(query.values(status=status, ended_at=utcnow(), end_reason=reason,
                                             ended_by_id=actor.id if actor is not None else None))
    return result.rowcount == 1


def insert_signature(values: dict, replaced_id: int | None, reservations: dict[int, str]) -> int:
    """Write a signature, ending the one it replaces first; returns its id. The unique indexes decide races:
    an insert that meets an active signature of the same signer does nothing (ON CONFLICT DO NOTHING) and
    the signer is told it is already signed; the view then rolls the request back, so nothing is
    half-written."""
    if replaced_id is not None and not end_signature(replaced_id, SignatureStatus.SUPERSEDED, None):
        raise AlreadySigned()
    signature_id = insert_row_unless_duplicate(Signature, {**values, "replaces_id": replaced_id})
    if signature_id is None:
        raise AlreadySigned()
    if reservations:
        db.session.execute(insert(Reservation), [
            {"signature_id": signature_id, "recommendation_id": recommendation_id, "text": text}
            for recommendation_id, text in sorted(reservations.items())])
    return signature_id


def phase_now(declaration_id: int) -> str:
    """The declaration's phase re-read after writing, under a share lock (PostgreSQL; SQLite has one writer at
    a time). Submitting moves the phase in an update of the same row, so a change to the signatures either
    happens before the submission reads them (which waits for it) or sees the submission and is refused (the
    view rolls back)."""
    return read_rows(PHASE_FOR_SHARE, {"declaration_id": declaration_id}).scalar()


PHASE_FOR_SHARE = (select(Declaration.phase).where(Declaration.id == bindparam("declaration_id"))
                   .with_for_update(read=True))


def still_in_signon(declaration: Declaration) -> None:
    if phase_now(declaration.id) != Phase.SIGNON:
        raise RuleError(_("Signing is open only during sign-on."))


def submitted_now(declaration_id: int) -> bool:
    return phase_now(declaration_id) in SUBMITTED_PHASES


@dataclass(frozen=True)
class SigningPlan:
    """What a signature will be, once every check that only reads has passed (plan_signature)."""
    version: Any  # the light row of signing_state()
    capacity: str
    visibility: str
    organization_id: int | None
    reservations: dict[int, str]
    replaces: Any  # the active signature on an earlier version (a re-confirmation), or None


def plan_signature(actor, declaration: Declaration, *, capacity: str, version_id: int | None, visibility: str,
                   reservations: dict[int, str] | None = None) -> SigningPlan:
    """Every check of signing, reading only: NotAllowed, RuleError or AlreadySigned, else the plan. A view
    runs it before its savepoint (app.web.pages.attempt), so a repeated submit is answered without one; the
    write (record_signature) still lets the unique indexes decide a race."""
    if capacity == "organization":
        if not permissions.can_sign_for_organization(actor, declaration):
            raise NotAllowed()
    elif capacity == "individual":
        if not permissions.can_sign_as_expert(actor, declaration):
            raise NotAllowed()
    else:
        raise RuleError(_("Choose in which capacity you sign."))
    if visibility not in SIGNATURE_VISIBILITIES:
        raise RuleError(_("Choose who may see your name."))
    organization_id = actor.organization_id if capacity == "organization" else None
    version, existing = signing_state(declaration, capacity, organization_id or actor.id)
    if version is None:
        raise RuleError(_("Signing is open only during sign-on."))
    closed = signing_closed_message(declaration, version)
    if closed:
        raise RuleError(closed)
    if version_id != version.id:
        raise RuleError(changed_text_message(version))
    texts = clean_reservations(declaration, reservations or {})
    if existing is not None and existing.version_id == version.id:
        raise AlreadySigned(_("Your organization has already signed version %(n)d.", n=version.number)
                            if capacity == "organization" else
                            _("You have already signed version %(n)d.", n=version.number))
    return SigningPlan(version, capacity, visibility, organization_id, texts, existing)


def record_signature(actor, declaration: Declaration, plan: SigningPlan) -> int:
    """Write the planned signature and its audit entry; an active signature on an earlier version is replaced
    (a re-confirmation). Returns the signature's id; AlreadySigned when a concurrent request got there first."""
    version, existing = plan.version, plan.replaces
    signature_id = insert_signature(dict(
        declaration_id=declaration.id, version_id=version.id, sha256=version.sha256, capacity=plan.capacity,
        organization_id=plan.organization_id, user_id=actor.id, signer_name=actor.name,
        signer_designation=actor.designation or "", visibility=plan.visibility),
        existing and existing.id, plan.reservations)
    still_in_signon(declaration)
    record(actor, "signature_reconfirmed" if existing else "signature_added", (Signature.__tablename__, signature_id),
           declaration_id=declaration.id, capacity=plan.capacity, organization_id=plan.organization_id,
           version=version.number, sha256=version.sha256, visibility=plan.visibility,
           reservations=sorted(plan.reservations), replaces=existing and existing.id)
    receipts.send_receipt(actor, declaration, "reconfirmed" if existing else "signed", version_id=version.id,
                          version_number=version.number, sha256=version.sha256,
                          organization_name=actor.organization.name if plan.organization_id else None,
                          visibility=plan.visibility, reservations=plan.reservations)
    return signature_id


def sign(actor, declaration: Declaration, *, capacity: str, version_id: int | None, visibility: str,
         reservations: dict[int, str] | None = None) -> Signature:
    """Sign the version on sign-on for one's organization or oneself; re-confirms an earlier signature."""
    return db.session.get(Signature, record_signature(actor, declaration, plan_signature(
        actor, declaration, capacity=capacity, version_id=version_id, visibility=visibility,
        reservations=reservations)))


def withdraw(actor, signature: Signature, reason: str = "") -> None:
    """Withdraw until submission; the signature stays on record as withdrawn."""
    if not permissions.can_withdraw_signature(actor, signature):
        raise NotAllowed()
    declaration = db.session.get(Declaration, signature.declaration_id)
    if declaration.phase in SUBMITTED_PHASES:
        raise RuleError(_("Signatures can no longer be withdrawn: the declaration has been submitted."))
    if signature.status != SignatureStatus.ACTIVE or not end_signature(signature.id, SignatureStatus.WITHDRAWN, actor,
                                                                           reason.strip()):
        raise RuleError(_("This signature is no longer active."))
    if submitted_now(declaration.id):
        raise RuleError(_("Signatures can no longer be withdrawn: the declaration has been submitted."))
    record(actor, "signature_withdrawn", signature, declaration_id=declaration.id, reason=reason.strip())
    version = db.session.get(Version, signature.version_id)
    receipts.send_receipt(actor, declaration, "withdrawn", version_id=version.id, version_number=version.number,
                          sha256=signature.sha256, organization_name=signature.display_name
                          if signature.capacity != "individual" else None, visibility=signature.visibility,
                          reservations={}, reason=reason.strip())
