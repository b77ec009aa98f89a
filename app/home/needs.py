"""The home page's "what needs me", by role: a few grouped queries each, however many declarations,
comments or submissions there are (tests/home/test_home.py counts them). Each block gives counts that
link to the list they summarise; app/home/work.py has the coordinator's and the reviewer's blocks."""
from dataclasses import dataclass, field
from datetime import timedelta

from flask import url_for
from sqlalchemy import and_, func, or_, select, true, union_all
from sqlalchemy.orm import aliased, joinedload

from app import permissions
from app.amendments.models import Amendment
from app.choices import AmendmentStatus, CommentStatus, Phase, SignatureStatus
from app.comments.models import Comment, ModerationDecision
from app.declarations.models import Declaration, DeclarationDrafter, DeclarationTranslator, Version
from app.extensions import db
from app.organizations.models import Organization
from app.responses.models import Answer
from app.signatures.models import Signature
from app.submissions.models import Submission, SubmittedRecommendation
from app.time import utcnow
from app.web.languages import ShownTitle, declaration_title

RECENT = timedelta(days=30)
LISTED = 8  # items shown per block; the count links to the whole list


class Listed(list):
    """The first LISTED rows of a block, and how many there are in all (the block links to the whole list)."""

    def __init__(self, rows=(), total: int = 0, more: bool = False):
        super().__init__(rows)
        self.total = total
        self.more = more  # counted up to a limit (total), and there are more (counted_up_to)
        self.ever = total > 0  # whether there was ever any (set by a block whose empty state says so)


def counted_up_to(limit: int, rows: list, count_statement) -> Listed:
    """A block whose total could grow with the years (the overdue updates of a decade): the rows, and the
    rows count_statement selects counted up to `limit` only ("more than 100"), so the count costs what the
    block shows, not the history; the full list's page has the exact figure."""
    total = db.session.scalar(select(func.count()).select_from(count_statement.limit(limit + 1).subquery()))
    return Listed(rows, min(total, limit), more=total > limit)


def listed(statement, limit: int = LISTED, unique: bool = False) -> Listed:
    """The first rows of a query and, in the same query, how many it finds in all (COUNT(*) OVER (), counted
    after any GROUP BY and HAVING): a row is the entity when the query selects one, else a tuple."""
    result = db.session.execute(statement.add_columns(func.count().over()).limit(limit))
    rows = (result.unique() if unique else result).all()
    return Listed([row[0] if len(row) == 2 else tuple(row[:-1]) for row in rows], rows[0][-1] if rows else 0)


def visible(user):
    """permissions.can_view_declaration, in SQL, on Declaration."""
    return permissions.declaration_visible_clause(user, Declaration, DeclarationDrafter, DeclarationTranslator)


@dataclass
class Waiting:
    """A declaration in sign-on this person can still sign, in which capacities, and until when."""
    declaration: Declaration
    capacities: list[str]
    version_number: int


@dataclass
class News:
    """Something that happened to what this person wrote: a reply, a moderator's or drafter's decision."""
    when: object
    kind: str  # reply, moderation, amendment
    text: str  # the other person's name, the decision, …
    title: ShownTitle  # the declaration's title, in the reader's language when it has one
    url: str
    extra: dict = field(default_factory=dict)


def comment_url(comment: Comment) -> str:
    if comment.amendment_id:
        return url_for("amendments.detail", amendment_id=comment.amendment_id, _anchor=f"c{comment.id}")
    kind, item_id = (("section", comment.section_id) if comment.section_id
                     else ("recommendation", comment.recommendation_id))
    return url_for("comments.thread", declaration_id=comment.declaration_id, kind=kind, item_id=item_id,
                   _anchor=f"c{comment.id}")


def open_consultations(user) -> Listed:
    """Declarations in consultation this person may see and may still comment on, soonest deadline first (one
    query, the total with it)."""
    deadline = Declaration.consultation_deadline
    return listed(select(Declaration).where(Declaration.phase == Phase.CONSULTATION, visible(user),
                                            or_(deadline.is_(None), deadline > utcnow()))
                  .order_by(deadline.is_(None), deadline, Declaration.id))  # soonest first, none last (both databases)


def in_signon(user, closed_too: bool = False) -> Listed:
    """Declarations open for signature this person may see: in sign-on, the deadline not passed (or none),
    soonest deadline first (one query, the total with it). closed_too: also those whose deadline has passed
    and which wait to be submitted (the coordinator's next step)."""
    deadline = Declaration.signon_deadline
    still_open = or_(deadline.is_(None), deadline > utcnow())
    return listed(select(Declaration).where(Declaration.phase == Phase.SIGNON, visible(user),
                                            true() if closed_too else still_open)
                  .order_by(deadline.is_(None), deadline, Declaration.id))  # soonest first, none last (both databases)


def awaiting_signature(user) -> Listed:
    """Declarations open for signature (in_signon's rule) that this person could still sign on the version being
    signed, and in which capacities: one query, the first few and the total, however many are open."""
    # The person's side of permissions.can_sign_*: asked of a public declaration in sign-on, which anyone may
    # view, the rule is left with who the person is; the declaration's side is visible() below.
    anyone_may_view = Declaration(phase=Phase.SIGNON, visibility="public")
    capacities = [c for c, may in (("organization", permissions.can_sign_for_organization),
                                   ("individual", permissions.can_sign_as_expert)) if may(user, anyone_may_view)]
    if not capacities:
        return Listed()
    mine = Signature.user_id == user.id
    if user.organization_id is not None:
        mine = mine | (Signature.organization_id == user.organization_id)
    unsigned = [~select(Signature.id).where(
        Signature.declaration_id == Declaration.id, Signature.version_id == Version.id, Signature.capacity == c,
        Signature.status == SignatureStatus.ACTIVE, mine).exists() for c in capacities]
    other = aliased(Version)
    latest = (select(func.max(other.number)).where(other.declaration_id == Declaration.id)
              .correlate(Declaration).scalar_subquery())
    deadline = Declaration.signon_deadline
    rows = listed(
        select(Declaration, Version.number, *unsigned)
        .join(Version, and_(Version.declaration_id == Declaration.id, Version.number == latest))
        .where(Declaration.phase == Phase.SIGNON, visible(user), or_(deadline.is_(None), deadline > utcnow()),
               Version.phase == Phase.SIGNON, or_(*unsigned))
        .order_by(deadline.is_(None), deadline, Declaration.id))  # soonest first, none last (both databases)
    return Listed([Waiting(declaration, [c for c, left in zip(capacities, flags, strict=True) if left], number)
                   for declaration, number, *flags in rows], rows.total)


