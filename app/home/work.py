"""The home page's work queues for coordinators, translators and reviewers (see app/home/needs.py): grouped
counts, a constant number of queries each."""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from app.amendments.models import Amendment
from app.choices import AmendmentStatus, CommentStatus, Phase, SignatureStatus
from app.comments.models import Comment, CommentFlag
from app.declarations.languages import waiting_clause
from app.declarations.models import Declaration, DeclarationTranslator, Recommendation, Section
from app.extensions import db
from app.organizations.models import Organization
from app.responses.models import Answer, ImplementationUpdate
from app.signatures.models import Signature
from app.submissions.models import Submission, SubmissionClosure, SubmissionRecipient, SubmittedRecommendation
from app.time import utcnow

UPDATE_DUE_WITHIN = timedelta(days=30)


@dataclass
class SignonProgress:
    declaration: Declaration
    organizations: int  # member organizations whose signature counts
    outside: int  # organizations outside the alliance whose signature was approved
    individuals: int
    pending: int  # signatures waiting for verification or approval
    days_left: int | None


@dataclass
class FollowUp:
    submission: Submission
    recipients: int
    acknowledged: int
    answered: int  # institutions that published answers


def moderation_counts() -> dict[str, int]:
    """Comments held for moderation, and published comments with open flags (one query)."""
    flagged = select(CommentFlag.comment_id).where(CommentFlag.resolved_at.is_(None))
    row = db.session.execute(select(
        select(func.count()).select_from(Comment).where(
            Comment.deleted_at.is_(None), Comment.status == CommentStatus.PENDING).scalar_subquery(),
        select(func.count()).select_from(Comment).where(
            Comment.deleted_at.is_(None), Comment.status == CommentStatus.PUBLISHED,
            Comment.id.in_(flagged)).scalar_subquery())).one()
    return {"pending": row[0], "flagged": row[1]}


def texts_in_progress() -> list[Declaration]:
    """Declarations being drafted or revised: the next step (open the consultation, open sign-on) is the
    secretariat's (one query)."""
    return db.session.scalars(select(Declaration).where(Declaration.phase.in_((Phase.DRAFTING, Phase.REVISION)))
                              .order_by(Declaration.updated_at.desc())).all()


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


def amendments_waiting() -> list[tuple[Declaration, int]]:
    """Undecided, visible amendments, by declaration (one query)."""
    rows = db.session.execute(
        select(Declaration, func.count(Amendment.id)).join(Amendment, Amendment.declaration_id == Declaration.id)
        .where(Amendment.status == AmendmentStatus.PENDING, Amendment.hidden_at.is_(None),
               Declaration.phase.in_((Phase.CONSULTATION, Phase.REVISION)))
        .group_by(Declaration.id).order_by(Declaration.id)).all()
    return [(declaration, count) for declaration, count in rows]


def signon_progress(signon: list[Declaration]) -> list[SignonProgress]:
    """Per declaration in sign-on: organizations and individuals whose signatures count, those still to
    verify or approve, and the days left (one query)."""
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
        days_left=max(0, (d.signon_deadline - now).days) if d.signon_deadline else None) for d in signon]


def follow_ups() -> list[FollowUp]:
    """Submissions whose follow-up is open and where an addressed institution has not yet acknowledged
    or published its answers (one query)."""
    rows = db.session.execute(
        select(Submission, func.count(), func.count(SubmissionRecipient.acknowledged_at),
               func.count(SubmissionRecipient.first_published_at))
        .join(SubmissionRecipient, SubmissionRecipient.submission_id == Submission.id)
        .outerjoin(SubmissionClosure, SubmissionClosure.submission_id == Submission.id)
        .where(SubmissionClosure.submission_id.is_(None))
        .group_by(Submission.id).order_by(Submission.submitted_at.desc())).all()
    return [FollowUp(s, total, acknowledged, answered) for s, total, acknowledged, answered in rows
            if acknowledged < total or answered < total]


@dataclass
class ReviewerQueue:
    submission: Submission
    recipient: SubmissionRecipient
    items: int
    answered: int  # recommendations with a published answer from this institution


def reviewer_queue(user) -> list[ReviewerQueue]:
    """The submissions addressed to this reviewer's institution, with how many recommendations still have no
    published answer from it (two queries)."""
    if user.institution_id is None:
        return []
    mine = user.institution_id
    rows = db.session.execute(
        select(Submission, SubmissionRecipient)
        .join(SubmissionRecipient, and_(SubmissionRecipient.submission_id == Submission.id,
                                        SubmissionRecipient.institution_id == mine))
        .options(joinedload(Submission.declaration)).order_by(Submission.submitted_at.desc())).all()
    if not rows:
        return []
    answered = func.count(func.distinct(Answer.item_id))
    counts = {row[0]: (row[1], row[2]) for row in db.session.execute(
        select(SubmittedRecommendation.submission_id, func.count(func.distinct(SubmittedRecommendation.id)), answered)
        .outerjoin(Answer, and_(Answer.item_id == SubmittedRecommendation.id, Answer.institution_id == mine,
                                Answer.published_at.is_not(None)))
        .where(SubmittedRecommendation.submission_id.in_([s.id for s, _r in rows]))
        .group_by(SubmittedRecommendation.submission_id))}
    return [ReviewerQueue(s, r, *counts.get(s.id, (0, 0))) for s, r in rows]


def updates_due(user, today: date | None = None) -> list[tuple[Answer, SubmittedRecommendation]]:
    """This institution's published answers whose target date has passed or comes within 30 days, for
    recommendations it has not reported implemented (one query)."""
    if user.institution_id is None:
        return []
    today = today or utcnow().date()
    implemented = select(ImplementationUpdate.item_id).where(
        ImplementationUpdate.institution_id == user.institution_id, ImplementationUpdate.status == "implemented")
    rows = db.session.execute(
        select(Answer, SubmittedRecommendation).join(SubmittedRecommendation,
                                                     Answer.item_id == SubmittedRecommendation.id)
        .options(joinedload(SubmittedRecommendation.submission))
        .where(Answer.institution_id == user.institution_id, Answer.published_at.is_not(None),
               Answer.item_id.not_in(implemented))
        .order_by(Answer.number.desc())).all()
    latest = {}
    for answer, item in rows:  # the newest published answer of each recommendation says the target date
        latest.setdefault(item.id, (answer, item))
    due = [(a, item) for a, item in latest.values()
           if a.target_date is not None and a.target_date <= today + UPDATE_DUE_WITHIN]
    return sorted(due, key=lambda pair: pair[0].target_date)
