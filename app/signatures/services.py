"""Co-signing: signatures on an exact version, withdrawal, open sign-on, approval, reminders and reopening.

One active signature per organization and per individual is held by unique indexes; a race that
loses against them ends in AlreadySigned, never in a second row.
"""
import re
import secrets
import unicodedata
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, false, func, insert, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from app import permissions
from app.accounts.models import User
from app.audit.services import record
from app.choices import ORGANIZATION_TYPES, PROVINCES, SIGNATURE_VISIBILITIES
from app.declarations.models import Declaration, Recommendation, Version
from app.errors import NotAllowed, RuleError
from app.extensions import db, insert_unless_duplicate
from app.links import absolute_url
from app.mail.services import queue
from app.notifications import services as notifications
from app.organizations.models import Organization
from app.security import token_hash
from app.signatures.models import OpenSignonRequest, Reservation, Signature, SignatureReminder
from app.time import local_date, utcnow

OPEN_LINK_DAYS = 3
RECONFIRM_LINK_DAYS = 14
MAX_RESERVATION = 2000
# A signature can be withdrawn until submission; signing itself needs the sign-on phase.
SUBMITTED_PHASES = ("submitted", "responded")


class AlreadySigned(RuleError):
    def __init__(self, message=None):
        super().__init__(message or _("This has already been signed: there is one signature, not two."))


# --- reading -----------------------------------------------------------------------------

def signing_version(declaration: Declaration):
    """The version being signed: the latest one, when it was frozen for sign-on; None otherwise.

    A light row (id, number, phase, sha256, created_at), not the ORM object with its whole content:
    it is read on every signing request."""
    version = db.session.execute(
        select(Version.id, Version.number, Version.phase, Version.sha256, Version.created_at)
        .where(Version.declaration_id == declaration.id).order_by(Version.number.desc()).limit(1)).first()
    return version if version is not None and version.phase == "signon" else None


def signing_closed_message(declaration: Declaration, version: Version | None = None) -> str | None:
    """Why signing is closed right now, or None when it is open. Checked on every action."""
    from app.formatting import format_datetime_short
    if declaration.phase != "signon" or (version or signing_version(declaration)) is None:
        return _("Signing is open only during sign-on.")
    if declaration.signon_deadline and utcnow() >= declaration.signon_deadline:
        return _("Sign-on closed on %(date)s.", date=format_datetime_short(declaration.signon_deadline))
    return None


def verified_clause():
    """SQL for 'counted as signed' (needs the outer join on Organization, see _base_query)."""
    return or_(Signature.capacity == "individual", Organization.verified.is_(True),
               and_(Signature.open_request_id.is_not(None), Signature.approved_at.is_not(None)))


def _base_query(declaration: Declaration):
    return (select(Signature).outerjoin(Organization, Signature.organization_id == Organization.id)
            .where(Signature.declaration_id == declaration.id))


def _with_details(query):
    return query.options(joinedload(Signature.organization), joinedload(Signature.open_request),
                         joinedload(Signature.version), selectinload(Signature.reservations))


def own_signatures(user, declaration: Declaration) -> list[Signature]:
    """The active signatures this person may withdraw or re-confirm: their own and their organization's."""
    if not permissions._logged_in(user):
        return []
    mine = and_(Signature.capacity == "individual", Signature.user_id == user.id)
    if user.organization_id is not None:
        mine = or_(mine, Signature.organization_id == user.organization_id)
    return db.session.scalars(_with_details(_base_query(declaration))
                              .where(Signature.status == "active", mine).order_by(Signature.id)).unique().all()


