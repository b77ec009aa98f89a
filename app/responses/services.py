"""The government's response and the follow-up: acknowledgement, answers (drafts, publication of the drafts
chosen on a confirmation page, revisions), implementation updates, the alliance's assessments, the
recommendation page and the tracker.

A submission itself never changes; everything here is added beside it.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, false, func, or_, select, update
from sqlalchemy.orm import joinedload

from app import permissions
from app.accounts.models import User
from app.audit.services import record
from app.choices import COMPLETION, IMPLEMENTATION_STATUSES, POSITIONS, Phase
from app.database import insert_unless_duplicate
from app.declarations.models import Declaration
from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.formatting import format_datetime_short
from app.institutions.models import Institution
from app.links import absolute_url
from app.notifications.services import notify_alliance
from app.responses import reasons
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.submissions.models import Submission, SubmissionClosure, SubmissionRecipient, SubmittedRecommendation
from app.submissions.services import require_follow_up_open
from app.time import local_date, utcnow

MAX_EXPLANATION = 5000
MAX_EVIDENCE = 5000
EARLIEST_ZONE = timedelta(hours=12)


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


def outside_remit(submitted: SubmittedRecommendation, institution_id: int) -> bool:
    """Whether the recommendation is addressed to other institutions only (one addressed to nobody in
    particular is every recipient's to answer)."""
    return bool(submitted.addressees) and institution_id not in submitted.addressees


def addressee_names(submission: Submission, submitted: SubmittedRecommendation) -> str:
    names = submission.institution_names
    return "; ".join(names.get(a, "?") for a in submitted.addressees)


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
                lead_institution_id: int | None, target_date: date | None, outside_remit_chosen: bool = False
                ) -> Answer:
    """Save the institution's draft answer to one recommendation (a new revision after publication).
    outside_remit_chosen: the reviewer ticked that they answer although the recommendation is not addressed to
    their institution; without it such an answer is refused."""
    recipient = _acknowledged(actor, submission)
    submitted = submitted_recommendation_for(submission, recommendation_id)
    outside = outside_remit(submitted, recipient.institution_id)
    if outside and not outside_remit_chosen:
        raise RuleError(_("Recommendation %(number)d is addressed to %(addressees)s, not to %(institution)s. To "
                          "answer it all the same, tick “Answer although it is not addressed to %(institution)s”.",
                          number=submitted.number, addressees=addressee_names(submission, submitted),
                          institution=recipient.institution.name))
    if position not in POSITIONS:
        raise RuleError(_("Choose a position."))
    explanation = (explanation or "").strip()
    if len(explanation) > MAX_EXPLANATION:
        raise RuleError(ngettext("The explanation is longer than %(num)d character.",
                                 "The explanation is longer than %(num)d characters.", MAX_EXPLANATION))
    lacking = reasons.problem(position, explanation, lead_institution_id, target_date)
    if lacking:
        raise RuleError(lacking[1])
    key = (Answer.item_id == submitted.id, Answer.institution_id == recipient.institution_id)
    _check_target_date(target_date, key)
    fields = {"position": position, "explanation": explanation, "lead_institution_id": _lead(lead_institution_id),
              "target_date": target_date, "author_id": actor.id, "updated_at": utcnow()}
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
           institution=recipient.institution_id, revision=draft.number, position=position,
           **({"outside_remit": True} if outside else {}))
    return draft


def _check_target_date(target_date: date | None, key) -> None:
    """A target date lies ahead, as implementation updates lie behind. "Today" is today somewhere on earth
    (the earliest calendar day of any time zone, UTC−12): a date that is today for the person typing it is
    never refused. The date an earlier revision already gave may stay as it is (it was ahead when it was set;
    a revision need not rewrite it)."""
    if target_date is None or target_date >= (utcnow() - EARLIEST_ZONE).date():
        return
    earlier = db.session.scalar(select(Answer.target_date).where(*key).order_by(Answer.number.desc()).limit(1))
    if earlier != target_date:
        raise RuleError(_("The target date %(date)s is in the past. Give today or a later date, or leave it empty.",
                          date=target_date.isoformat()))


def institution_drafts(submission: Submission, institution_id: int) -> list[Answer]:
    """The institution's draft answers in this submission, in recommendation order, with who last saved them:
    what the publication's confirmation page lists."""
    return db.session.scalars(
        select(Answer).join(SubmittedRecommendation, Answer.item_id == SubmittedRecommendation.id)
        .options(joinedload(Answer.author), joinedload(Answer.lead_institution))
        .where(SubmittedRecommendation.submission_id == submission.id, Answer.institution_id == institution_id,
               Answer.published_at.is_(None))
        .order_by(SubmittedRecommendation.number)).all()


