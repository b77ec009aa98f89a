"""Notifications: each person chooses immediate email, a daily digest, or none."""
from datetime import timedelta

from flask import render_template
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import and_, select, update

from app import permissions
from app.accounts.models import User
from app.choices import AmendmentStatus, Phase, PlatformRole
from app.declarations.models import Declaration
from app.extensions import db
from app.links import absolute_url
from app.mail.services import mail_body, queue, queue_many
from app.notifications.broadcast import Message, batches, tell_all
from app.notifications.models import Notification
from app.notifications.unsubscribe import settings_versions, unsubscribe_headers, unsubscribe_link_prefix
from app.settings.services import alliance_name
from app.time import utcnow

CLOSING_SOON = timedelta(hours=48)


def notify(user: User, kind: str, subject_and_body, link: str, *, bulk: bool = False,
           why=None) -> Notification | None:
    """Tell one person, in their language and as they chose: an email now, a line in the daily digest, or
    nothing. subject_and_body() is called in that language, and so is why(), the line saying why they get
    it (by default derived from the kind). A bulk notification (one sent to many people at once) carries
    a one-click unsubscribe link."""
    if not user.active:
        return None
    with force_locale(user.language):
        subject, body = subject_and_body()
        notification = Notification(user_id=user.id, kind=kind, subject=str(subject)[:255], body=body, link=link,
                                    delivery=user.notification_mode)
        db.session.add(notification)
        if user.notification_mode == "immediate":
            queue(user.email, notification.subject, "notification",
                  headers=unsubscribe_headers(user) if bulk else None, user=user, notification=notification,
                  why=str(why() if why is not None else why_line(user, kind)), settings_link=settings_link())
            notification.emailed_at = utcnow()
    return notification


def settings_link() -> str:
    """Where a person chooses immediate email, a daily digest or none."""
    return absolute_url("accounts.profile", _anchor="notification_mode")


def why_line(user: User, kind: str) -> str:
    """Why this person gets a notification of this kind, in the current language."""
    alliance = alliance_name()
    if kind == "reply":
        return _("You get this because someone replied to a comment you wrote.")
    if kind == "moderation":
        return _("You get this because a moderator decided on something you wrote.")
    if kind == "amendment":
        return _("You get this because you proposed this amendment.")
    if kind == "signature":
        return _("You get this because you are a coordinator of %(alliance)s, and signatures from outside the "
                 "alliance wait for a coordinator's approval.", alliance=alliance)
    if kind == "submission" and user.institution is not None:
        return _("You get this because you review what is submitted to %(institution)s.",
                 institution=user.institution.name)
    if kind in ("signature_reminder", "signon_opened") and user.org_role == "representative" \
            and user.organization is not None:
        return _("You get this because you are a representative of %(organization)s.",
                 organization=user.organization.name)
    if kind == "signon_opened":
        return _("You get this because you take part in %(alliance)s as an individual expert.", alliance=alliance)
    # what is told to the whole alliance: phases, deadlines, acknowledgements, published answers
    return _("You get this because you are a member of %(alliance)s.", alliance=alliance)


def notify_reply(comment, recipient) -> None:
    link = _comment_link(comment)
    notify(recipient, "reply", lambda: (
        _("%(name)s replied to your comment", name=comment.author.name),
        render_template("notifications/reply.txt", comment=comment)), link)


def notify_moderation(comment, decision) -> None:
    link = _comment_link(comment)
    notify(comment.author, "moderation", lambda: (
        _("A moderator's decision on your comment"),
        render_template("notifications/moderation.txt", comment=comment, decision=decision)), link)


def notify_amendment_decision(amendment) -> None:
    link = absolute_url("amendments.detail", amendment_id=amendment.id)
    notify(amendment.proposer, "amendment", lambda: (
        _("Your amendment was accepted") if amendment.status == AmendmentStatus.ACCEPTED
        else _("Your amendment was not accepted"),
        render_template("notifications/amendment.txt", amendment=amendment)), link)


def notify_amendment_hidden(amendment) -> None:
    link = absolute_url("amendments.detail", amendment_id=amendment.id)
    notify(amendment.proposer, "moderation", lambda: (
        _("A moderator's decision on your amendment"),
        render_template("notifications/amendment_hidden.txt", amendment=amendment)), link)


def _alliance_message(kind: str, subject_and_body, link: str) -> Message:
    return Message(kind, subject_and_body, link, why=lambda user: why_line(user, kind))


def notify_all(people, kind: str, subject_and_body, link: str) -> int:
    """Tell everyone matching `people` (an SQL condition on User), each in their language and as they chose,
    with notify()'s bulk unsubscribe link, in batches (app/notifications/broadcast.py): the texts are rendered
    once per language. Returns how many were told."""
    return tell_all(people, _alliance_message(kind, subject_and_body, link), settings_link())


def notify_alliance(kind: str, subject_and_body, link: str) -> int:
    """Tell every active member of the alliance (notify_all)."""
    return notify_all(permissions.alliance_members_clause(User), kind, subject_and_body, link)


def notify_consultation_opened(declaration) -> None:
    notify_alliance("consultation_opened", lambda: (
        _("Consultation open: %(title)s", title=declaration.title),
        render_template("notifications/consultation_opened.txt", declaration=declaration)),
        absolute_url("declarations.read", declaration_id=declaration.id))