def news_for(user) -> list[News]:
    """Replies to this person's comments, and decisions on their comments and amendments, of the last 30 days,
    newest first (three queries)."""
    since = utcnow() - RECENT
    # A reply to this person: in a thread they started, or one they replied in before (a later reply to the
    # same comment answers them too). Read from this person's own comments (ix_comments_author_status): each gives
    # the comment whose replies answer them and since when; the replies of the last 30 days are then found
    # under those comments (ix_comments_parent_id) — rows in proportion to what this person wrote.
    own = (Comment.author_id == user.id, Comment.deleted_at.is_(None))
    threads = union_all(select(Comment.id.label("parent_id"), Comment.created_at.label("after")).where(*own),
                        select(Comment.parent_id, Comment.created_at).where(*own, Comment.parent_id.is_not(None))
                        ).subquery()
    reply = aliased(Comment)
    answering = (select(reply.id).where(reply.created_at >= since)
                 .join(threads, and_(reply.parent_id == threads.c.parent_id, reply.created_at > threads.c.after)))
    replies = db.session.scalars(
        select(Comment).options(joinedload(Comment.author), joinedload(Comment.declaration))
        .where(Comment.id.in_(answering), Comment.author_id != user.id, Comment.deleted_at.is_(None),
               Comment.status == CommentStatus.PUBLISHED, Comment.created_at >= since)
        .order_by(Comment.created_at.desc()).limit(LISTED)).all()
    decisions = db.session.scalars(
        select(ModerationDecision).join(Comment, ModerationDecision.comment_id == Comment.id)
        .options(joinedload(ModerationDecision.comment).joinedload(Comment.declaration))
        .where(Comment.author_id == user.id, ModerationDecision.created_at >= since)
        .order_by(ModerationDecision.created_at.desc()).limit(LISTED)).all()
    amendments = db.session.scalars(
        select(Amendment).options(joinedload(Amendment.declaration))
        .where(Amendment.proposer_id == user.id, Amendment.decided_at.is_not(None), Amendment.decided_at >= since)
        .order_by(Amendment.decided_at.desc()).limit(LISTED)).all()
    items = ([News(c.created_at, "reply", c.author.name, declaration_title(c.declaration), comment_url(c))
              for c in replies]
             + [News(d.created_at, "moderation", d.action, declaration_title(d.comment.declaration),
                     comment_url(d.comment), {"reason": d.reason}) for d in decisions]
             + [News(a.decided_at, "amendment", a.status, declaration_title(a.declaration),
                     url_for("amendments.detail", amendment_id=a.id), {"reason": a.decision_reason})
                for a in amendments])
    return sorted(items, key=lambda n: n.when, reverse=True)[:LISTED]


def own_pending(user) -> dict[str, int]:
    """What this person wrote that still waits for someone else: comments held for moderation, amendments
    not yet decided (one query)."""
    row = db.session.execute(select(
        select(func.count()).select_from(Comment).where(
            Comment.author_id == user.id, Comment.status == CommentStatus.PENDING,
            Comment.deleted_at.is_(None)).scalar_subquery(),
        select(func.count()).select_from(Amendment).where(
            Amendment.proposer_id == user.id, Amendment.status == AmendmentStatus.PENDING).scalar_subquery())).one()
    return {"comments": row[0], "amendments": row[1]}


def verified_organizations() -> int:
    return db.session.scalar(select(func.count()).select_from(Organization).where(Organization.verified))


def latest_answers(limit: int = 5) -> list[tuple[Answer, SubmittedRecommendation, Submission]]:
    """For visitors: the government's most recently published answers on declarations a visitor may see
    (permissions.public_response_clause), the newest of each institution to each recommendation (one query)."""
    later = aliased(Answer)
    superseded = select(later.id).where(later.item_id == Answer.item_id, later.institution_id == Answer.institution_id,
                                        later.published_at.is_not(None), later.number > Answer.number).exists()
    return [tuple(row) for row in db.session.execute(
        select(Answer, SubmittedRecommendation, Submission)
        .join(SubmittedRecommendation, Answer.item_id == SubmittedRecommendation.id)
        .join(Submission, SubmittedRecommendation.submission_id == Submission.id)
        .join(Declaration, Submission.declaration_id == Declaration.id)
        .options(joinedload(Answer.institution), joinedload(Submission.declaration))
        .where(Answer.published_at.is_not(None), ~superseded, permissions.public_response_clause(Declaration))
        .order_by(Answer.published_at.desc(), Answer.id.desc()).limit(limit))]


def public_submissions(limit: int = 5) -> list[Submission]:
    """The latest submissions of public declarations, whose dossiers anyone may read (one query)."""
    return db.session.scalars(select(Submission).join(Declaration, Submission.declaration_id == Declaration.id)
                              .where(Declaration.visibility == "public")
                              .order_by(Submission.submitted_at.desc()).limit(limit)).all()