def visible_signatures(user, declaration: Declaration, *, status: str = "", capacity: str = "",
                       visibility: str = "", version: str = "", q: str = "") -> list[Signature]:
    """The signatures this person may see. Others than coordinators see active, verified ones in their
    tiers (and their own); coordinators see everything and may filter."""
    query = _with_details(_base_query(declaration)).outerjoin(
        OpenSignonRequest, Signature.open_request_id == OpenSignonRequest.id)
    if permissions.can_manage_signatures(user, declaration):
        if status == "pending":
            query = query.where(Signature.status == "active", ~verified_clause())
        elif status:
            query = query.where(Signature.status == status)
        if visibility:
            query = query.where(Signature.visibility == visibility)
    else:
        shown = and_(Signature.status == "active", verified_clause(),
                     Signature.visibility.in_(permissions.signature_tiers(user)))
        if permissions._logged_in(user):
            own = and_(Signature.status == "active", or_(
                and_(Signature.capacity == "individual", Signature.user_id == user.id),
                Signature.organization_id == user.organization_id if user.organization_id else false()))
            shown = or_(shown, own)
        query = query.where(shown)
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


def unnamed_count(user, declaration: Declaration, listed: list[Signature]) -> int:
    """Active, verified signatures on this declaration that are not listed for this person (their tier)."""
    query = (select(func.count()).select_from(Signature)
             .outerjoin(Organization, Signature.organization_id == Organization.id)
             .where(Signature.declaration_id == declaration.id, Signature.status == "active", verified_clause(),
                    Signature.visibility.not_in(permissions.signature_tiers(user)),
                    Signature.id.not_in([s.id for s in listed])))
    return db.session.scalar(query)


def tally(signatures: list[Signature], current: Version | None) -> dict:
    """Counts computed from the very rows that are listed, so the two can never disagree."""
    active = [s for s in signatures if s.status == "active"]
    earlier = [s for s in active if current is None or s.version_id != current.id]
    counted = [s for s in active if s.verified and s not in earlier]  # signed the current text
    return {
        "organizations": sum(1 for s in counted if s.capacity == "organization"),
        "individuals": sum(1 for s in counted if s.capacity == "individual"),
        "pending": sum(1 for s in active if not s.verified and s not in earlier),
        "earlier": len(earlier),
        "ended": len(signatures) - len(active),
    }


# --- signing -----------------------------------------------------------------------------

def _clean_reservations(declaration: Declaration, reservations: dict[int, str]) -> dict[int, str]:
    texts = {rid: (text or "").strip() for rid, text in reservations.items() if (text or "").strip()}
    if any(len(text) > MAX_RESERVATION for text in texts.values()):
        raise RuleError(_("A reservation can have at most %(n)d characters.", n=MAX_RESERVATION))
    if texts:
        live = set(db.session.scalars(select(Recommendation.id).where(
            Recommendation.declaration_id == declaration.id, Recommendation.deleted_at.is_(None),
            Recommendation.id.in_(texts))))
        if live != set(texts):
            raise RuleError(_("A reservation refers to a recommendation that is not part of this text."))
    return texts


def _active_signature(declaration: Declaration, *, organization_id=None, user_id=None, open_request_id=None):
    """The active signature of this signer, as a light row (id, version_id), or None."""
    query = select(Signature.id, Signature.version_id).where(Signature.declaration_id == declaration.id,
                                                             Signature.status == "active")
    if organization_id is not None:
        query = query.where(Signature.organization_id == organization_id)
    elif open_request_id is not None:
        query = query.where(Signature.open_request_id == open_request_id)
    else:
        query = query.where(Signature.capacity == "individual", Signature.user_id == user_id)
    return db.session.execute(query).first()


def _end(signature_id: int, status: str, actor, reason: str = "", *, pending_only: bool = False) -> bool:
    """End an active signature (withdrawn, superseded, rejected) with one conditional UPDATE, so two
    requests racing on it cannot both end it. False when it was no longer active (or no longer pending)."""
    query = update(Signature).where(Signature.id == signature_id, Signature.status == "active")
    if pending_only:
        query = query.where(Signature.approved_at.is_(None))
    result = db.session.execute(query.values(status=status, ended_at=utcnow(), end_reason=reason,
                                             ended_by_id=actor.id if actor is not None else None))
    return result.rowcount == 1


