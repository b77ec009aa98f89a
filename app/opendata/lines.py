"""Recommendation lines as records: the same ask followed over the years, from the declarations imported from before
Sanad (earlier declarations, recommendations and the government's positions on them, as the alliance's record
has them) to the recommendations submitted in public dossiers, with the positions, the latest implementation
updates and the alliance's assessment of each. A line is public when one of its entries is; a recommendation of
a dossier that is not public never appears in it."""
from sqlalchemy import exists, literal, or_, select
from sqlalchemy.orm import aliased

from app.choices import COMPLETION, IMPLEMENTATION_STATUSES, PILLARS, POSITIONS, THEMES
from app.declarations.models import Declaration, Recommendation
from app.extensions import db
from app.lines.models import EarlierAnswer, EarlierDeclaration, EarlierRecommendation, RecommendationLine
from app.opendata.follow_up import ASSESSMENT_SCALE
from app.opendata.record_kit import (
    PUBLIC_DECLARATION,
    Resource,
    api_link,
    day,
    labelled,
    labelled_list,
    moment,
    narrowed,
)
from app.opendata.texts import classification, recommendation_records, submitted_recommendations
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.responses.tracker import current_answer, latest_update
from app.submissions.models import Submission, SubmittedRecommendation

# A line gains one entry a year: an item shows at most this many of each kind (earlier, Sanad's), oldest first.
LINE_ENTRIES = 100

# --- earlier declarations, recommendations and answers ---------------------------------------------------------


def _earlier_declarations(filters):
    return select(EarlierDeclaration.id, EarlierDeclaration.year, EarlierDeclaration.title,
                  EarlierDeclaration.submitted_on)


def earlier_declaration_records(rows) -> list[dict]:
    return [{"id": row.id, "year": row.year, "title": row.title, "submitted_on": day(row.submitted_on)}
            for row in rows]


def _earlier_recommendations(filters):
    return select(EarlierRecommendation)


def earlier_recommendation_records(rows) -> list[dict]:
    return [{
        "id": rec.id, "declaration_id": rec.declaration_id, "number": rec.number, "text": rec.text,
        "language": rec.language, "pillar": labelled(PILLARS, rec.pillar), "themes": labelled_list(THEMES, rec.themes),
        "classification": classification(rec.untoc, rec.sdg_targets, rec.groups), "line_id": rec.line_id,
        "assessment": labelled(COMPLETION, rec.assessment), "assessment_notes": rec.assessment_notes,
    } for rec in (row[0] for row in rows)]


def _earlier_answers(filters):
    statement = select(EarlierAnswer.id, EarlierAnswer.recommendation_id, EarlierAnswer.institution_id,
                       EarlierAnswer.position, EarlierAnswer.explanation, EarlierAnswer.answered_on)
    return narrowed(statement, filters, institution=EarlierAnswer.institution_id)


def earlier_answer_records(rows) -> list[dict]:
    return [{"id": row.id, "earlier_recommendation_id": row.recommendation_id, "institution_id": row.institution_id,
             "position": labelled(POSITIONS, row.position), "explanation": row.explanation,
             "answered_on": day(row.answered_on)} for row in rows]


EARLIER_DECLARATIONS = Resource("earlier_declarations", EarlierDeclaration.id, _earlier_declarations,
                                earlier_declaration_records, api=False,
                                summary="Declarations from before Sanad, as the alliance imported them.")
EARLIER_RECOMMENDATIONS = Resource("earlier_recommendations", EarlierRecommendation.id, _earlier_recommendations,
                                   earlier_recommendation_records, api=False,
                                   summary="Their recommendations, each in a line.")
EARLIER_ANSWERS = Resource("earlier_answers", EarlierAnswer.id, _earlier_answers, earlier_answer_records,
                           api=False, summary="The government's positions on them, as the record has them.")

# --- lines --------------------------------------------------------------------------------------------------------


def _sanad_members():
    """Recommendations of a line (by Recommendation.line_id) submitted in public dossiers."""
    return (select(Recommendation.line_id, SubmittedRecommendation.recommendation_id)
            .join(SubmittedRecommendation, SubmittedRecommendation.recommendation_id == Recommendation.id)
            .join(Submission, Submission.id == SubmittedRecommendation.submission_id)
            .join(Declaration, Declaration.id == Submission.declaration_id).where(PUBLIC_DECLARATION))


def _lines(filters):
    sanad = _sanad_members().where(Recommendation.line_id == RecommendationLine.id).exists()
    earlier = exists(select(literal(1)).where(EarlierRecommendation.line_id == RecommendationLine.id))
    return select(RecommendationLine.id, RecommendationLine.created_at).where(or_(earlier, sanad))


