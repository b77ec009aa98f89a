"""The writes of the lines area: carrying a recommendation forward from an earlier one (and undoing it), and
importing the years before Sanad from a CSV (app/lines/importing.py reads it). Each takes the acting user, checks
the rules, writes the change and its audit entry, and flushes."""
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, exists, func, select, update

from app import permissions
from app.audit.services import record
from app.database import insert_row_unless_duplicate, update_if
from app.declarations.models import Recommendation
from app.declarations.services import EDITABLE_PHASES
from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.lines import import_rows, importing, queries
from app.lines.models import EarlierAnswer, EarlierDeclaration, EarlierRecommendation, RecommendationLine
from app.responses import tracker
from app.submissions.models import Submission, SubmittedRecommendation
from app.time import utcnow


def _may_carry(actor, recommendation: Recommendation) -> None:
    declaration = recommendation.declaration
    if not permissions.can_edit_text(actor, declaration):
        raise NotAllowed()
    if declaration.phase not in EDITABLE_PHASES:
        raise RuleError(_("A recommendation carries an earlier one forward only while its declaration is being "
                          "drafted or revised."))
    if recommendation.deleted_at is not None:
        raise RuleError(_("This recommendation was deleted."))


def _earlier_sanad(actor, recommendation: Recommendation, source_id: int) -> Recommendation:
    """A submitted recommendation of another declaration that the actor may see (its answers included)."""
    source = db.session.scalar(
        select(Recommendation)
        .join(SubmittedRecommendation, SubmittedRecommendation.recommendation_id == Recommendation.id)
        .join(Submission, Submission.id == SubmittedRecommendation.submission_id)
        .join(Recommendation.declaration)
        .where(Recommendation.id == source_id, Submission.declaration_id != recommendation.declaration_id,
               tracker.visible(actor)))
    if source is None:
        raise RuleError(_("That recommendation cannot be carried forward: choose a submitted recommendation of "
                          "another declaration from the list."))
    return source


def _line_of_sanad(actor, source: Recommendation) -> int:
    """The source's line, made now if it has none (a conditional update settles two drafters doing it at once)."""
    if source.line_id is None:
        line = RecommendationLine(created_by_id=actor.id)
        db.session.add(line)
        db.session.flush()
        if not update_if(source, Recommendation.line_id.is_(None), line_id=line.id):
            db.session.delete(line)
            db.session.refresh(source)
    return source.line_id


def carry_forward(actor, recommendation: Recommendation, *, kind: str, source_id: int | None) -> int:
    """Put this recommendation in the line of an earlier one: a submitted Sanad recommendation (kind "sanad")
    or an imported one ("earlier"). Returns the line's id."""
    _may_carry(actor, recommendation)
    if kind == queries.SANAD and source_id is not None:
        line_id = _line_of_sanad(actor, _earlier_sanad(actor, recommendation, source_id))
    elif kind == queries.EARLIER and source_id is not None and (
            earlier := db.session.get(EarlierRecommendation, source_id)) is not None:
        line_id = earlier.line_id
    else:
        raise RuleError(_("That recommendation cannot be carried forward: choose one from the list."))
    if recommendation.line_id == line_id:
        return line_id
    other = db.session.scalar(select(Recommendation.id).where(
        Recommendation.line_id == line_id, Recommendation.declaration_id == recommendation.declaration_id,
        Recommendation.id != recommendation.id, Recommendation.deleted_at.is_(None)))
    if other is not None:
        raise RuleError(_("Another recommendation of this declaration already carries that one forward: a "
                          "declaration asks it once."))
    before = recommendation.line_id
    recommendation.line_id = line_id
    db.session.flush()
    if before is not None:
        _dissolve_if_alone(before)
    record(actor, "recommendation_carried_forward", recommendation, declaration=recommendation.declaration_id,
           line=line_id, earlier=f"{kind}:{source_id}", before=before)
    return line_id


def stop_carrying(actor, recommendation: Recommendation, *, expected_line_id: int | None) -> None:
    """Take this recommendation out of its line (it no longer carries an earlier one forward): the line the page
    showed, not one chosen since."""
    _may_carry(actor, recommendation)
    line_id = recommendation.line_id
    if line_id is None:
        raise RuleError(_("This recommendation does not carry an earlier one forward."))
    if line_id != expected_line_id:
        raise RuleError(_("This recommendation was carried forward from another one meanwhile: check the page "
                          "and undo again if you mean to."))
    recommendation.line_id = None
    db.session.flush()
    _dissolve_if_alone(line_id)
    record(actor, "recommendation_line_left", recommendation, declaration=recommendation.declaration_id,
           line=line_id)


