"""Reading the government's response: a reviewer's answers, the submissions addressed to them, a
recommendation's whole record, the published positions beside the text and statistics (the tracker is
app/responses/tracker.py)."""

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import aliased, joinedload

from app import permissions
from app.choices import ASSESSMENTS, COMPLETION, IMPLEMENTATION_STATUSES, POSITIONS, SUBMITTED_PHASES, CommentStatus
from app.comments.models import Comment
from app.database import json_list_contains
from app.declarations.classification import VOCABULARIES
from app.declarations.models import Declaration
from app.extensions import db
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.responses.tracker import current_answer
from app.signatures.models import Reservation, Signature
from app.submissions.models import Submission, SubmissionSignature, SubmittedRecommendation
from app.submissions.services import submission_for, submitted_recommendations


def institution_answers(submission: Submission, institution_id: int) -> dict[int, dict]:
    """For a reviewer's workspace: item id → {"draft": …, "published": the latest published revision}."""
    rows = db.session.scalars(
        select(Answer).join(SubmittedRecommendation, Answer.item_id == SubmittedRecommendation.id)
        .where(SubmittedRecommendation.submission_id == submission.id, Answer.institution_id == institution_id)
        .order_by(Answer.number)).all()
    answers: dict[int, dict] = {}
    for answer in rows:
        slot = answers.setdefault(answer.item_id, {"draft": None, "published": None})
        slot["draft" if answer.published_at is None else "published"] = answer
    return answers


# What the answer form shows of what the alliance said about the recommendation, at most, with the count of
# all: the page costs what it shows (the comments' own page is paged and holds them all).
SAID_SHOWN = 20


def reservations_on(user, submission: Submission, item: SubmittedRecommendation,
                    limit: int = SAID_SHOWN) -> tuple[list[tuple[Signature, str]], int]:
    """The reservations on this recommendation of the signatures counted in the submission, of those signers
    this person sees named (permissions.signer_visible_clause): reservations follow the name, so a hidden
    signer's reservation is not shown at all. The first `limit` in signing order, and how many there are."""
    where = (Reservation.recommendation_id == item.recommendation_id,
             permissions.signer_visible_clause(user, Signature, submission.institution_ids))
    counted = (select(Reservation.id).join(Signature, Reservation.signature_id == Signature.id)
               .join(SubmissionSignature, (SubmissionSignature.signature_id == Signature.id)
                     & (SubmissionSignature.submission_id == submission.id)))
    total = db.session.scalar(select(func.count()).select_from(counted.where(*where).subquery()))
    if not total:
        return [], 0
    rows = db.session.execute(
        select(Signature, Reservation.text).join(Reservation, Reservation.signature_id == Signature.id)
        .join(SubmissionSignature, (SubmissionSignature.signature_id == Signature.id)
              & (SubmissionSignature.submission_id == submission.id))
        .options(joinedload(Signature.organization), joinedload(Signature.open_request))
        .where(*where).order_by(Signature.signed_at, Signature.id).limit(limit)).all()
    return [(signature, text) for signature, text in rows], total


def published_comments_on(user, declaration: Declaration, item: SubmittedRecommendation,
                          limit: int = SAID_SHOWN) -> tuple[list[Comment], int] | None:
    """The published consultation comments on this recommendation, oldest first: the first `limit` and how
    many there are; None when this person may not read the declaration (and so not its comments either)."""
    if not permissions.can_view_declaration(user, declaration):
        return None
    where = (Comment.recommendation_id == item.recommendation_id, Comment.status == CommentStatus.PUBLISHED,
             Comment.deleted_at.is_(None))
    total = db.session.scalar(select(func.count(Comment.id)).where(*where))
    if not total:
        return [], 0
    rows = db.session.scalars(select(Comment).options(joinedload(Comment.author), joinedload(Comment.organization))
                              .where(*where).order_by(Comment.created_at, Comment.id).limit(limit)).all()
    return list(rows), total


def latest_submitted_recommendation(recommendation_id: int) -> SubmittedRecommendation | None:
    """The recommendation as last submitted."""
    return db.session.scalar(select(SubmittedRecommendation).options(joinedload(SubmittedRecommendation.submission))
                             .where(SubmittedRecommendation.recommendation_id == recommendation_id)
                             .order_by(SubmittedRecommendation.id.desc()).limit(1))


def recommendation_record(user, item: SubmittedRecommendation) -> dict:
    """Everything said about one submitted recommendation that this person may see: per institution the
    published answer with its earlier revisions (and the institution's own draft, for its reviewers),
    the implementation updates, and the alliance's assessment with its history."""
    answers = db.session.scalars(select(Answer).options(joinedload(Answer.institution),
                                                        joinedload(Answer.lead_institution))
                                 .where(Answer.item_id == item.id)
                                 .order_by(Answer.institution_id, Answer.number.desc())).all()
    own = user.institution_id if permissions.is_reviewer(user) else None
    by_institution: dict[int, dict] = {}
    for answer in answers:
        if answer.published_at is None and answer.institution_id != own:
            continue
        slot = by_institution.setdefault(answer.institution_id, {"institution": answer.institution, "current": None,
                                                                 "history": [], "draft": None})
        if answer.published_at is None:
            slot["draft"] = answer
        elif slot["current"] is None:
            slot["current"] = answer
        else:
            slot["history"].append(answer)
    updates = db.session.scalars(select(ImplementationUpdate).options(joinedload(ImplementationUpdate.institution))
                                 .where(ImplementationUpdate.item_id == item.id)
                                 .order_by(ImplementationUpdate.happened_on.desc(),
                                           ImplementationUpdate.id.desc())).all()
    assessments = db.session.scalars(select(Assessment).where(Assessment.item_id == item.id)
                                     .order_by(Assessment.id.desc())).all()
    return {"answers": sorted(by_institution.values(), key=lambda s: s["institution"].name),
            "updates": updates, "assessment": assessments[0] if assessments else None,
            "assessment_history": assessments[1:]}


