"""The home page's work queues for coordinators, translators and reviewers (see app/home/needs.py): grouped
counts, a constant number of queries each."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from app.amendments.models import Amendment
from app.choices import AmendmentStatus, CommentStatus, Phase, SignatureStatus
from app.comments.models import Comment, CommentFlag
from app.declarations.languages import waiting_clause
from app.declarations.models import Declaration, DeclarationTranslator, Recommendation, Section
from app.extensions import db
from app.home.needs import LISTED, Listed, counted_up_to, listed
from app.organizations.models import Organization
from app.responses import tracker
from app.responses.models import Answer
from app.signatures.models import Signature
from app.submissions.models import (
    RecipientDeadline,
    Submission,
    SubmissionClosure,
    SubmissionRecipient,
    SubmittedRecommendation,
)
from app.time import utcnow

# Overdue implementation updates are counted up to this many on the reviewer's home (the tracker counts them all).
DUE_COUNTED = 100


@dataclass
class SignonProgress:
    declaration: Declaration
    organizations: int  # member organizations whose signature counts
    outside: int  # organizations outside the alliance whose signature was approved
    individuals: int
    pending: int  # signatures waiting for verification or approval
    days_left: int | None
    closed: bool = False  # the deadline has passed: it waits to be submitted


@dataclass
class FollowUp:
    submission: Submission
    recipients: int
    acknowledged: int
    answered: int  # institutions that published answers


def moderation_counts() -> dict[str, int]:
    """Comments held for moderation, and published comments with open flags (one query; each count reads the
    comments it counts, by ix_comments_status and the open flags)."""
    row = db.session.execute(select(
        select(func.count()).select_from(Comment).where(
            Comment.deleted_at.is_(None), Comment.status == CommentStatus.PENDING).scalar_subquery(),
        select(func.count(func.distinct(CommentFlag.comment_id))).join(Comment, CommentFlag.comment_id == Comment.id)
        .where(CommentFlag.resolved_at.is_(None), Comment.deleted_at.is_(None),
               Comment.status == CommentStatus.PUBLISHED).scalar_subquery())).one()
    return {"pending": row[0], "flagged": row[1]}


def texts_in_progress() -> Listed:
    """Declarations being drafted or revised: the next step (open the consultation, open sign-on) is the
    secretariat's. The most recently changed first (one query, the total with it)."""
    return listed(select(Declaration).where(Declaration.phase.in_((Phase.DRAFTING, Phase.REVISION)))
                  .order_by(Declaration.updated_at.desc(), Declaration.id.desc()))


def translation_waiting(declarations: list[Declaration]) -> dict[int, int]:
    """For the bilingual ones among these declarations, how many parts need translation or are not translated
    yet (the title and summary count as one): two grouped queries, however many parts."""
    bilingual = {d.id: d for d in declarations if d.bilingual}
    if not bilingual:
        return {}
    waiting = {d.id: int(d.title_needs_translation is not None or not d.title_translation)
               for d in bilingual.values()}
    for model in (Section, Recommendation):
        for declaration_id, count in db.session.execute(
                select(model.declaration_id, func.count()).where(
                    model.declaration_id.in_(bilingual), waiting_clause(model))
                .group_by(model.declaration_id)):
            waiting[declaration_id] += count
    return {declaration_id: count for declaration_id, count in waiting.items() if count}


def waiting_for_translator(user) -> list[tuple[Declaration, int]]:
    """The declarations in drafting or revision this person translates, with how many parts wait for their
    translation: not translated yet, or changed in the original since (the title and summary count as one).
    One query, however many declarations and parts."""
    def lagging(model):
        return (select(func.count()).select_from(model)
                .where(model.declaration_id == Declaration.id, model.deleted_at.is_(None),
                       model.translation_revision_id.is_(None)
                       | (model.needs_translation == Declaration.translation_language))
                .correlate(Declaration).scalar_subquery())
    title = case((or_(Declaration.title_translation == "",
                      Declaration.title_needs_translation == Declaration.translation_language), 1), else_=0)
    rows = db.session.execute(
        select(Declaration, title + lagging(Section) + lagging(Recommendation))
        .join(DeclarationTranslator, and_(DeclarationTranslator.declaration_id == Declaration.id,
                                          DeclarationTranslator.user_id == user.id))
        .where(Declaration.phase.in_((Phase.DRAFTING, Phase.REVISION)), Declaration.translation_language.is_not(None))
        .order_by(Declaration.updated_at.desc(), Declaration.id)).all()
    return [(declaration, count) for declaration, count in rows if count]


def amendments_waiting() -> Listed:
    """Undecided, visible amendments, by declaration; the total is of declarations (one query)."""
    return listed(
        select(Declaration, func.count(Amendment.id)).join(Amendment, Amendment.declaration_id == Declaration.id)
        .where(Amendment.status == AmendmentStatus.PENDING, Amendment.hidden_at.is_(None),
               Declaration.phase.in_((Phase.CONSULTATION, Phase.REVISION)))
        .group_by(Declaration.id).order_by(Declaration.id))


