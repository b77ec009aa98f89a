"""The chase list: member organizations that have not signed the version on sign-on, and reminders to them."""
from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import aliased

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

CHASE_PAGE_SIZE = 50


def _representative(users=User) -> tuple:
    """Who is reminded: an organization's active representatives (on User, or an alias of it)."""
    return users.org_role == OrganizationRole.REPRESENTATIVE, users.active.is_(True)


def _unsigned(declaration: Declaration):
    """The condition on Organization: no active signature on the version being signed (NOT EXISTS)."""
    version = signing_version(declaration)
    return ~exists().where(Signature.declaration_id == declaration.id, Signature.status == SignatureStatus.ACTIVE,
                           Signature.organization_id == Organization.id,
                           Signature.version_id == (version.id if version else -1))


def chase_query(declaration: Declaration, name: str = "") -> Select:
    """Member organizations without an active signature on the version being signed, by name; those whose
    name or acronym holds `name` when it is given. For sql_page: filtering, ordering and paging in SQL."""
    query = select(Organization).where(_unsigned(declaration)).order_by(Organization.name, Organization.id)
    if name:
        pattern = f"%{name.replace('%', '').replace('_', '')}%"
        query = query.where(or_(Organization.name.ilike(pattern), Organization.acronym.ilike(pattern)))
    return query


def unsigned_count(declaration: Declaration) -> int:
    return db.session.scalar(select(func.count()).select_from(Organization).where(_unsigned(declaration)))


def chase_rows(declaration: Declaration, organizations: list[Organization]) -> list[dict]:
    """The chase-list rows of these organizations (one page of them): their active representatives, whether
    they signed an earlier version, and their last reminder. Three queries, over these organizations only."""
    ids = [o.id for o in organizations]
    representatives: dict[int, list[User]] = {}
    for user in db.session.scalars(select(User).where(User.organization_id.in_(ids), *_representative())
                                   .order_by(User.name)):
        representatives.setdefault(user.organization_id, []).append(user)
    earlier = set(db.session.scalars(select(Signature.organization_id).where(
        Signature.declaration_id == declaration.id, Signature.status == SignatureStatus.ACTIVE,
        Signature.organization_id.in_(ids))))
    last = dict(db.session.execute(
        select(SignatureReminder.organization_id, func.max(SignatureReminder.sent_at))
        .where(SignatureReminder.declaration_id == declaration.id, SignatureReminder.organization_id.in_(ids))
        .group_by(SignatureReminder.organization_id)).all())
    today = local_date(utcnow())
    return [{"organization": o, "representatives": representatives.get(o.id, []), "earlier": o.id in earlier,
             "last_reminder": last.get(o.id),
             "reminded_today": last.get(o.id) is not None and local_date(last[o.id]) == today}
            for o in organizations]


def _due(declaration: Declaration, organization_ids: set[int] | None, after: int = 0) -> dict[int, list[User]]:
    """Of these organizations, those a reminder would go to now — still unsigned, not reminded today, with an
    active representative — and their representatives, looked up in SQL among these ids only. With None for
    the ids: the next page of such organizations by id, after the id `after`."""
    if organization_ids is not None and not organization_ids:
        return {}
    reminded_today = exists().where(SignatureReminder.declaration_id == declaration.id,
                                    SignatureReminder.organization_id == Organization.id,
                                    SignatureReminder.sent_on == local_date(utcnow()))
    representatives = aliased(User)  # not the outer query's users
    has_representative = exists().where(representatives.organization_id == Organization.id,
                                        *_representative(representatives))
    chosen = select(Organization.id).where(_unsigned(declaration), has_representative, ~reminded_today)
    if organization_ids is not None:
        chosen = chosen.where(Organization.id.in_(sorted(organization_ids)))
    else:
        chosen = chosen.where(Organization.id > after).order_by(Organization.id).limit(CHASE_PAGE_SIZE)
    due: dict[int, list[User]] = {}
    for user in db.session.scalars(select(User).where(User.organization_id.in_(chosen.scalar_subquery()),
                                                      *_representative()).order_by(User.organization_id, User.name)):
        due.setdefault(user.organization_id, []).append(user)
    return due


def _check(actor, declaration: Declaration) -> None:
    if not permissions.can_manage_signatures(actor, declaration):
        raise NotAllowed()
    closed = signing_closed_message(declaration)
    if closed:
        raise RuleError(closed)


def send_reminders(actor, declaration: Declaration, organization_ids: list[int]) -> tuple[int, int]:
    """Email the representatives of these unsigned organizations (a page's at most), at most once per
    organization per day. Returns (organizations reminded, organizations skipped)."""
    _check(actor, declaration)
    chosen = set(organization_ids)
    if len(chosen) > CHASE_PAGE_SIZE:
        raise RuleError(_("Choose at most %(num)d organizations at a time.", num=CHASE_PAGE_SIZE))
    sent = _remind(actor, declaration, _due(declaration, chosen))
    skipped = len(chosen) - sent
    if sent:
        record(actor, "signature_reminders_sent", declaration, organizations=sent, skipped=skipped)
    return sent, skipped


def remind_all(actor, declaration: Declaration) -> tuple[int, bool]:
    """Email every unsigned organization not reminded today that has a representative, a page of them at a
    time (each batch chosen in SQL, after the last one's ids), until none is left or the mail budget has no
    room for the next batch. Returns (organizations reminded, whether the budget stopped it); a budget with
    no room for the first batch refuses the whole as send_reminders does."""
    _check(actor, declaration)
    sent, after, stopped = 0, 0, False
    while True:
        due = _due(declaration, None, after=after)
        if not due:
            break
        after = max(due)
        try:
            sent += _remind(actor, declaration, due)
        except budget.MailBudgetSpent:
            if not sent:
                raise
            stopped = True
            break
    if sent:
        record(actor, "signature_reminders_sent", declaration, organizations=sent, skipped=0, all_pages=True)
    return sent, stopped


def _remind(actor, declaration: Declaration, due: dict[int, list[User]]) -> int:
    """Spend the budget for these organizations' representatives (all or nothing), then remind each
    organization not reminded meanwhile. Returns how many were reminded."""
    budget.spend("signature_reminder", actor, [person.email for people in due.values() for person in people])
    today = local_date(utcnow())
    organizations = {o.id: o for o in db.session.scalars(select(Organization).where(Organization.id.in_(list(due))))}
    earlier = set(db.session.scalars(select(Signature.organization_id).where(
        Signature.declaration_id == declaration.id, Signature.status == SignatureStatus.ACTIVE,
        Signature.organization_id.in_(list(due)))))
    link = absolute_url("signatures.sign", declaration_id=declaration.id)
    sent = 0
    for organization_id, representatives in sorted(due.items()):
        # One row per organization and day: a reminder sent a moment ago by someone else is skipped.
        reminded = db.session.execute(insert_unless_duplicate(SignatureReminder).values(
            declaration_id=declaration.id, organization_id=organization_id, sent_on=today, sent_by_id=actor.id,
            sent_at=utcnow()).returning(SignatureReminder.id)).scalar()
        if reminded is None:
            continue
        organization, signed_before = organizations[organization_id], organization_id in earlier
        for person in representatives:  # each as they chose: now, in the daily digest, or not at all
            notifications.notify(person, "signature_reminder", lambda o=organization, e=signed_before: (
                _("Please sign: %(title)s", title=declaration.title),
                render_template("notifications/signature_reminder.txt", organization=o,
                                declaration=declaration, earlier=e)), link, bulk=True)
        sent += 1
    return sent