def _insert(values: dict, replaced_id: int | None, reservations: dict[int, str]) -> Signature:
    """Write a signature, ending the one it replaces first. The unique indexes decide races: an insert
    that meets an active signature of the same signer does nothing (ON CONFLICT DO NOTHING) and the
    signer is told it is already signed; the view then rolls the request back, so nothing is half-written."""
    if replaced_id is not None and not _end(replaced_id, "superseded", None):
        raise AlreadySigned()
    signature_id = db.session.execute(insert_unless_duplicate(Signature).values(**values, replaces_id=replaced_id)
                                      .returning(Signature.id)).scalar()
    if signature_id is None:
        raise AlreadySigned()
    if reservations:
        db.session.execute(insert(Reservation), [
            {"signature_id": signature_id, "recommendation_id": recommendation_id, "text": text}
            for recommendation_id, text in sorted(reservations.items())])
    return db.session.get(Signature, signature_id)


def _phase_now(declaration_id: int) -> str:
    """The declaration's phase re-read after writing, under a share lock (PostgreSQL; SQLite has one writer at
    a time). Submitting moves the phase in an update of the same row, so a change to the signatures either
    happens before the submission reads them (which waits for it) or sees the submission and is refused (the
    view rolls back)."""
    return db.session.scalar(select(Declaration.phase).where(Declaration.id == declaration_id)
                             .with_for_update(read=True))


def _still_in_signon(declaration: Declaration) -> None:
    if _phase_now(declaration.id) != "signon":
        raise RuleError(_("Signing is open only during sign-on."))


def _submitted_now(declaration_id: int) -> bool:
    return _phase_now(declaration_id) in SUBMITTED_PHASES


def sign(actor, declaration: Declaration, *, capacity: str, version_id: int | None, visibility: str,
         reservations: dict[int, str] | None = None) -> Signature:
    """Sign the version on sign-on for one's organization or oneself; re-confirms an earlier signature."""
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
    version = signing_version(declaration)
    closed = signing_closed_message(declaration, version)
    if closed:
        raise RuleError(closed)
    if version_id != version.id:
        raise RuleError(_changed_text_message(version))
    texts = _clean_reservations(declaration, reservations or {})
    organization_id = actor.organization_id if capacity == "organization" else None
    existing = _active_signature(declaration, organization_id=organization_id, user_id=actor.id)
    if existing is not None and existing.version_id == version.id:
        raise AlreadySigned(_("Your organization has already signed version %(n)d.", n=version.number)
                            if capacity == "organization" else
                            _("You have already signed version %(n)d.", n=version.number))
    # An active signature on an earlier version is replaced: this is a re-confirmation.
    signature = _insert(dict(
        declaration_id=declaration.id, version_id=version.id, sha256=version.sha256, capacity=capacity,
        organization_id=organization_id, user_id=actor.id, signer_name=actor.name,
        signer_designation=actor.designation or "", visibility=visibility), existing and existing.id, texts)
    _still_in_signon(declaration)
    record(actor, "signature_reconfirmed" if existing else "signature_added", signature,
           declaration_id=declaration.id, capacity=capacity, organization_id=organization_id, version=version.number,
           sha256=version.sha256, visibility=visibility, reservations=sorted(texts), replaces=existing and existing.id)
    return signature


def withdraw(actor, signature: Signature, reason: str = "") -> None:
    """Withdraw until submission; the signature stays on record as withdrawn."""
    if not permissions.can_withdraw_signature(actor, signature):
        raise NotAllowed()
    declaration = db.session.get(Declaration, signature.declaration_id)
    if declaration.phase in SUBMITTED_PHASES:
        raise RuleError(_("Signatures can no longer be withdrawn: the declaration has been submitted."))
    if signature.status != "active" or not _end(signature.id, "withdrawn", actor, reason.strip()):
        raise RuleError(_("This signature is no longer active."))
    if _submitted_now(declaration.id):
        raise RuleError(_("Signatures can no longer be withdrawn: the declaration has been submitted."))
    record(actor, "signature_withdrawn", signature, declaration_id=declaration.id, reason=reason.strip())


