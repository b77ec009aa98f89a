"""Open sign-on: organizations outside the alliance sign through a public form, confirm by an emailed
single-use link, and wait for a coordinator's approval."""
import re
import secrets
import unicodedata
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from app import permissions
from app.audit.services import record
from app.choices import ORGANIZATION_TYPES, PROVINCES, SIGNATURE_VISIBILITIES, SignatureStatus
from app.declarations.models import Declaration
from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.formatting import format_datetime_short
from app.links import absolute_url
from app.mail import budget
from app.mail.services import queue
from app.notifications import services as notifications
from app.organizations.models import Organization
from app.settings import services as alliance_settings
from app.signatures.models import OpenSignonRequest, Signature
from app.signatures.queries import signing_closed_message, signing_version
from app.signatures.services import (
    AlreadySigned,
    active_signature,
    changed_text_message,
    end_signature,
    insert_signature,
    still_in_signon,
    submitted_now,
)
from app.time import utcnow
from app.tokens import token_hash

OPEN_LINK_DAYS = 3


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


def request_open_signature(declaration: Declaration, *, language: str, version_id: int | None,
                           **fields) -> OpenSignonRequest:
    """Record the form and email a single-use confirmation link; nothing is signed before it is opened.
    The request is for the version the form showed."""
    closed = open_signon_closed_message(declaration)
    if closed:
        raise RuleError(closed)
    version = signing_version(declaration)
    if version_id != version.id:
        raise RuleError(changed_text_message(version))
    if fields["organization_type"] not in ORGANIZATION_TYPES or fields["visibility"] not in SIGNATURE_VISIBILITIES:
        raise RuleError(_("Choose one of the options offered."))
    if fields.get("province") and fields["province"] not in PROVINCES:
        raise RuleError(_("Choose one of the options offered."))
    budget.spend("open_signon", None, [fields["email"]])
    token = secrets.token_urlsafe(32)
    open_request = OpenSignonRequest(
        declaration_id=declaration.id, organization_name=fields["organization_name"].strip(),
        organization_type=fields["organization_type"], country=fields["country"].strip(),
        province=fields.get("province") or None, website=(fields.get("website") or "").strip(),
        signer_name=fields["signer_name"].strip(), signer_designation=(fields.get("signer_designation") or "").strip(),
        email=fields["email"].strip(), email_key=email_key(fields["email"]),
        name_key=name_key(fields["organization_name"]), visibility=fields["visibility"], language=language,
        version_id=version.id, token_hash=token_hash(token), expires_at=utcnow() + timedelta(days=OPEN_LINK_DAYS))
    db.session.add(open_request)
    db.session.flush()
    record(None, "open_signon_requested", open_request, declaration_id=declaration.id,
           email_key=open_request.email_key)
    send_confirmation(declaration, open_request, token, OPEN_LINK_DAYS, reconfirm=False)
    return open_request


def send_confirmation(declaration, open_request: OpenSignonRequest, token: str, days: int, *,
                      reconfirm: bool) -> None:
    with force_locale(open_request.language):
        subject = (_("Confirm your signature again: %(title)s", title=declaration.title) if reconfirm
                   else _("Confirm your signature: %(title)s", title=declaration.title))
        queue(open_request.email, subject, "open_signon_confirm", open_request=open_request, declaration=declaration,
              link=absolute_url("signatures.confirm_open", token=token), days=days, reconfirm=reconfirm)


def open_request_for_token(token: str) -> OpenSignonRequest | None:
    """The request behind a confirmation link, while the link is unused and unexpired."""
    open_request = db.session.scalar(select(OpenSignonRequest)
                                     .where(OpenSignonRequest.token_hash == token_hash(token)))
    if open_request is None or open_request.confirmed_at is not None or open_request.expires_at < utcnow():
        return None
    return open_request


def used_link_message(token: str) -> str | None:
    """For a confirmation link opened again after it was used: what became of that signature, in words
    (awaiting approval, approved, rejected, withdrawn, replaced by a later confirmation); else None."""
    open_request = db.session.scalar(select(OpenSignonRequest)
                                     .where(OpenSignonRequest.token_hash == token_hash(token)))
    if open_request is None or open_request.confirmed_at is None:
        return None
    signature = db.session.scalar(select(Signature).where(Signature.open_request_id == open_request.id)
                                  .order_by(Signature.id.desc()).limit(1))
    if signature is None or signature.status == SignatureStatus.SUPERSEDED:
        state = _("it has since been confirmed again on a newer version")
    elif signature.status == SignatureStatus.REJECTED:
        state = _("a coordinator did not approve it")
    elif signature.status == SignatureStatus.WITHDRAWN:
        state = _("it has been withdrawn")
    elif signature.approved_at is None:
        state = _("it is waiting for a coordinator's approval")
    else:
        state = _("a coordinator approved it and it is counted")
    return _("This link was already used: the signature was confirmed on %(date)s, and %(state)s.",
             date=format_datetime_short(open_request.confirmed_at), state=state)