def signon_progress(signon: list[Declaration]) -> list[SignonProgress]:
    """Per declaration in sign-on shown (needs.in_signon: the first few still open): organizations and
    individuals whose signatures count, those still to verify or approve, and the days left (one query)."""
    if not signon:
        return []
    counts = {}
    # Grouped by plain columns (PostgreSQL would not match a grouped expression with parameters to the
    # selected one); "counted" is then verified_clause() worked out here: an expert, a verified member
    # organization, or an approved outside one.
    outside, approved = Signature.open_request_id.is_not(None), Signature.approved_at.is_not(None)
    for declaration_id, capacity, verified, is_outside, is_approved, count in db.session.execute(
            select(Signature.declaration_id, Signature.capacity, Organization.verified, outside, approved,
                   func.count(Signature.id))
            .outerjoin(Organization, Signature.organization_id == Organization.id)
            .where(Signature.declaration_id.in_([d.id for d in signon]), Signature.status == SignatureStatus.ACTIVE)
            .group_by(Signature.declaration_id, Signature.capacity, Organization.verified, outside, approved)):
        counted = capacity == "individual" or bool(verified) or (is_outside and is_approved)
        key = (declaration_id, "outside" if is_outside else capacity, counted)
        counts[key] = counts.get(key, 0) + count
    now = utcnow()
    return [SignonProgress(
        declaration=d, organizations=counts.get((d.id, "organization", True), 0),
        outside=counts.get((d.id, "outside", True), 0), individuals=counts.get((d.id, "individual", True), 0),
        pending=sum(counts.get((d.id, kind, False), 0) for kind in ("organization", "outside", "individual")),
        days_left=max(0, (d.signon_deadline - now).days) if d.signon_deadline else None,
        closed=d.signon_deadline is not None and d.signon_deadline <= now) for d in signon]


def follow_ups() -> Listed:
    """Submissions whose follow-up is open and where an addressed institution has not yet acknowledged
    or published its answers, newest first (one query, the total with it)."""
    total, acknowledged = func.count(), func.count(SubmissionRecipient.acknowledged_at)
    answered = func.count(SubmissionRecipient.first_published_at)
    rows = listed(
        select(Submission, total, acknowledged, answered)
        .join(SubmissionRecipient, SubmissionRecipient.submission_id == Submission.id)
        .outerjoin(SubmissionClosure, SubmissionClosure.submission_id == Submission.id)
        .where(SubmissionClosure.submission_id.is_(None))
        .group_by(Submission.id).having(or_(acknowledged < total, answered < total))
        .order_by(Submission.submitted_at.desc(), Submission.id.desc()))
    return Listed([FollowUp(*row) for row in rows], rows.total)


@dataclass
class ReviewerQueue:
    submission: Submission
    recipient: SubmissionRecipient
    deadline: RecipientDeadline | None  # none for a submission made before there were deadlines
    items: int
    answered: int  # recommendations with a published answer from this institution


def reviewer_queue(user) -> Listed:
    """The submissions that still need this reviewer's institution: follow-up open, and receipt not
    acknowledged or a recommendation without a published answer from it. Newest first, with the institution's
    deadlines and how many recommendations still have no published answer (two queries; a third when none
    waits, to tell "nothing yet" from "nothing now": Listed.ever)."""
    if user.institution_id is None:
        return Listed()
    mine = user.institution_id
    answer = select(Answer.id).where(Answer.item_id == SubmittedRecommendation.id, Answer.institution_id == mine,
                                     Answer.published_at.is_not(None)).exists()
    unanswered = select(SubmittedRecommendation.id).where(SubmittedRecommendation.submission_id == Submission.id,
                                                          ~answer).exists()
    rows = listed(
        select(Submission, SubmissionRecipient, RecipientDeadline)
        .join(SubmissionRecipient, and_(SubmissionRecipient.submission_id == Submission.id,
                                        SubmissionRecipient.institution_id == mine))
        .outerjoin(RecipientDeadline, and_(RecipientDeadline.submission_id == Submission.id,
                                           RecipientDeadline.institution_id == mine))
        .outerjoin(SubmissionClosure, SubmissionClosure.submission_id == Submission.id)
        .where(SubmissionClosure.submission_id.is_(None),
               or_(SubmissionRecipient.acknowledged_at.is_(None), unanswered))
        .options(joinedload(Submission.declaration))
        .order_by(Submission.submitted_at.desc(), Submission.id.desc()))
    if not rows:
        rows.ever = db.session.scalar(select(SubmissionRecipient.submission_id).where(
            SubmissionRecipient.institution_id == mine).limit(1)) is not None
        return rows
    answered = func.count(func.distinct(Answer.item_id))
    counts = {row[0]: (row[1], row[2]) for row in db.session.execute(  # over the few shown, not the history
        select(SubmittedRecommendation.submission_id, func.count(func.distinct(SubmittedRecommendation.id)), answered)
        .outerjoin(Answer, and_(Answer.item_id == SubmittedRecommendation.id, Answer.institution_id == mine,
                                Answer.published_at.is_not(None)))
        .where(SubmittedRecommendation.submission_id.in_([s.id for s, _r, _d in rows]))
        .group_by(SubmittedRecommendation.submission_id))}
    return Listed([ReviewerQueue(s, r, d, *counts.get(s.id, (0, 0))) for s, r, d in rows], rows.total)


def updates_due(user, today: date | None = None) -> Listed:
    """This institution's recommendations whose newest published answer from it sets a target date passed or
    within 30 days, and which it has not reported implemented (responses.tracker.due, the tracker's ?due=1);
    soonest target date first, counted up to DUE_COUNTED (two queries; ix_answers_institution_target finds
    the answers by target date)."""
    if user.institution_id is None:
        return Listed()
    due = tracker.due(Answer, user.institution_id, today or utcnow().date())
    rows = db.session.execute(
        select(Answer, SubmittedRecommendation).join(SubmittedRecommendation,
                                                     Answer.item_id == SubmittedRecommendation.id)
        .options(joinedload(SubmittedRecommendation.submission))
        .where(*due).order_by(Answer.target_date, Answer.id).limit(LISTED)).all()
    return counted_up_to(DUE_COUNTED, [tuple(row) for row in rows], select(Answer.id).where(*due))