def _dissolve_if_alone(line_id: int) -> None:
    """A line left with one Sanad recommendation and nothing imported follows nothing: it is removed, so that the
    recommendation is shown as it was before it was carried forward."""
    members = db.session.scalar(select(func.count()).select_from(Recommendation)
                                .where(Recommendation.line_id == line_id))
    imported = db.session.scalar(select(exists().where(EarlierRecommendation.line_id == line_id)))
    if members <= 1 and not imported:
        db.session.execute(update(Recommendation).where(Recommendation.line_id == line_id).values(line_id=None)
                           .execution_options(synchronize_session="fetch"))
        db.session.execute(delete(RecommendationLine).where(RecommendationLine.id == line_id))


# --- importing the years before Sanad --------------------------------------------------------------------

def import_earlier_years(actor, data: bytes, *, filename: str, expected_sha256: str) -> dict:
    """Import the file shown on the preview (its SHA-256), all of it or nothing: each year a declaration, its
    recommendations in their lines, the positions on record. Returns what was imported, counted."""
    if not permissions.can_keep_record(actor):
        raise NotAllowed()
    plan = importing.read(data)
    if plan.sha256 != (expected_sha256 or "").strip().lower():
        raise RuleError(_("The file is not the one the preview showed. Nothing was imported: upload it again."))
    if not plan.ok:
        raise RuleError(ngettext("%(num)d row of the file is refused: nothing was imported.",
                                 "%(num)d rows of the file are refused: nothing was imported.",
                                 max(1, len(plan.bad_rows) + len(plan.problems))))
    lines = _lines(actor, plan)
    for declaration in plan.declarations.values():
        _import_declaration(actor, declaration, lines, filename=filename, sha256=plan.sha256)
    return plan.counts


def _lines(actor, plan: import_rows.Plan) -> dict[tuple, int]:
    """The line of each join the file names: an existing line, a Sanad recommendation's (made if it has none),
    or a new one for each label and each recommendation in a line of its own, made in one flush."""
    joins = {r.join for d in plan.declarations.values() for r in d.recommendations.values()}
    lines, made = {}, {}
    for join in sorted(joins, key=repr):
        kind, target = join
        if kind == "line":
            lines[join] = target
        elif kind == "recommendation":
            lines[join] = _line_of_sanad(actor, db.session.get(Recommendation, target))
        else:
            made[join] = RecommendationLine(created_by_id=actor.id)
    db.session.add_all(made.values())
    db.session.flush()
    return lines | {join: line.id for join, line in made.items()}


def _import_declaration(actor, plan: import_rows.DeclarationPlan, lines: dict, *, filename: str, sha256: str) -> None:
    declaration_id = insert_row_unless_duplicate(EarlierDeclaration, {
        "year": plan.year, "title": plan.title, "submitted_on": plan.submitted_on, "source_name": filename[:200],
        "imported_at": utcnow(), "imported_by_id": actor.id})
    if declaration_id is None:
        raise RuleError(_("“%(title)s” of %(year)d was imported meanwhile: nothing was imported.", title=plan.title,
                          year=plan.year))
    made = [(recommendation, _earlier_recommendation(declaration_id, number, recommendation,
                                                     lines[recommendation.join]))
            for number, recommendation in sorted(plan.recommendations.items())]
    db.session.add_all(row for _plan, row in made)
    db.session.flush()
    answers = [EarlierAnswer(recommendation_id=row.id, institution_id=institution_id, position=position,
                             explanation=explanation, answered_on=answered_on)
               for recommendation, row in made
               for institution_id, position, explanation, answered_on in recommendation.answers]
    db.session.add_all(answers)
    db.session.flush()
    record(actor, "earlier_declaration_imported", ("earlier_declarations", declaration_id), year=plan.year,
           title=plan.title, recommendations=len(made), answers=len(answers), file=filename[:200],
           sha256=sha256)


def _earlier_recommendation(declaration_id: int, number: int, plan: import_rows.RecommendationPlan,
                            line_id: int) -> EarlierRecommendation:
    fields = plan.fields
    return EarlierRecommendation(
        declaration_id=declaration_id, number=number, text=fields["text"], language=fields["language"] or "en",
        pillar=fields["pillar"], themes=fields["themes"], untoc=fields["untoc"], sdg_targets=fields["sdg_targets"],
        groups=fields["groups"], line_id=line_id, assessment=fields["assessment"] or None,
        assessment_notes=fields["assessment_notes"])