def notify_alliance_of_submission(submission, declaration, except_ids: set[int] = frozenset()) -> None:
    """The alliance learns the declaration was submitted; except_ids: people told something else instead
    (their signature is not in the dossier)."""
    members = permissions.alliance_members_clause(User)
    if except_ids:
        members = and_(members, User.id.not_in(sorted(except_ids)))
    tell_all(members, _alliance_message("submitted", lambda: (
        _("Submitted to government: %(title)s", title=declaration.title),
        render_template("notifications/submitted.txt", submission=submission, declaration=declaration)),
        absolute_url("submissions.dossier", submission_id=submission.id)), settings_link())


def closing_reminders():
    """Remind the alliance of consultations that close within 48 hours, once per deadline: a batch of people
    at a time, yielding how many each batch told, for the caller (the hourly `flask notifications remind`)
    to commit between batches. Each declaration keeps how far its reminder has come
    (closing_reminder_through), so a run that stopped half-way goes on where it stopped, and a member who
    joins before the deadline is reminded at the next run."""
    now = utcnow()
    due = db.session.scalars(select(Declaration.id).where(
        Declaration.phase == Phase.CONSULTATION, Declaration.consultation_deadline > now,
        Declaration.consultation_deadline <= now + CLOSING_SOON).order_by(Declaration.id)).all()
    for declaration_id in due:
        declaration = db.session.get(Declaration, declaration_id)
        deadline = declaration.consultation_deadline
        through = declaration.closing_reminder_through if declaration.closing_reminder_sent_for == deadline else 0
        message = _alliance_message("consultation_closing", lambda declaration=declaration: (
            _("Consultation closing soon: %(title)s", title=declaration.title),
            render_template("notifications/consultation_closing.txt", declaration=declaration)),
            absolute_url("declarations.read", declaration_id=declaration_id))
        for told, last in batches(permissions.alliance_members_clause(User), message, settings_link(), through):
            declaration.closing_reminder_sent_for, declaration.closing_reminder_through = deadline, last
            yield told


def send_closing_reminders() -> int:
    """All of closing_reminders() in the current transaction; returns how many people were told."""
    return sum(closing_reminders())


DIGEST_BATCH = 100


def digests():
    """One email per person with the daily-digest notifications not yet sent, a batch of people at a time:
    yields how many emails each batch wrote, for the caller (the daily `flask notifications digest`) to
    commit between batches. Each batch costs the same however many people wait: the next people (keyset, by
    id), their notifications, one UPDATE.

    The setting of today is honoured: someone who has since chosen "none" (or left) gets nothing, and those
    notifications are no longer waiting; someone who has since chosen immediate email still gets what was
    gathered before."""
    waiting = (Notification.delivery == "daily", Notification.emailed_at.is_(None))
    after = 0
    while True:
        people = db.session.scalars(select(User).where(
            User.id > after, select(Notification.id).where(Notification.user_id == User.id, *waiting).exists())
            .order_by(User.id).limit(DIGEST_BATCH)).all()
        if not people:
            return
        after = people[-1].id
        by_user: dict[int, list[Notification]] = {}
        for notification in db.session.scalars(select(Notification).where(
                Notification.user_id.between(people[0].id, after), *waiting)
                .order_by(Notification.user_id, Notification.id)):
            by_user.setdefault(notification.user_id, []).append(notification)
        yield _write_digests(people, by_user)


def _write_digests(people: list[User], by_user: dict[int, list]) -> int:
    """The digests of one batch: one query for the unsubscribe links' settings versions, one INSERT of the
    emails, the notifications marked in one UPDATE."""
    now, prefix, emails, done, dropped = utcnow(), unsubscribe_link_prefix(), [], [], []
    readers = [user for user in people if by_user.get(user.id)]
    versions = settings_versions([user.id for user in readers])
    for user in readers:
        items = by_user[user.id]
        if not user.active or user.notification_mode == "none":
            dropped.extend(n.id for n in items)
            continue
        with force_locale(user.language):
            emails.append({"recipient": user.email, "subject": ngettext(
                "Your Sanad digest: %(num)d update", "Your Sanad digest: %(num)d updates", len(items)),
                "body": mail_body("digest", user=user, notifications=items, settings_link=settings_link()),
                "headers": unsubscribe_headers(user, settings=versions.get(user.id, 0), prefix=prefix)})
        done.extend(n.id for n in items)
    for ids, values in ((done, {"emailed_at": now}), (dropped, {"delivery": "none"})):
        if ids:
            db.session.execute(update(Notification).where(Notification.id.in_(ids)).values(**values)
                               .execution_options(synchronize_session=False))
    queue_many(emails)
    return len(emails)


def send_digests() -> int:
    """All of digests() in the current transaction; returns how many emails."""
    return sum(digests())


def _comment_link(comment) -> str:
    if comment.amendment_id:
        return absolute_url("amendments.detail", amendment_id=comment.amendment_id, _anchor=f"c{comment.id}")
    kind, item_id = ("section", comment.section_id) if comment.section_id else ("recommendation",
                                                                                 comment.recommendation_id)
    return absolute_url("comments.thread", declaration_id=comment.declaration_id, kind=kind, item_id=item_id,
                 _anchor=f"c{comment.id}")


def notify_signature_awaiting_approval(signature, declaration) -> None:
    """Tell the coordinators that an organization outside the alliance confirmed and waits for approval."""
    link = absolute_url("signatures.signatories", declaration_id=declaration.id, status="pending",
                        _anchor=f"sig-{signature.id}")
    for coordinator in db.session.scalars(select(User).where(User.platform_role == PlatformRole.COORDINATOR,
                                                             User.active.is_(True))):
        notify(coordinator, "signature", lambda: (
            _("A signature waits for your approval"),
            render_template("notifications/signature_pending.txt", signature=signature,
                            declaration=declaration)), link)