# --- open sign-on ------------------------------------------------------------------------

def email_key(email: str) -> str:
    """The address as one mailbox: lower case, no +tag, and no dots for Gmail."""
    local, _sep, domain = (email or "").strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def name_key(name: str) -> str:
    """An organization's name for comparison: case, accents, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", name or "").casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", text))[:200]  # NFKD can lengthen text; the column holds 200


def open_signon_closed_message(declaration: Declaration) -> str | None:
    if not (declaration.open_signon and declaration.visibility == "public"):
        return _("This declaration is not open to signatures from outside the alliance.")
    return signing_closed_message(declaration)


def set_open_signon(actor, declaration: Declaration, enabled: bool) -> None:
    if not permissions.can_manage_signatures(actor, declaration):
        raise NotAllowed()
    if enabled and declaration.visibility != "public":
        raise RuleError(_("Only a public declaration can be opened to organizations outside the alliance."))
    declaration.open_signon = enabled
    record(actor, "open_signon_enabled" if enabled else "open_signon_disabled", declaration)


def _changed_text_message(version) -> str:
    return _("The text changed while you were reading it: version %(n)d is now open for signing. "
             "Read it and sign again.", n=version.number)


def request_open_signature(declaration: Declaration, *, language: str, version_id: int | None,
                           **fields) -> OpenSignonRequest:
    """Record the form and email a single-use confirmation link; nothing is signed before it is opened.
    The request is for the version the form showed."""
    closed = open_signon_closed_message(declaration)
    if closed:
        raise RuleError(closed)
    version = signing_version(declaration)
    if version_id != version.id:
        raise RuleError(_changed_text_message(version))
    if fields["organization_type"] not in ORGANIZATION_TYPES or fields["visibility"] not in SIGNATURE_VISIBILITIES:
        raise RuleError(_("Choose one of the options offered."))
    if fields.get("province") and fields["province"] not in PROVINCES:
        raise RuleError(_("Choose one of the options offered."))
    token = secrets.token_urlsafe(32)
    request = OpenSignonRequest(
        declaration_id=declaration.id, organization_name=fields["organization_name"].strip(),
        organization_type=fields["organization_type"], country=fields["country"].strip(),
        province=fields.get("province") or None, website=(fields.get("website") or "").strip(),
        signer_name=fields["signer_name"].strip(), signer_designation=(fields.get("signer_designation") or "").strip(),
        email=fields["email"].strip(), email_key=email_key(fields["email"]),
        name_key=name_key(fields["organization_name"]), visibility=fields["visibility"], language=language,
        version_id=version.id, token_hash=token_hash(token), expires_at=utcnow() + timedelta(days=OPEN_LINK_DAYS))
    db.session.add(request)
    db.session.flush()
    record(None, "open_signon_requested", request, declaration_id=declaration.id, email_key=request.email_key)
    _send_confirmation(declaration, request, token, OPEN_LINK_DAYS, reconfirm=False)
    return request


def _send_confirmation(declaration, request: OpenSignonRequest, token: str, days: int, *, reconfirm: bool) -> None:
    with force_locale(request.language):
        subject = (_("Confirm your signature again: %(title)s", title=declaration.title) if reconfirm
                   else _("Confirm your signature: %(title)s", title=declaration.title))
        queue(request.email, subject, "open_signon_confirm", request=request, declaration=declaration,
              link=absolute_url("signatures.confirm_open", token=token), days=days, reconfirm=reconfirm)


def open_request_for_token(token: str) -> OpenSignonRequest | None:
    """The request behind a confirmation link, while the link is unused and unexpired."""
    request = db.session.scalar(select(OpenSignonRequest).where(OpenSignonRequest.token_hash == token_hash(token)))
    if request is None or request.confirmed_at is not None or request.expires_at < utcnow():
        return None
    return request


def confirm_open_signature(token: str) -> Signature:
    """Turn a confirmed request into a signature awaiting a coordinator's approval (or re-confirm one)."""
    request = db.session.scalar(select(OpenSignonRequest).where(OpenSignonRequest.token_hash == token_hash(token)))
    if request is not None and request.confirmed_at is not None:
        raise AlreadySigned(_("This link has already been used: your signature is recorded."))
    if request is None or request.expires_at < utcnow():
        raise RuleError(_("This link is not valid or has expired. Fill in the form again to receive a new one."))
    declaration = db.session.get(Declaration, request.declaration_id)
    closed = open_signon_closed_message(declaration)
    if closed:
        raise RuleError(closed)
    version = signing_version(declaration)
    if request.version_id != version.id:  # asked on a version that has since been replaced
        raise RuleError(_("The text has changed since you asked to sign: version %(n)d is now open for "
                          "signing. Read it and fill in the form again.", n=version.number))
    existing = _active_signature(declaration, open_request_id=request.id)
    if existing is not None and existing.version_id == version.id:
        raise AlreadySigned(_("This link has already been used: your signature is recorded."))
    replaced = db.session.get(Signature, existing.id) if existing is not None else None
    request.confirmed_at = utcnow()
    signature = _insert(dict(
        declaration_id=declaration.id, version_id=version.id, sha256=version.sha256, capacity="organization",
        open_request_id=request.id, signer_name=request.signer_name, signer_designation=request.signer_designation,
        visibility=request.visibility,
        # an approved organization re-confirming on a newer version stays approved
        approved_at=replaced.approved_at if replaced else None,
        approved_by_id=replaced.approved_by_id if replaced else None), existing and existing.id, {})
    _still_in_signon(declaration)
    record(None, "open_signature_confirmed", signature, declaration_id=declaration.id, request_id=request.id,
           version=version.number, sha256=version.sha256, replaces=existing and existing.id)
    if signature.approved_at is None:
        notifications.notify_signature_awaiting_approval(signature, declaration)
    return signature


