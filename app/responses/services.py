"""The government's response and the follow-up: acknowledgement, answers (drafts, publication all at once,
revisions), implementation updates, the alliance's assessments, the recommendation page and the tracker.

A submission itself never changes; everything here is added beside it.
"""
from datetime import date

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app import permissions
from app.audit.services import record
from app.choices import ASSESSMENTS, IMPLEMENTATION_STATUSES, POSITIONS, Phase
from app.declarations.models import Declaration
from app.errors import NotAllowed, RuleError
from app.extensions import db, insert_unless_duplicate
from app.institutions.models import Institution
from app.links import absolute_url
from app.notifications.services import notify_alliance
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.submissions.models import Submission, SubmissionClosure, SubmissionRecipient, SubmittedRecommendation
from app.submissions.services import require_follow_up_open
from app.time import local_date, utcnow

MAX_EXPLANATION = 5000
MAX_EVIDENCE = 5000


# --- rules -----------------------------------------------------------------------------------

def _respondent(actor, submission: Submission) -> SubmissionRecipient:
    """The actor's institution as a recipient of this submission (or NotAllowed)."""
    if not permissions.can_respond(actor, submission.institution_ids):
        raise NotAllowed()
    return submission.recipient(actor.institution_id)


def _acknowledged(actor, submission: Submission) -> SubmissionRecipient:
    recipient = _respondent(actor, submission)
    require_follow_up_open(submission)
    if recipient.acknowledged_at is None:
        raise RuleError(_("Acknowledge receipt of the submission first; then you can answer."))
    return recipient


def submitted_recommendation_for(submission: Submission,
                                 recommendation_id: int | None) -> SubmittedRecommendation:
    """The submitted recommendation, or a clear refusal when it is not part of this submission."""
    submitted = db.session.scalar(select(SubmittedRecommendation).where(
        SubmittedRecommendation.submission_id == submission.id,
        SubmittedRecommendation.recommendation_id == recommendation_id)) if recommendation_id else None
    if submitted is None:
        raise RuleError(_("That recommendation is not part of this submission. Nothing was changed."))
    return submitted


def has_published_answer(submitted: SubmittedRecommendation, institution_id: int) -> bool:
    return db.session.scalar(select(Answer.id).where(
        Answer.item_id == submitted.id, Answer.institution_id == institution_id,
        Answer.published_at.is_not(None)).limit(1)) is not None


def _lead(institution_id: int | None) -> int | None:
    if institution_id is None:
        return None
    if db.session.get(Institution, institution_id) is None:
        raise RuleError(_("Choose the lead institution from the list."))
    return institution_id


# --- acknowledging and answering ---------------------------------------------------------------

def acknowledge(actor, submission: Submission, declaration: Declaration) -> bool:
    """Log receipt for the actor's institution; False when it was already acknowledged."""
    recipient = _respondent(actor, submission)
    require_follow_up_open(submission)
    now = utcnow()
    done = db.session.execute(update(SubmissionRecipient).where(
        SubmissionRecipient.submission_id == submission.id,
        SubmissionRecipient.institution_id == recipient.institution_id,
        SubmissionRecipient.acknowledged_at.is_(None)).values(acknowledged_at=now, acknowledged_by_id=actor.id)
    ).rowcount
    if not done:
        return False
    db.session.refresh(recipient)
    record(actor, "submission_acknowledged", submission, institution=recipient.institution_id)
    notify_alliance("acknowledged", lambda: (
        _("%(institution)s acknowledged receipt of %(title)s", institution=recipient.institution.name,
          title=declaration.title),
        render_template("notifications/acknowledged.txt", declaration=declaration, recipient=recipient)),
        absolute_url("submissions.dossier", submission_id=submission.id))
    return True