def seen_stamp(answer: Answer) -> str:
    """What the confirmation page carries of each draft it shows: the moment it was last saved."""
    return answer.updated_at.isoformat(timespec="microseconds")


def _parse_stamp(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass
class DraftsChanged(RuleError):
    """Some chosen drafts changed or left since the confirmation page was shown: nothing was published."""
    changes: list[str] = field(default_factory=list)
    answer_ids: set[int] = field(default_factory=set)

    def __str__(self) -> str:
        return _("Nothing was published: %(changes)s Check the list again, then confirm.",
                 changes=" ".join(self.changes))


def publish(actor, submission: Submission, declaration: Declaration, seen: dict[int, str] | None = None) -> int:
    """Publish, together, the draft answers the reviewer chose on the confirmation page, and tell the alliance
    once. seen: answer id → the stamp (seen_stamp) of the draft as the page showed it; a chosen draft saved
    again, published or gone since is refused, and nothing is published. None publishes every draft of the
    institution as it stands (the demo data and the command line, where nobody is shown a page). Returns how
    many were published."""
    recipient = _acknowledged(actor, submission)
    mine = (SubmittedRecommendation.submission_id == submission.id, Answer.institution_id == recipient.institution_id)
    if seen is None:
        seen = {a.id: seen_stamp(a) for a in institution_drafts(submission, recipient.institution_id)}
    if not seen:
        raise RuleError(_("Choose at least one draft answer to publish."))
    stamps = {answer_id: _parse_stamp(stamp) for answer_id, stamp in seen.items()}
    lacking = db.session.scalars(select(SubmittedRecommendation.number).join(
        Answer, Answer.item_id == SubmittedRecommendation.id).where(
        *mine, Answer.id.in_(list(stamps)), Answer.published_at.is_(None), reasons.lacking(Answer))
        .order_by(SubmittedRecommendation.number)).all()
    if lacking:
        raise RuleError(reasons.unpublishable_message(lacking))
    now = utcnow()
    # One statement: only drafts still exactly as they were shown. A save racing it either landed before
    # (then its stamp no longer matches) or waits and finds the answer published (save_answer's own check).
    chosen = select(Answer.id).join(SubmittedRecommendation, Answer.item_id == SubmittedRecommendation.id).where(
        *mine, Answer.id.in_(list(stamps)))
    count = db.session.execute(update(Answer).where(
        Answer.id.in_(chosen.scalar_subquery()), Answer.published_at.is_(None),
        or_(false(), *(and_(Answer.id == answer_id, Answer.updated_at == stamp)
                       for answer_id, stamp in stamps.items() if stamp is not None)))
        .values(published_at=now, published_by_id=actor.id).execution_options(synchronize_session=False)).rowcount
    if count != len(stamps):
        raise _what_changed(submission, recipient.institution_id, stamps, now)
    db.session.execute(update(SubmissionRecipient).where(
        SubmissionRecipient.submission_id == submission.id,
        SubmissionRecipient.institution_id == recipient.institution_id,
        SubmissionRecipient.first_published_at.is_(None)).values(first_published_at=now))
    db.session.execute(update(Declaration).where(Declaration.id == declaration.id,
                                                 Declaration.phase == Phase.SUBMITTED)
                       .values(phase=Phase.RESPONDED, updated_at=now))
    db.session.expire_all()
    published = db.session.execute(
        select(Answer.id, SubmittedRecommendation.number, SubmittedRecommendation.addressees, Answer.position,
               Answer.explanation, Answer.number.label("revision"))
        .join(Answer, Answer.item_id == SubmittedRecommendation.id)
        .where(*mine, Answer.published_at == now, Answer.id.in_(list(stamps)))
        .order_by(SubmittedRecommendation.number)).all()
    record(actor, "answers_published", submission, institution=recipient.institution_id, count=count,
           answers=[row.id for row in published], recommendations=[row.number for row in published])
    institution = db.session.get(Institution, recipient.institution_id)
    names = submission.institution_names
    answers = [{"number": row.number, "position": row.position, "explanation": row.explanation,
                "addressed_to": "; ".join(names.get(a, "?") for a in row.addressees)
                if row.addressees and institution.id not in row.addressees else ""} for row in published]
    notify_alliance("answers_published", lambda: (
        _("%(institution)s published answers on %(title)s", institution=institution.name, title=declaration.title),
        render_template("notifications/answers_published.txt", declaration=declaration, institution=institution,
                        count=count, answers=answers)),
        absolute_url("responses.tracker", declaration=declaration.id))
    return count


def _what_changed(submission: Submission, institution_id: int, stamps: dict[int, datetime | None],
                  now: datetime) -> DraftsChanged:
    """Why the chosen drafts could not all be published, one sentence per draft that moved on."""
    rows = {row.id: row for row in db.session.execute(
        select(Answer.id, Answer.updated_at, Answer.published_at, SubmittedRecommendation.number,
               Answer.author_id)
        .join(SubmittedRecommendation, Answer.item_id == SubmittedRecommendation.id)
        .where(SubmittedRecommendation.submission_id == submission.id, Answer.institution_id == institution_id,
               Answer.id.in_(list(stamps))))}
    changes, moved = [], set()
    for answer_id, stamp in stamps.items():
        row = rows.get(answer_id)
        if row is None:
            changes.append(_("One of the drafts you chose is no longer there."))
        elif row.published_at is not None and row.published_at != now:
            changes.append(_("The draft answer to recommendation %(number)d was published by someone else a moment "
                             "ago.", number=row.number))
        elif stamp is None or (row.published_at is None and row.updated_at != stamp):
            author = db.session.get(User, row.author_id)
            changes.append(_("The draft answer to recommendation %(number)d was saved again by %(name)s at "
                             "%(time)s.", number=row.number, name=author.name if author else "?",
                             time=format_datetime_short(row.updated_at)))
        else:
            continue
        moved.add(answer_id)
    if not changes:  # nothing to point at (cannot happen short of a clock going backwards): refuse all the same
        changes.append(_("The drafts changed since this page was shown."))
    return DraftsChanged(changes=changes, answer_ids=moved)


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
        raise RuleError(ngettext("The evidence is longer than %(num)d character.",
                                 "The evidence is longer than %(num)d characters.", MAX_EVIDENCE))
    entry = ImplementationUpdate(item_id=submitted.id, institution_id=recipient.institution_id, status=status,
                                 evidence=evidence, happened_on=happened_on, author_id=actor.id)
    db.session.add(entry)
    db.session.flush()
    record(actor, "implementation_update_posted", submission, recommendation=submitted.recommendation_id,
           institution=recipient.institution_id, status=status)
    return entry


def assess(actor, submission: Submission, recommendation_id: int | None, *, rating: str, notes: str) -> Assessment:
    """Publish the alliance's assessment of one recommendation on the completion scale (choices.COMPLETION); the
    earlier ones stay as its history, those in the words used before the scale included."""
    if not permissions.can_assess(actor):
        raise NotAllowed()
    require_follow_up_open(submission)
    submitted = submitted_recommendation_for(submission, recommendation_id)
    if rating not in COMPLETION:
        raise RuleError(_("Choose the alliance's assessment."))
    notes = (notes or "").strip()
    if len(notes) > MAX_EVIDENCE:
        raise RuleError(ngettext("The notes are longer than %(num)d character.",
                                 "The notes are longer than %(num)d characters.", MAX_EVIDENCE))
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


def unanswered_stamp(rows: list[tuple[str, int]]) -> str:
    """What the close page shows unanswered, as one string its form carries back."""
    return ";".join(f"{name}={count}" for name, count in rows) or "none"


def close_followup(actor, submission: Submission, reason: str, *, expected_unanswered: str | None = None) -> None:
    """Close the follow-up; with expected_unanswered (what the confirmation page showed), not when answers
    were published since."""
    if not permissions.can_assess(actor):
        raise NotAllowed()
    if expected_unanswered is not None and unanswered_stamp(unanswered(submission)) != expected_unanswered:
        raise RuleError(_("Answers were published after this page was opened. Check what stays unanswered now and "
                          "confirm again."))
    # The lock every addition takes first (require_follow_up_open): one that started before waits for us.
    db.session.execute(select(Submission.id).where(Submission.id == submission.id).with_for_update())
    done = db.session.execute(insert_unless_duplicate(SubmissionClosure).values(
        submission_id=submission.id, closed_at=utcnow(), closed_by_id=actor.id, reason=(reason or "").strip())
        .returning(SubmissionClosure.submission_id)).scalar()
    if done is None:
        raise RuleError(_("The follow-up of this submission is already closed."))
    record(actor, "followup_closed", submission, reason=(reason or "").strip())