def _check_pending_external(actor, signature: Signature) -> None:
    if not permissions.can_manage_signatures(actor, db.session.get(Declaration, signature.declaration_id)):
        raise NotAllowed()
    if not signature.external or signature.status != "active" or signature.approved_at is not None:
        raise RuleError(_("Only a pending signature from outside the alliance can be approved or rejected."))


def approve(actor, signature: Signature) -> None:
    _check_pending_external(actor, signature)
    # Conditional, so that an approval and a rejection racing on the same signature cannot both happen.
    result = db.session.execute(update(Signature).where(
        Signature.id == signature.id, Signature.status == "active", Signature.approved_at.is_(None))
        .values(approved_at=utcnow(), approved_by_id=actor.id))
    if result.rowcount != 1:
        raise RuleError(_("Only a pending signature from outside the alliance can be approved or rejected."))
    if _submitted_now(signature.declaration_id):
        raise RuleError(_("The declaration has been submitted: its signatures can no longer change."))
    record(actor, "open_signature_approved", signature, declaration_id=signature.declaration_id)


def reject(actor, signature: Signature, reason: str) -> None:
    _check_pending_external(actor, signature)
    if not reason.strip():
        raise RuleError(_("Give a reason for rejecting this signature."))
    if not _end(signature.id, "rejected", actor, reason.strip(), pending_only=True):
        raise RuleError(_("Only a pending signature from outside the alliance can be approved or rejected."))
    if _submitted_now(signature.declaration_id):
        raise RuleError(_("The declaration has been submitted: its signatures can no longer change."))
    record(actor, "open_signature_rejected", signature, declaration_id=signature.declaration_id,
           reason=reason.strip())