def line_records(rows) -> list[dict]:
    ids = [row.id for row in rows]
    sanad: dict[int, list[int]] = {}
    earlier: dict[int, list[int]] = {}
    if ids:
        for line_id, recommendation_id in db.session.execute(
                _sanad_members().where(Recommendation.line_id.in_(ids)).order_by(Submission.submitted_at)):
            sanad.setdefault(line_id, []).append(recommendation_id)
        for line_id, earlier_id in db.session.execute(
                select(EarlierRecommendation.line_id, EarlierRecommendation.id)
                .where(EarlierRecommendation.line_id.in_(ids)).order_by(EarlierRecommendation.id)):
            earlier.setdefault(line_id, []).append(earlier_id)
    return [{"id": row.id, "created_at": moment(row.created_at), "recommendation_ids": sanad.get(row.id, []),
             "earlier_recommendation_ids": earlier.get(row.id, []), "api": api_link("lines", row.id)}
            for row in rows]


def _earlier_entries(line_id: int) -> list[dict]:
    rows = db.session.execute(
        select(EarlierRecommendation, EarlierDeclaration)
        .join(EarlierDeclaration, EarlierDeclaration.id == EarlierRecommendation.declaration_id)
        .where(EarlierRecommendation.line_id == line_id)
        .order_by(EarlierDeclaration.year, EarlierRecommendation.id).limit(LINE_ENTRIES)).all()
    answers: dict[int, list[dict]] = {}
    if rows:
        for answer in db.session.scalars(select(EarlierAnswer).where(
                EarlierAnswer.recommendation_id.in_([rec.id for rec, _declaration in rows]))
                .order_by(EarlierAnswer.institution_id, EarlierAnswer.id)):
            answers.setdefault(answer.recommendation_id, []).append({
                "institution_id": answer.institution_id, "position": labelled(POSITIONS, answer.position),
                "explanation": answer.explanation, "date": day(answer.answered_on)})
    records = earlier_recommendation_records([(rec,) for rec, _declaration in rows])
    return [{"source": "earlier", "year": declaration.year, "date": day(declaration.submitted_on),
             "declaration": {"id": declaration.id, "title": declaration.title},
             "recommendation": record, "positions": answers.get(rec.id, []), "updates": [],
             "assessment": record["assessment"]}
            for (rec, declaration), record in zip(rows, records, strict=True)]


def _follow_up(item_ids: list[int]) -> tuple[dict, dict, dict]:
    """For submitted recommendations: the current published answers, the latest update of each institution and
    the alliance's latest assessment, by item id."""
    answers: dict[int, list[dict]] = {}
    updates: dict[int, list[dict]] = {}
    if not item_ids:
        return answers, updates, {}
    for answer in db.session.execute(
            select(Answer.item_id, Answer.institution_id, Answer.position, Answer.explanation, Answer.published_at)
            .where(Answer.item_id.in_(item_ids), current_answer(Answer)).order_by(Answer.institution_id)):
        answers.setdefault(answer.item_id, []).append({
            "institution_id": answer.institution_id, "position": labelled(POSITIONS, answer.position),
            "explanation": answer.explanation, "date": day(answer.published_at.date())})
    for update in db.session.execute(
            select(ImplementationUpdate.item_id, ImplementationUpdate.institution_id, ImplementationUpdate.status,
                   ImplementationUpdate.happened_on)
            .where(ImplementationUpdate.item_id.in_(item_ids), latest_update(ImplementationUpdate))
            .order_by(ImplementationUpdate.institution_id)):
        updates.setdefault(update.item_id, []).append({
            "institution_id": update.institution_id,
            "status": labelled(IMPLEMENTATION_STATUSES, update.status), "happened_on": day(update.happened_on)})
    newer = aliased(Assessment)
    assessments = dict(db.session.execute(
        select(Assessment.item_id, Assessment.rating).where(Assessment.item_id.in_(item_ids), ~exists(
            select(literal(1)).where(newer.item_id == Assessment.item_id, newer.id > Assessment.id)))).all())
    return answers, updates, assessments


def _sanad_entries(line_id: int) -> list[dict]:
    rows = db.session.execute(
        submitted_recommendations().add_columns(Submission.title).where(Recommendation.line_id == line_id)
        .order_by(Submission.submitted_at, SubmittedRecommendation.id).limit(LINE_ENTRIES)).all()
    records = recommendation_records([row[:4] for row in rows])
    answers, updates, assessments = _follow_up([row[0].id for row in rows])
    return [{"source": "sanad", "year": row.submitted_at.year, "date": day(row.submitted_at.date()),
             "declaration": {"id": row.declaration_id, "title": row.title}, "recommendation": record,
             "positions": answers.get(row[0].id, []), "updates": updates.get(row[0].id, []),
             "assessment": labelled(ASSESSMENT_SCALE, assessments.get(row[0].id))}
            for row, record in zip(rows, records, strict=True)]


def line_details(rows) -> list[dict]:
    """A line with its entries over the years, oldest first: what the alliance asked each year and what became
    of it."""
    records = line_records(rows)
    for record in records:
        entries = _earlier_entries(record["id"]) + _sanad_entries(record["id"])
        record["entries"] = sorted(entries, key=lambda e: (e["year"], e["date"] or "", e["source"]))
    return records


LINES = Resource("lines", RecommendationLine.id, _lines, line_records, detail=line_details,
                 summary="Recommendations followed across declarations: an item lists its entries year by year, "
                         "from the years before Sanad to the latest submission.")
