"""Comments, flags and moderation. A hidden or rejected comment's text is invisible everywhere else; in its
thread a placeholder keeps its place, with the replies under it."""
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app import permissions
from app.accounts.models import User
from app.audit.services import record
from app.choices import CommentStatus, PlatformRole
from app.comments.models import Comment, CommentFlag, ModerationDecision
from app.database import update_if
from app.declarations.languages import written_on
from app.declarations.services import consultation_closed_message
from app.declarations.signals import text_removed, text_saved
from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.formatting import format_date_only
from app.markup import render_markdown
from app.notifications import services as notifications
from app.time import utcnow

EDIT_WINDOW = timedelta(minutes=15)


def edit_minutes() -> int:
    """How long an author may edit a comment, in whole minutes (what the pages say)."""
    return int(EDIT_WINDOW.total_seconds() // 60)

MAX_LENGTH = 5000
# A coordinator took it down (after or before publication): only a placeholder says so in the threads.
TAKEN_DOWN = (CommentStatus.HIDDEN, CommentStatus.REJECTED)


def published_counts(declaration_id: int) -> dict[str, int]:
    """Published comments per item ("section-3", "recommendation-7"), replies included: one query."""
    rows = db.session.execute(
        select(Comment.section_id, Comment.recommendation_id, func.count())
        .where(Comment.declaration_id == declaration_id, Comment.status == CommentStatus.PUBLISHED,
               Comment.deleted_at.is_(None), Comment.amendment_id.is_(None))
        .group_by(Comment.section_id, Comment.recommendation_id)).all()
    return {(f"section-{s}" if s else f"recommendation-{r}"): n for s, r, n in rows}


THREADS_PER_PAGE = 20
# A thread's first comment, a reply, a reply to a reply. A reply to a comment at the third level joins that
# level (it answers the same comment's parent), so a thread stays readable on a narrow phone.
MAX_DEPTH = 3


def _shown_itself(comment: Comment) -> bool:
    """Shown in its place whatever is under it: a published comment, or the placeholder of a hidden one
    (it was public, so its readers are told a moderator took it down)."""
    return comment.deleted_at is None and comment.status in (CommentStatus.PUBLISHED, CommentStatus.HIDDEN)


_SHOWN_ITSELF = Comment.deleted_at.is_(None) & Comment.status.in_((CommentStatus.PUBLISHED, CommentStatus.HIDDEN))


@dataclass
class Threads:
    """What a thread page shows: its threads (a page of first comments), every shown comment under them by
    the comment it answers, the moderators' decisions the placeholders state, and the reader's own comments
    waiting for approval that have no place in the threads."""

    threads: object  # the page of first comments (a Flask-SQLAlchemy Pagination)
    replies: dict[int, list[Comment]]
    decisions: dict[int, ModerationDecision]
    own_pending: list[Comment]

    def ids(self) -> list[int]:
        return [c.id for c in self.threads.items] + [r.id for rows in self.replies.values() for r in rows]


def shape(comments, first: list[Comment] | None = None) -> tuple[list[Comment], dict[int, list[Comment]]]:
    """The threads these comments form, pruned to what keeps its place: a comment shown itself, or one that
    holds a shown reply at any depth (a deleted, rejected or waiting comment then leaves a placeholder, so
    its replies stay under it). Returns the first comments and the replies under each, oldest first."""
    comments = sorted(comments, key=lambda c: (c.created_at, c.id))
    children: dict[int | None, list[Comment]] = {}
    for comment in comments:
        children.setdefault(comment.parent_id, []).append(comment)
    shown: dict[int, bool] = {}

    def keeps_place(comment: Comment) -> bool:
        if comment.id not in shown:
            below = [keeps_place(child) for child in children.get(comment.id, [])]  # every child visited
            shown[comment.id] = _shown_itself(comment) or any(below)
        return shown[comment.id]

    roots = [c for c in (first if first is not None else children.get(None, [])) if keeps_place(c)]
    replies = {parent: [c for c in rows if shown.get(c.id)] for parent, rows in children.items()
               if parent is not None}
    return roots, {parent: rows for parent, rows in replies.items() if rows}


def taken_down_decisions(comments) -> dict[int, ModerationDecision]:
    """The decision that took each of these comments down (its date and reason go on the placeholder). One
    query."""
    ids = [c.id for c in comments if c.status in TAKEN_DOWN]
    if not ids:
        return {}
    return {d.comment_id: d for d in db.session.scalars(
        select(ModerationDecision).where(ModerationDecision.comment_id.in_(ids),
                                         ModerationDecision.action.in_(("hide", "reject")))
        .order_by(ModerationDecision.id))}


def placeholder(comment: Comment, decision: ModerationDecision | None, *, with_reason: bool) -> str:
    """What stands in the place of a comment that is not shown (the thread page says the same in
    templates/_macros/comments.html); the reason only for its author and the moderators."""
    if comment.deleted_at is not None:
        return _("This comment was deleted by its author.")
    if comment.status == CommentStatus.PENDING:
        return _("This comment is waiting for a moderator's approval.")
    if decision is None:
        return _("Hidden by a moderator.")
    date = format_date_only(decision.created_at)
    said = (_("Hidden by a moderator on %(date)s.", date=date) if comment.status == CommentStatus.HIDDEN
            else _("Removed by a moderator on %(date)s.", date=date))
    if with_reason and decision.reason:
        said += " " + _("Reason: %(reason)s", reason=decision.reason)
    return said


def visible_thread_page(declaration, target_filter, page: int, user) -> Threads:
    """One page of threads on a text, each in its shape (see shape), with bounded queries whatever their
    size: the page of first comments and its count, the comments under them, their authors and
    organizations, the decisions behind the placeholders, and the reader's own waiting comments."""
    shown = select(Comment.id).where(target_filter, _SHOWN_ITSELF)
    # The comments that hold a shown comment one or two levels below (threads are MAX_DEPTH deep).
    holding = select(Comment.parent_id).where(target_filter, _SHOWN_ITSELF, Comment.parent_id.is_not(None))
    holding_deeper = select(Comment.parent_id).where(Comment.id.in_(holding), Comment.parent_id.is_not(None))
    loaded = (selectinload(Comment.author), selectinload(Comment.organization))
    top = (select(Comment).options(*loaded)
           .where(target_filter, Comment.parent_id.is_(None),
                  or_(Comment.id.in_(shown), Comment.id.in_(holding), Comment.id.in_(holding_deeper)))
           .order_by(Comment.created_at, Comment.id))
    threads = db.paginate(top, page=page, per_page=THREADS_PER_PAGE, error_out=False)
    ids = [c.id for c in threads.items]
    below: list[Comment] = []
    if ids:
        second = select(Comment.id).where(Comment.parent_id.in_(ids))
        below = db.session.scalars(select(Comment).options(*loaded).where(
            or_(Comment.parent_id.in_(ids), Comment.parent_id.in_(second)))).all()
    _roots, replies = shape(list(threads.items) + list(below), first=list(threads.items))
    in_threads = set(ids) | {r.id for rows in replies.values() for r in rows}
    own_pending = []
    if user.is_authenticated:
        own_pending = [c for c in db.session.scalars(
            select(Comment).where(target_filter, Comment.author_id == user.id, Comment.status == CommentStatus.PENDING,
                                  Comment.deleted_at.is_(None)).order_by(Comment.created_at))
                       if c.id not in in_threads]
    decisions = taken_down_decisions(list(threads.items) + [r for rows in replies.values() for r in rows])
    return Threads(threads, replies, decisions, own_pending)


def flagged_by(user, page: Threads) -> set[int]:
    """Which comments of a thread page this person has flagged and a coordinator has not yet looked at
    (their Flag link gives way to a note). One query."""
    return _open_flags(user, page.ids())


def has_open_flag(user, comment) -> bool:
    return comment.id in _open_flags(user, [comment.id])


def _open_flags(user, ids: list[int]) -> set[int]:
    if not ids or not user.is_authenticated:
        return set()
    return set(db.session.scalars(select(CommentFlag.comment_id).where(
        CommentFlag.user_id == user.id, CommentFlag.comment_id.in_(ids), CommentFlag.resolved_at.is_(None))))


def add_comment(actor, declaration, *, body: str, section=None, recommendation=None, amendment=None,
                parent: Comment | None = None, language: str | None = None) -> Comment:
    """Comment on an item during an open consultation. A reply goes under the comment it answers, down to
    MAX_DEPTH levels; below that it joins the deepest level. On a bilingual declaration the comment says
    which language's text it was written on (the original's by default)."""
    if not permissions.can_take_part(actor, declaration):
        raise NotAllowed()
    closed = consultation_closed_message(declaration)
    if closed:
        raise RuleError(closed)
    if not body.strip():
        raise RuleError(_("Write something first."))
    language = written_on(declaration, language)
    replied_to = parent
    if parent is not None:
        if (parent.status != CommentStatus.PUBLISHED or parent.deleted_at is not None
                or parent.target_key != _target_key(section, recommendation, amendment)):
            raise RuleError(_("You can only reply to a published comment on the same text."))
        ancestors = _ancestors(parent)
        if any(a.status != CommentStatus.PUBLISHED for a in ancestors):
            # Nobody answers inside a thread a moderator took down, or one whose start waits for approval.
            raise RuleError(_("You can only reply to a published comment on the same text."))
        if len(ancestors) + 1 >= MAX_DEPTH:
            parent = parent.parent  # a reply to a comment at the deepest level answers beside it
    comment = Comment(
        declaration_id=declaration.id, section_id=section.id if section else None,
        recommendation_id=recommendation.id if recommendation else None,
        amendment_id=amendment.id if amendment else None, parent_id=parent.id if parent else None,
        author_id=actor.id, organization_id=actor.organization_id, body_source=body, body_html=render_markdown(body),
        version_number=declaration.version_number, language=language,
        status=CommentStatus.PENDING if declaration.moderation == "pre" else CommentStatus.PUBLISHED)
    db.session.add(comment)
    db.session.flush()
    comment.replied_to = replied_to
    record(actor, "comment_posted", comment, declaration_id=declaration.id, status=comment.status)
    if comment.status == CommentStatus.PUBLISHED:
        _published(comment)
    return comment


def _ancestors(comment: Comment) -> list[Comment]:
    """The comments above this one, nearest first (at most MAX_DEPTH - 1 of them)."""
    found: list[Comment] = []
    while comment.parent is not None and len(found) < MAX_DEPTH:
        comment = comment.parent
        found.append(comment)
    return found


def _target_key(section, recommendation, amendment) -> str:
    if section:
        return f"section-{section.id}"
    if recommendation:
        return f"recommendation-{recommendation.id}"
    return f"amendment-{amendment.id}"


def _published(comment: Comment) -> None:
    text_saved.send(comment)
    # The person answered: the author of the reply replied to, or of the thread's first comment.
    replied_to = getattr(comment, "replied_to", None) or comment.parent
    if replied_to is not None and replied_to.author_id != comment.author_id:
        notifications.notify_reply(comment, replied_to.author)


def edit_comment(actor, comment: Comment, body: str) -> None:
    if not permissions.can_edit_comment(actor, comment):
        raise NotAllowed()
    if utcnow() - comment.created_at > EDIT_WINDOW:
        raise RuleError(ngettext(
            "Comments can be edited for %(num)d minute after posting. Post a new comment instead.",
            "Comments can be edited for %(num)d minutes after posting. Post a new comment instead.", edit_minutes()))
    if comment.status in TAKEN_DOWN:
        raise RuleError(_("This comment was taken down by a moderator and cannot be edited."))
    closed = consultation_closed_message(comment.declaration)
    if closed:
        raise RuleError(closed)
    if not body.strip():
        raise RuleError(_("Write something first."))
    status = comment.status
    if status == CommentStatus.PUBLISHED and comment.declaration.moderation == "pre":
        status = CommentStatus.PENDING  # under pre-moderation an edited text is approved again before it shows
    # Only the text as it was read: a moderator's decision or the author's delete in between wins.
    if not update_if(comment, Comment.status == comment.status, Comment.deleted_at.is_(None), body_source=body,
                     body_html=render_markdown(body), edited_at=utcnow(), status=status):
        raise RuleError(_("This comment changed a moment ago (a moderator's decision, or a delete); "
                          "nothing was saved. Your text is below."))
    if status == CommentStatus.PENDING:
        text_removed.send(comment)
    record(actor, "comment_edited", comment, status=comment.status)
    if comment.status == CommentStatus.PUBLISHED:
        text_saved.send(comment)


def delete_comment(actor, comment: Comment) -> None:
    """The author withdraws a comment: a tombstone stays so the replies keep their place."""
    if not permissions.can_edit_comment(actor, comment):
        raise NotAllowed()
    closed = consultation_closed_message(comment.declaration)
    if closed:
        raise RuleError(closed)
    if not update_if(comment, Comment.deleted_at.is_(None), deleted_at=utcnow(), body_source="", body_html=""):
        raise RuleError(_("This comment has already been deleted."))
    text_removed.send(comment)
    record(actor, "comment_deleted", comment)


def flag_comment(actor, comment: Comment, reason: str) -> None:
    if not permissions.can_flag_comment(actor, comment):
        raise NotAllowed()
    if comment.status != CommentStatus.PUBLISHED or comment.deleted_at is not None:
        raise RuleError(_("This comment is not shown any more."))
    if has_open_flag(actor, comment):
        raise RuleError(_("You have already flagged this comment. A coordinator will look at it."))
    db.session.add(CommentFlag(comment_id=comment.id, user_id=actor.id, reason=reason.strip()))
    record(actor, "comment_flagged", comment, reason=reason.strip()[:500])



# --- moderation --------------------------------------------------------------------------

MODERATION_ACTIONS = {
    # action: (states it applies to, resulting state)
    "approve": ((CommentStatus.PENDING,), CommentStatus.PUBLISHED),
    "reject": ((CommentStatus.PENDING,), CommentStatus.REJECTED),
    "hide": ((CommentStatus.PUBLISHED,), CommentStatus.HIDDEN),
    "restore": (TAKEN_DOWN, CommentStatus.PUBLISHED),
    "dismiss": ((CommentStatus.PUBLISHED,), CommentStatus.PUBLISHED),  # flags looked at, the comment stays
}


def another_coordinator_exists(actor, comment: Comment | None = None) -> bool:
    """Whether another active coordinator could decide instead: one outside the comment's organization
    who did not write it."""
    others = other_coordinators(actor)
    return bool(others) if comment is None else another_coordinator_among(others, comment)


def moderate(actor, comment: Comment, action: str, reason: str = "") -> ModerationDecision:
    """Apply a moderation decision; it is recorded, and the author is told (with the reason)."""
    if not permissions.can_moderate_comment(actor, comment, another_coordinator_exists(actor, comment)):
        raise NotAllowed()
    if action not in MODERATION_ACTIONS:
        raise RuleError(_("Unknown moderation action."))
    allowed_from, result = MODERATION_ACTIONS[action]
    if comment.deleted_at is not None or comment.status not in allowed_from:
        raise RuleError(_("This comment has changed since the queue was loaded; nothing was done."))
    if action in ("hide", "reject") and not reason.strip():
        raise RuleError(_("Give the reason: the author will see it."))
    text = comment.body_source
    # A decision holds on the text the moderator read: of two moderators, or a moderator and the author
    # editing or deleting at the same moment, the first wins and the other is told.
    if not update_if(comment, Comment.status.in_(allowed_from), Comment.deleted_at.is_(None),
                     Comment.body_source == text, status=result):
        raise RuleError(_("This comment has changed since the queue was loaded; nothing was done."))
    decision = ModerationDecision(comment_id=comment.id, moderator_id=actor.id, action=action, reason=reason.strip(),
                                  text=text)
    db.session.add(decision)
    for flag in db.session.scalars(select(CommentFlag).where(CommentFlag.comment_id == comment.id,
                                                             CommentFlag.resolved_at.is_(None))):
        flag.resolved_at = utcnow()
    db.session.flush()
    record(actor, f"comment_{action}", comment, reason=decision.reason, declaration_id=comment.declaration_id)
    if result == CommentStatus.PUBLISHED and action in ("approve", "restore"):
        _published(comment)
    elif result in TAKEN_DOWN:
        text_removed.send(comment)
    if action != "dismiss":
        notifications.notify_moderation(comment, decision)
    return decision


def moderation_queue():
    """Pending comments and published comments with open flags, oldest first: the query, for the view to page."""
    flagged = select(CommentFlag.comment_id).where(CommentFlag.resolved_at.is_(None))
    return (select(Comment).options(selectinload(Comment.author), selectinload(Comment.organization),
                                    selectinload(Comment.declaration))
            .where(Comment.deleted_at.is_(None),
                   (Comment.status == CommentStatus.PENDING)
                   | ((Comment.status == CommentStatus.PUBLISHED) & Comment.id.in_(flagged)))
            .order_by(Comment.created_at, Comment.id))


def other_coordinators(actor) -> list[tuple[int | None, int, int]]:
    """The other active coordinators, by organization: (organization id, how many, the lowest id), read once
    for a page of the queue (another_coordinator_among) instead of a query per comment; as many rows as their
    organizations, however many coordinators the years bring."""
    return db.session.execute(
        select(User.organization_id, func.count(), func.min(User.id)).where(
            User.platform_role == PlatformRole.COORDINATOR, User.active.is_(True), User.id != actor.id)
        .group_by(User.organization_id)).all()


def another_coordinator_among(coordinators: list[tuple[int | None, int, int]], comment: Comment) -> bool:
    """another_coordinator_exists, decided over other_coordinators(): one outside the comment's organization
    who did not write it."""
    return any((comment.organization_id is None or organization_id != comment.organization_id)
               and (count > 1 or lowest != comment.author_id)
               for organization_id, count, lowest in coordinators)


def open_flags(comment_ids: list[int]) -> dict[int, list[CommentFlag]]:
    flags: dict[int, list[CommentFlag]] = {}
    if comment_ids:
        for flag in db.session.scalars(select(CommentFlag).options(selectinload(CommentFlag.user))
                                       .where(CommentFlag.comment_id.in_(comment_ids),
                                                                 CommentFlag.resolved_at.is_(None))):
            flags.setdefault(flag.comment_id, []).append(flag)
    return flags