def likely_duplicates(declaration: Declaration, signatures: list[Signature]) -> dict[int, list[str]]:
    """For each signature from outside the alliance, the names of other signers that look like the same one:
    the same mailbox, or the same organization name as another signer or a member organization."""
    external = [s for s in signatures if s.external]
    if not external:
        return {}
    requests = db.session.execute(
        select(Signature.id, OpenSignonRequest.email_key, OpenSignonRequest.name_key,
               OpenSignonRequest.organization_name)
        .join(OpenSignonRequest, Signature.open_request_id == OpenSignonRequest.id)
        .where(Signature.declaration_id == declaration.id, Signature.status == "active")).all()
    members = {name_key(name): name for name in db.session.scalars(select(Organization.name))}
    found: dict[int, list[str]] = {}
    for signature in external:
        own = signature.open_request
        names = [other_name for other_id, other_email, other_key, other_name in requests
                 if other_id != signature.id and (other_email == own.email_key or other_key == own.name_key)]
        if own.name_key in members:
            names.append(members[own.name_key])
        if names:
            found[signature.id] = sorted(set(names))
    return found


# --- chase list and reminders ------------------------------------------------------------

def chase_list(declaration: Declaration) -> list[dict]:
    """Member organizations without an active signature on the version being signed, with their representatives."""
    version = signing_version(declaration)
    signed = select(Signature.organization_id).where(
        Signature.declaration_id == declaration.id, Signature.status == "active",
        Signature.organization_id.is_not(None), Signature.version_id == (version.id if version else -1))
    earlier = set(db.session.scalars(select(Signature.organization_id).where(
        Signature.declaration_id == declaration.id, Signature.status == "active",
        Signature.organization_id.is_not(None))))
    organizations = db.session.scalars(select(Organization).where(Organization.id.not_in(signed))
                                       .order_by(Organization.name)).all()
    representatives: dict[int, list[User]] = {}
    for user in db.session.scalars(select(User).where(User.org_role == "representative", User.active.is_(True),
                                                      User.organization_id.in_([o.id for o in organizations]))
                                   .order_by(User.name)):
        representatives.setdefault(user.organization_id, []).append(user)
    last = dict(db.session.execute(
        select(SignatureReminder.organization_id, func.max(SignatureReminder.sent_at))
        .where(SignatureReminder.declaration_id == declaration.id).group_by(SignatureReminder.organization_id)).all())
    today = local_date(utcnow())
    return [{"organization": o, "representatives": representatives.get(o.id, []), "earlier": o.id in earlier,
             "last_reminder": last.get(o.id),
             "reminded_today": last.get(o.id) is not None and local_date(last[o.id]) == today}
            for o in organizations]


def send_reminders(actor, declaration: Declaration, organization_ids: list[int]) -> tuple[int, int]:
    """Email the representatives of these unsigned organizations, at most once per organization per day.
    Returns (organizations reminded, organizations skipped)."""
    if not permissions.can_manage_signatures(actor, declaration):
        raise NotAllowed()
    closed = signing_closed_message(declaration)
    if closed:
        raise RuleError(closed)
    rows = {row["organization"].id: row for row in chase_list(declaration)}
    today = local_date(utcnow())
    sent = skipped = 0
    for organization_id in sorted(set(organization_ids)):
        row = rows.get(organization_id)
        if row is None or row["reminded_today"] or not row["representatives"]:
            skipped += 1
            continue
        # One row per organization and day: a reminder sent a moment ago by someone else is skipped.
        reminded = db.session.execute(insert_unless_duplicate(SignatureReminder).values(
            declaration_id=declaration.id, organization_id=organization_id, sent_on=today, sent_by_id=actor.id,
            sent_at=utcnow()).returning(SignatureReminder.id)).scalar()
        if reminded is None:
            skipped += 1
            continue
        for person in row["representatives"]:
            with force_locale(person.language):
                queue(person.email, _("Please sign: %(title)s", title=declaration.title), "signature_reminder",
                      person=person, organization=row["organization"], declaration=declaration,
                      earlier=row["earlier"], link=absolute_url("signatures.sign", declaration_id=declaration.id))
        sent += 1
    if sent:
        record(actor, "signature_reminders_sent", declaration, organizations=sent, skipped=skipped)
    return sent, skipped