def published_positions(submission: Submission) -> dict[int, list[Answer]]:
    """Recommendation id → the current published answers (one per institution), for the reading page."""
    rows = db.session.execute(
        select(Answer, SubmittedRecommendation.recommendation_id)
        .join(SubmittedRecommendation, Answer.item_id == SubmittedRecommendation.id)
        .options(joinedload(Answer.institution))
        .where(SubmittedRecommendation.submission_id == submission.id, Answer.published_at.is_not(None))
        .order_by(Answer.number.desc())).all()
    current: dict[tuple[int, int], Answer] = {}
    for answer, recommendation_id in rows:
        current.setdefault((recommendation_id, answer.institution_id), answer)
    positions: dict[int, list[Answer]] = {}
    for (recommendation_id, _institution), answer in current.items():
        positions.setdefault(recommendation_id, []).append(answer)
    return positions


def _latest(rows, key):
    latest = {}
    for row in rows:
        latest.setdefault(key(row), row)
    return latest


def statistics(submission: Submission) -> dict:
    """Current published positions by pillar, and the latest implementation status of each answer."""
    items = {i.id: i for i in submitted_recommendations(submission)}
    answers = _latest(db.session.scalars(select(Answer).where(Answer.item_id.in_(list(items)),
                                                              Answer.published_at.is_not(None))
                                         .order_by(Answer.number.desc())), lambda a: (a.item_id, a.institution_id))
    updates = _latest(db.session.scalars(select(ImplementationUpdate)
                                         .where(ImplementationUpdate.item_id.in_(list(items)))
                                         .order_by(ImplementationUpdate.happened_on.desc(),
                                                   ImplementationUpdate.id.desc())),
                      lambda u: (u.item_id, u.institution_id))
    by_pillar: dict[str, dict[str, int]] = {}
    for (item_id, _institution), answer in answers.items():
        row = by_pillar.setdefault(items[item_id].pillar, {p: 0 for p in POSITIONS})
        row[answer.position] += 1
    implementation = {s: 0 for s in IMPLEMENTATION_STATUSES}
    for update_row in updates.values():
        implementation[update_row.status] += 1
    answered = {item_id for item_id, _institution in answers}
    assessed = latest_assessments(submission)
    return {"by_pillar": by_pillar, "positions": {p: sum(r[p] for r in by_pillar.values()) for p in POSITIONS},
            "implementation": implementation, "recommendations": len(items), "answered": len(answered),
            "without_update": len(answers) - len([k for k in updates if k in answers]),
            "assessments": assessed, "not_assessed": len(items) - sum(assessed.values())}


def latest_assessments(submission: Submission) -> dict[str, int]:
    """The alliance's latest assessment of each recommendation of the submission, counted by rating: every step of
    the completion scale, in its order, then the words used before it, those that some assessment still carries."""
    newer = aliased(Assessment)
    counted = dict(db.session.execute(
        select(Assessment.rating, func.count())
        .join(SubmittedRecommendation, Assessment.item_id == SubmittedRecommendation.id)
        .where(SubmittedRecommendation.submission_id == submission.id,
               ~exists(select(1).where(newer.item_id == Assessment.item_id, newer.id > Assessment.id)))
        .group_by(Assessment.rating)).all())
    return {**{rating: counted.get(rating, 0) for rating in COMPLETION},
            **{rating: counted[rating] for rating in ASSESSMENTS if counted.get(rating)}}


def by_classification(submission: Submission) -> dict[str, list[dict]]:
    """For each classification list (untoc, sdg_targets, groups), the keys the submission's recommendations
    carry, in the list's order: how many recommendations carry it and the current published answers by
    position. Two queries of sums, one sum per key of the lists (a fixed number), whatever the number of
    recommendations and answers: one row, then one row per position."""
    keyed = [(name, key, json_list_contains(getattr(SubmittedRecommendation, name), key))
             for name, vocabulary in VOCABULARIES.items() for key in vocabulary]
    sums = [func.sum(case((carries, 1), else_=0)) for _name, _key, carries in keyed]
    of_submission = SubmittedRecommendation.submission_id == submission.id
    carried = db.session.execute(select(*sums).where(of_submission)).one()
    answered = db.session.execute(
        select(Answer.position, *sums).join(SubmittedRecommendation, Answer.item_id == SubmittedRecommendation.id)
        .where(of_submission, current_answer(Answer)).group_by(Answer.position)).all()
    breakdown: dict[str, list[dict]] = {name: [] for name in VOCABULARIES}
    for n, (name, key, _carries) in enumerate(keyed):
        if carried[n]:
            positions = {p: 0 for p in POSITIONS}
            for row in answered:
                positions[row[0]] = positions.get(row[0], 0) + (row[n + 1] or 0)
            breakdown[name].append({"key": key, "recommendations": carried[n], "positions": positions,
                                    "answered": sum(positions.values())})
    return breakdown


def reading_page_answers(declaration: Declaration) -> dict:
    """The reading page of a submitted declaration shows the government's published answers beside each
    recommendation."""
    if declaration.phase not in SUBMITTED_PHASES:
        return {}
    submission = submission_for(declaration.id)
    if submission is None:
        return {}
    return {"submission": submission, "answers": published_positions(submission),
            "submitted_ids": {r["id"] for r in submission.content["text"]["recommendations"]}}
