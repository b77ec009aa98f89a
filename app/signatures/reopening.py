"""When the text is reopened or sign-on opens on a new version: every signer of the earlier version is told
and asked to re-confirm. Declarations announce the phase change; this module listens."""
import secrets
from datetime import timedelta

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import permissions
from app.accounts.models import User
from app.audit.services import record
from app.choices import OrganizationRole, SignatureStatus
from app.declarations.models import Declaration
from app.extensions import db
from app.links import absolute_url
from app.mail.services import queue
from app.notifications import services as notifications
from app.signatures.models import Signature
from app.signatures.open_signon import open_signon_closed_message, send_confirmation
from app.signatures.queries import base_query, possible_signers, signing_version, with_details
from app.time import utcnow
from app.tokens import token_hash

RECONFIRM_LINK_DAYS = 14


def signon_opened(declaration: Declaration) -> int:
    """Tell who may sign — representatives of member organizations and individual experts — that the text
    waits for their signature, and until when. Those whose signature is already on record get the request
    to confirm it again instead (signon_reopened). Returns how many were told."""
    return notifications.notify_all(possible_signers(declaration), "signon_opened", lambda: (
        _("Open for signature: %(title)s", title=declaration.title),
        render_template("notifications/signon_opened.txt", declaration=declaration)),
        absolute_url("signatures.sign", declaration_id=declaration.id))


def signer_people(signature: Signature) -> list[User]:
    """Who speaks for a member's signature: the expert, or the person who signed and the organization's
    representatives — people who may see it named, as the mails name it (permissions.can_see_signer). (An
    outside signer has no account: they are written to at their confirmed address.)"""
    people = [signature.user] if signature.user is not None else []
    if signature.organization_id is not None:
        people += db.session.scalars(select(User).where(User.organization_id == signature.organization_id,
                                                        User.org_role == OrganizationRole.REPRESENTATIVE)).all()
    return sorted({p.id: p for p in people if p.active and permissions.can_see_signer(p, signature)}.values(),
                  key=lambda p: p.id)


def why_signed(signature: Signature, declaration: Declaration) -> str:
    if signature.capacity == "individual":
        return _("You get this because you signed “%(title)s”.", title=declaration.title)
    return _("You get this because you speak for %(organization)s, which signed “%(title)s”.",
             organization=signature.display_name, title=declaration.title)


def text_reopened(actor, declaration: Declaration) -> int:
    """Sign-on went back to revision: every active signature is now on an earlier version; tell its signer."""
    signatures = db.session.scalars(with_details(base_query(declaration)).where(
        Signature.status == SignatureStatus.ACTIVE)).unique().all()
    link = absolute_url("declarations.read", declaration_id=declaration.id)
    for signature in signatures:
        if signature.open_request is not None:
            with force_locale(signature.open_request.language):
                queue(signature.open_request.email,
                      _("The text you signed has been reopened: %(title)s", title=declaration.title),
                      "signature_reopened", signature=signature, declaration=declaration, link=link)
            continue
        for person in signer_people(signature):  # each as they chose: now, in the daily digest, or not at all
            notifications.notify(person, "signature_reopened", lambda signature=signature: (
                _("The text you signed has been reopened: %(title)s", title=declaration.title),
                render_template("notifications/signature_reopened.txt", signature=signature,
                                declaration=declaration)),
                link, bulk=True, why=lambda signature=signature: why_signed(signature, declaration))
    record(actor, "signatures_marked_earlier_version", declaration, count=len(signatures))
    return len(signatures)


def signon_reopened(actor, declaration: Declaration) -> int:
    """Sign-on opened again on a new version: ask every signer of an earlier version to re-confirm."""
    version = signing_version(declaration)
    signatures = db.session.scalars(with_details(base_query(declaration)).where(
        Signature.status == SignatureStatus.ACTIVE, Signature.version_id != version.id)).unique().all()
    link = absolute_url("signatures.sign", declaration_id=declaration.id)
    for signature in signatures:
        if signature.open_request is not None:
            if open_signon_closed_message(declaration):
                continue  # the public form is closed: their link could not be used
            token = secrets.token_urlsafe(32)
            open_request = signature.open_request
            open_request.token_hash, open_request.confirmed_at = token_hash(token), None
            open_request.version_id = version.id
            open_request.expires_at = utcnow() + timedelta(days=RECONFIRM_LINK_DAYS)
            send_confirmation(declaration, open_request, token, RECONFIRM_LINK_DAYS, reconfirm=True)
            continue
        for person in signer_people(signature):
            notifications.notify(person, "signature_reconfirm", lambda signature=signature: (
                _("Please confirm your signature again: %(title)s", title=declaration.title),
                render_template("notifications/signature_reconfirm.txt", signature=signature,
                                declaration=declaration, version=version)),
                link, bulk=True, why=lambda signature=signature: why_signed(signature, declaration))
    if signatures:
        record(actor, "signature_reconfirmation_requested", declaration, count=len(signatures),
               version=version.number)
    return len(signatures)