def confirm_open_signature(token: str) -> Signature:
    """Turn a confirmed request into a signature awaiting a coordinator's approval (or re-confirm one)."""
    open_request = db.session.scalar(select(OpenSignonRequest)
                                     .where(OpenSignonRequest.token_hash == token_hash(token)))
    if open_request is not None and open_request.confirmed_at is not None:
        raise AlreadySigned(_("This link has already been used: your signature is recorded."))
    if open_request is None or open_request.expires_at < utcnow():
        raise RuleError(_("This link is not valid or has expired. Fill in the form again to receive a new one."))
    declaration = db.session.get(Declaration, open_request.declaration_id)
    closed = open_signon_closed_message(declaration)
    if closed:
        raise RuleError(closed)
    version = signing_version(declaration)
    if open_request.version_id != version.id:  # asked on a version that has since been replaced
        raise RuleError(_("The text has changed since you asked to sign: version %(n)d is now open for "
                          "signing. Read it and fill in the form again.", n=version.number))
    existing = active_signature(declaration, open_request_id=open_request.id)
    if existing is not None and existing.version_id == version.id:
        raise AlreadySigned(_("This link has already been used: your signature is recorded."))
    replaced = db.session.get(Signature, existing.id) if existing is not None else None
    open_request.confirmed_at = utcnow()
    signature_id = insert_signature(dict(
        declaration_id=declaration.id, version_id=version.id, sha256=version.sha256, capacity="organization",
        open_request_id=open_request.id, signer_name=open_request.signer_name,
        signer_designation=open_request.signer_designation,
        visibility=open_request.visibility,
        # an approved organization re-confirming on a newer version stays approved
        approved_at=replaced.approved_at if replaced else None,
        approved_by_id=replaced.approved_by_id if replaced else None), existing and existing.id, {})
    signature = db.session.get(Signature, signature_id)
    still_in_signon(declaration)
    record(None, "open_signature_confirmed", signature, declaration_id=declaration.id, request_id=open_request.id,
           version=version.number, sha256=version.sha256, replaces=existing and existing.id)
    if signature.approved_at is None:
        notifications.notify_signature_awaiting_approval(signature, declaration)
    return signature


def check_pending_external(actor, signature: Signature) -> None:
    if not permissions.can_manage_signatures(actor, db.session.get(Declaration, signature.declaration_id)):
        raise NotAllowed()
    if not signature.external or signature.status != SignatureStatus.ACTIVE or signature.approved_at is not None:
        raise RuleError(_("Only a pending signature from outside the alliance can be approved or rejected."))


def approve(actor, signature: Signature) -> None:
    check_pending_external(actor, signature)
    # Conditional, so that an approval and a rejection racing on the same signature cannot both happen.
    result = db.session.execute(update(Signature).where(
        Signature.id == signature.id, Signature.status == SignatureStatus.ACTIVE, Signature.approved_at.is_(None))
        .values(approved_at=utcnow(), approved_by_id=actor.id))
    if result.rowcount != 1:
        raise RuleError(_("Only a pending signature from outside the alliance can be approved or rejected."))
    if submitted_now(signature.declaration_id):
        raise RuleError(_("The declaration has been submitted: its signatures can no longer change."))
    record(actor, "open_signature_approved", signature, declaration_id=signature.declaration_id)
    _tell_outside_signer(signature, lambda title: _("Your signature is approved: %(title)s", title=title),
                         "open_signon_approved",
                         list_link=absolute_url("signatures.signatories", declaration_id=signature.declaration_id,
                                                _anchor=f"sig-{signature.id}" if signature.visibility == "public"
                                                else "organizations"))


def reject(actor, signature: Signature, reason: str) -> None:
    check_pending_external(actor, signature)
    if not reason.strip():
        raise RuleError(_("Give a reason for rejecting this signature."))
    if not end_signature(signature.id, SignatureStatus.REJECTED, actor, reason.strip(), pending_only=True):
        raise RuleError(_("Only a pending signature from outside the alliance can be approved or rejected."))
    if submitted_now(signature.declaration_id):
        raise RuleError(_("The declaration has been submitted: its signatures can no longer change."))
    record(actor, "open_signature_rejected", signature, declaration_id=signature.declaration_id,
           reason=reason.strip())
    # Whom to ask about it: the secretariat's shared address when one is set, else the coordinator who
    # decided; a reply to the email reaches them.
    shared = alliance_settings.current().contact_email
    contact = shared or actor.email
    _tell_outside_signer(signature, lambda title: _("Your signature was not approved: %(title)s", title=title),
                         "open_signon_rejected", headers={"Reply-To": contact}, reason=reason.strip(),
                         coordinator=actor, contact=contact, shared=bool(shared))


def _tell_outside_signer(signature: Signature, subject, template: str, *, headers=None, **context) -> None:
    """Email an outside signer at the address they confirmed, in the language they signed in."""
    open_request = db.session.get(OpenSignonRequest, signature.open_request_id)
    declaration = db.session.get(Declaration, signature.declaration_id)
    with force_locale(open_request.language):
        queue(open_request.email, subject(declaration.title), template, headers=headers, open_request=open_request,
              signature=signature, declaration=declaration,
              read_link=absolute_url("declarations.read", declaration_id=declaration.id), **context)


def tell_outside_signers_of_submission(submission, signatures: list[Signature]) -> None:
    """Each organization outside the alliance whose signature is in the submission learns it was submitted:
    when, the dossier's hash, and where anyone can read the dossier and check a copy against that hash."""
    for signature in signatures:
        if signature.open_request_id is None:
            continue
        _tell_outside_signer(signature, lambda title: _("Submitted to the government: %(title)s", title=title),
                             "open_signon_submitted", submission=submission,
                             dossier_link=absolute_url("submissions.dossier", submission_id=submission.id),
                             verify_link=absolute_url("submissions.verify"))


def tell_outside_signer_left_out(signature: Signature, submission, *, reason: str, contact: str,
                                 dossier_link: str) -> None:
    """An organization outside the alliance whose signature is not in the submission (not approved in time, or
    on an earlier version) learns it was submitted without them, why, and whom to ask."""
    _tell_outside_signer(signature, lambda title: _("Your signature is not in the submitted dossier: %(title)s",
                                                    title=title),
                         "open_signon_left_out", headers={"Reply-To": contact}, submission=submission, reason=reason,
                         contact=contact, dossier_link=dossier_link)


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
        .where(Signature.declaration_id == declaration.id, Signature.status == SignatureStatus.ACTIVE)).all()
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
