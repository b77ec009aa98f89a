"""The chase list: member organizations that have not signed the version on sign-on, and reminders to them."""
from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import permissions
from app.accounts.models import User
from app.audit.services import record
from app.choices import OrganizationRole, SignatureStatus
from app.database import insert_unless_duplicate
from app.declarations.models import Declaration
from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.links import absolute_url
from app.mail import budget
from app.notifications import services as notifications
from app.organizations.models import Organization
from app.signatures.models import Signature, SignatureReminder
from app.signatures.queries import signing_closed_message, signing_version
from app.time import local_date, utcnow


def chase_list(declaration: Declaration) -> list[dict]:
    """Member organizations without an active signature on the version being signed, with their representatives."""
    version = signing_version(declaration)
    signed = select(Signature.organization_id).where(
        Signature.declaration_id == declaration.id, Signature.status == SignatureStatus.ACTIVE,
        Signature.organization_id.is_not(None), Signature.version_id == (version.id if version else -1))
    earlier = set(db.session.scalars(select(Signature.organization_id).where(
        Signature.declaration_id == declaration.id, Signature.status == SignatureStatus.ACTIVE,
        Signature.organization_id.is_not(None))))
    organizations = db.session.scalars(select(Organization).where(Organization.id.not_in(signed))
                                       .order_by(Organization.name)).all()
    representatives: dict[int, list[User]] = {}
    for user in db.session.scalars(select(User).where(User.org_role == OrganizationRole.REPRESENTATIVE,
                                                      User.active.is_(True),
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


def _due(row) -> list:
    """The representatives a reminder for this chase-list row would go to: none when reminded today."""
    return [] if row is None or row["reminded_today"] else row["representatives"]


def send_reminders(actor, declaration: Declaration, organization_ids: list[int]) -> tuple[int, int]:
    """Email the representatives of these unsigned organizations, at most once per organization per day.
    Returns (organizations reminded, organizations skipped)."""
    if not permissions.can_manage_signatures(actor, declaration):
        raise NotAllowed()
    closed = signing_closed_message(declaration)
    if closed:
        raise RuleError(closed)
    rows = {row["organization"].id: row for row in chase_list(declaration)}
    budget.spend("signature_reminder", actor, [person.email for organization_id in set(organization_ids)
                                               for person in _due(rows.get(organization_id))])
    today = local_date(utcnow())
    sent = skipped = 0
    for organization_id in sorted(set(organization_ids)):
        row = rows.get(organization_id)
        if not _due(row):
            skipped += 1
            continue
        # One row per organization and day: a reminder sent a moment ago by someone else is skipped.
        reminded = db.session.execute(insert_unless_duplicate(SignatureReminder).values(
            declaration_id=declaration.id, organization_id=organization_id, sent_on=today, sent_by_id=actor.id,
            sent_at=utcnow()).returning(SignatureReminder.id)).scalar()
        if reminded is None:
            skipped += 1
            continue
        link = absolute_url("signatures.sign", declaration_id=declaration.id)
        for person in row["representatives"]:  # each as they chose: now, in the daily digest, or not at all
            notifications.notify(person, "signature_reminder", lambda row=row: (
                _("Please sign: %(title)s", title=declaration.title),
                render_template("notifications/signature_reminder.txt", organization=row["organization"],
                                declaration=declaration, earlier=row["earlier"])), link, bulk=True)
        sent += 1
    if sent:
        record(actor, "signature_reminders_sent", declaration, organizations=sent, skipped=skipped)
    return sent, skipped