# --- reopening ---------------------------------------------------------------------------

def _signer_addresses(signature: Signature) -> list[tuple[str, str]]:
    """(email, language) of who speaks for a signature: the outside signer, or the expert, or the
    organization's active representatives and the person who signed."""
    if signature.open_request is not None:
        return [(signature.open_request.email, signature.open_request.language)]
    people = [signature.user] if signature.user is not None else []
    if signature.organization_id is not None:
        people += db.session.scalars(select(User).where(User.organization_id == signature.organization_id,
                                                        User.org_role == "representative")).all()
    return sorted({(p.email, p.language) for p in people if p.active})


def text_reopened(actor, declaration: Declaration) -> int:
    """Sign-on went back to revision: every active signature is now on an earlier version; tell its signer."""
    signatures = db.session.scalars(_with_details(_base_query(declaration)).where(
        Signature.status == "active")).unique().all()
    for signature in signatures:
        for email, language in _signer_addresses(signature):
            with force_locale(language):
                queue(email, _("The text you signed has been reopened: %(title)s", title=declaration.title),
                      "signature_reopened", signature=signature, declaration=declaration,
                      link=absolute_url("declarations.read", declaration_id=declaration.id))
    record(actor, "signatures_marked_earlier_version", declaration, count=len(signatures))
    return len(signatures)


def signon_reopened(actor, declaration: Declaration) -> int:
    """Sign-on opened again on a new version: ask every signer of an earlier version to re-confirm."""
    version = signing_version(declaration)
    signatures = db.session.scalars(_with_details(_base_query(declaration)).where(
        Signature.status == "active", Signature.version_id != version.id)).unique().all()
    for signature in signatures:
        if signature.open_request is not None:
            if open_signon_closed_message(declaration):
                continue  # the public form is closed: their link could not be used
            token = secrets.token_urlsafe(32)
            request = signature.open_request
            request.token_hash, request.confirmed_at, request.version_id = token_hash(token), None, version.id
            request.expires_at = utcnow() + timedelta(days=RECONFIRM_LINK_DAYS)
            _send_confirmation(declaration, request, token, RECONFIRM_LINK_DAYS, reconfirm=True)
            continue
        for email, language in _signer_addresses(signature):
            with force_locale(language):
                queue(email, _("Please confirm your signature again: %(title)s", title=declaration.title),
                      "signature_reconfirm", signature=signature, declaration=declaration, version=version,
                      link=absolute_url("signatures.sign", declaration_id=declaration.id))
    if signatures:
        record(actor, "signature_reconfirmation_requested", declaration, count=len(signatures),
               version=version.number)
    return len(signatures)


# --- statistics --------------------------------------------------------------------------

def statistics(declaration: Declaration) -> dict:
    """Signatures counted as signed on the current version: by day, by organization type and by province."""
    current = signing_version(declaration) or declaration.latest_version
    rows = db.session.scalars(_with_details(_base_query(declaration)).where(
        Signature.status == "active", verified_clause(), Signature.version_id == (current.id if current else -1))
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


def awaiting_signature(user) -> list[dict]:
    """Declarations in sign-on that this person could sign (for their organization or themselves) and
    has not signed on the current version, for the home page."""
    waiting = []
    if not permissions._logged_in(user):
        return waiting
    for declaration in db.session.scalars(select(Declaration).where(Declaration.phase == "signon")
                                          .order_by(Declaration.signon_deadline, Declaration.id)):
        version = signing_version(declaration)
        if not permissions.can_sign(user, declaration) or signing_closed_message(declaration, version):
            continue
        signed = {s.capacity for s in own_signatures(user, declaration) if s.version_id == version.id}
        missing = [c for c, may in (("organization", permissions.can_sign_for_organization(user, declaration)),
                                    ("individual", permissions.can_sign_as_expert(user, declaration)))
                   if may and c not in signed]
        if missing:
            waiting.append({"declaration": declaration, "capacities": missing})
    return waiting