def save_answer(actor, submission: Submission, recommendation_id: int | None, *, position: str, explanation: str,
                lead_institution_id: int | None, target_date: date | None) -> Answer:
    """Save the institution's draft answer to one recommendation (a new revision after publication)."""
    recipient = _acknowledged(actor, submission)
    submitted = submitted_recommendation_for(submission, recommendation_id)
    if position not in POSITIONS:
        raise RuleError(_("Choose a position."))
    explanation = (explanation or "").strip()
    if len(explanation) > MAX_EXPLANATION:
        raise RuleError(_("The explanation is longer than %(max)d characters.", max=MAX_EXPLANATION))
    fields = {"position": position, "explanation": explanation, "lead_institution_id": _lead(lead_institution_id),
              "target_date": target_date, "author_id": actor.id, "updated_at": utcnow()}
    key = (Answer.item_id == submitted.id, Answer.institution_id == recipient.institution_id)
    draft = db.session.scalar(select(Answer).where(*key, Answer.published_at.is_(None)))
    if draft is None:
        number = (db.session.scalar(select(func.max(Answer.number)).where(*key)) or 0) + 1
        new_id = db.session.execute(insert_unless_duplicate(Answer).values(
            item_id=submitted.id, institution_id=recipient.institution_id, number=number, created_at=utcnow(), **fields)
            .returning(Answer.id)).scalar()
        if new_id is not None:
            draft = db.session.get(Answer, new_id)
        else:  # another reviewer of the institution started the draft a moment ago: this edit goes into it
            draft = db.session.scalar(select(Answer).where(*key, Answer.published_at.is_(None)))
            if draft is None:
                raise RuleError(_("Someone else published the answers a moment ago. Save your answer again."))
    # Only a draft is ever rewritten: the update holds on the state it was read in, so a publication that
    # landed since (another tab, another reviewer) makes it a no-op, and the reviewer is asked to save
    # again — which then starts a new revision beside the published answer.
    changed = db.session.execute(update(Answer).where(Answer.id == draft.id, Answer.published_at.is_(None))
                                 .values(**fields).execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise RuleError(_("Someone else published the answers a moment ago. Save your answer again."))
    db.session.refresh(draft)
    record(actor, "answer_drafted", submission, recommendation=submitted.recommendation_id,
           institution=recipient.institution_id, revision=draft.number, position=position)
    return draft


def publish(actor, submission: Submission, declaration: Declaration) -> int:
    """Publish every draft answer of the actor's institution at once. Returns how many."""
    recipient = _acknowledged(actor, submission)
    drafts = select(Answer.id).join(SubmittedRecommendation, Answer.item_id == SubmittedRecommendation.id).where(
        SubmittedRecommendation.submission_id == submission.id, Answer.institution_id == recipient.institution_id,
        Answer.published_at.is_(None))
    now = utcnow()
    count = db.session.execute(update(Answer).where(Answer.id.in_(drafts.scalar_subquery()),
                                                    Answer.published_at.is_(None))
                               .values(published_at=now, published_by_id=actor.id)
                               .execution_options(synchronize_session=False)).rowcount
    if not count:
        raise RuleError(_("There are no draft answers to publish."))
    db.session.execute(update(SubmissionRecipient).where(
        SubmissionRecipient.submission_id == submission.id,
        SubmissionRecipient.institution_id == recipient.institution_id,
        SubmissionRecipient.first_published_at.is_(None)).values(first_published_at=now))
    db.session.execute(update(Declaration).where(Declaration.id == declaration.id,
                                                 Declaration.phase == Phase.SUBMITTED)
                       .values(phase=Phase.RESPONDED, updated_at=now))
    db.session.expire_all()
    record(actor, "answers_published", submission, institution=recipient.institution_id, count=count)
    institution = db.session.get(Institution, recipient.institution_id)
    published = db.session.execute(
        select(SubmittedRecommendation.number, Answer.position, Answer.explanation)
        .join(Answer, Answer.item_id == SubmittedRecommendation.id)
        .where(SubmittedRecommendation.submission_id == submission.id,
               Answer.institution_id == recipient.institution_id, Answer.published_at == now)
        .order_by(SubmittedRecommendation.number)).all()
    notify_alliance("answers_published", lambda: (
        _("%(institution)s published answers on %(title)s", institution=institution.name, title=declaration.title),
        render_template("notifications/answers_published.txt", declaration=declaration, institution=institution,
                        count=count, answers=published)),
        absolute_url("responses.tracker", declaration=declaration.id))
    return count


# --- follow-up -------------------------------------------------------------------------------

def post_update(actor, submission: Submission, recommendation_id: int | None, *, status: str, evidence: str,
                happened_on: date | None) -> ImplementationUpdate:
    recipient = _acknowledged(actor, submission)
    submitted = submitted_recommendation_for(submission, recommendation_id)
    # Progress is reported on a published position; before that it would show beside no answer.
    if not has_published_answer(submitted, recipient.institution_id):
        raise RuleError(_("Publish your answer to this recommendation first; then you can report its progress."))
    if status not in IMPLEMENTATION_STATUSES:
        raise RuleError(_("Choose a status."))
    if happened_on is None or happened_on > local_date(utcnow()):
        raise RuleError(_("Give the date of this update; it cannot be in the future."))
    evidence = (evidence or "").strip()
    if len(evidence) > MAX_EVIDENCE:
        raise RuleError(_("The evidence is longer than %(max)d characters.", max=MAX_EVIDENCE))
    entry = ImplementationUpdate(item_id=submitted.id, institution_id=recipient.institution_id, status=status,
                                 evidence=evidence, happened_on=happened_on, author_id=actor.id)
    db.session.add(entry)
    db.session.flush()
    record(actor, "implementation_update_posted", submission, recommendation=submitted.recommendation_id,
           institution=recipient.institution_id, status=status)
    return entry


def assess(actor, submission: Submission, recommendation_id: int | None, *, rating: str, notes: str) -> Assessment:
    """Publish the alliance's assessment of one recommendation; the earlier ones stay as its history."""
    if not permissions.can_assess(actor):
        raise NotAllowed()
    require_follow_up_open(submission)
    submitted = submitted_recommendation_for(submission, recommendation_id)
    if rating not in ASSESSMENTS:
        raise RuleError(_("Choose the alliance's assessment."))
    notes = (notes or "").strip()
    if len(notes) > MAX_EVIDENCE:
        raise RuleError(_("The notes are longer than %(max)d characters.", max=MAX_EVIDENCE))
    entry = Assessment(item_id=submitted.id, rating=rating, notes=notes, author_id=actor.id)
    db.session.add(entry)
    db.session.flush()
    record(actor, "assessment_published", submission, recommendation=submitted.recommendation_id, rating=rating)
    return entry


def unanswered(submission: Submission) -> list[tuple[str, int]]:
    """Per recipient institution, how many recommendations it has not yet published an answer to (what the
    alliance can see already; drafts stay the institution's own)."""
    total = db.session.scalar(select(func.count(SubmittedRecommendation.id))
                              .where(SubmittedRecommendation.submission_id == submission.id))
    answered = dict(db.session.execute(
        select(Answer.institution_id, func.count(func.distinct(Answer.item_id)))
        .join(SubmittedRecommendation, Answer.item_id == SubmittedRecommendation.id)
        .where(SubmittedRecommendation.submission_id == submission.id, Answer.published_at.is_not(None))
        .group_by(Answer.institution_id)).all())
    return [(r.institution.name, total - answered.get(r.institution_id, 0)) for r in submission.recipients
            if total - answered.get(r.institution_id, 0)]


def close_followup(actor, submission: Submission, reason: str) -> None:
    if not permissions.can_assess(actor):
        raise NotAllowed()
    # The lock every addition takes first (require_follow_up_open): one that started before waits for us.
    db.session.execute(select(Submission.id).where(Submission.id == submission.id).with_for_update())
    done = db.session.execute(insert_unless_duplicate(SubmissionClosure).values(
        submission_id=submission.id, closed_at=utcnow(), closed_by_id=actor.id, reason=(reason or "").strip())
        .returning(SubmissionClosure.submission_id)).scalar()
    if done is None:
        raise RuleError(_("The follow-up of this submission is already closed."))
    record(actor, "followup_closed", submission, reason=(reason or "").strip())
