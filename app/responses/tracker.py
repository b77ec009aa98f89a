"""The recommendation tracker: submitted recommendations across the declarations a person may see, with the
government's current positions, the latest implementation status per institution and the alliance's assessment.

Visibility (permissions.response_visible_clause), the filters, the order and the page are all SQL; only the
page's answers, updates and assessments are then read, by the page's item ids (a list as long as the page).
"The current published answer of an institution" and "the latest implementation update" are conditions on a
row (no newer one exists for the same recommendation and institution), which both databases answer with the
indexes on answers and updates by (item, institution).
"""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import String, and_, cast, exists, func, literal, or_, select
from sqlalchemy.orm import aliased, joinedload

from app import permissions
from app.choices import GROUPS, SDG_TARGETS, UNTOC_PROVISIONS
from app.database import json_list_contains
from app.declarations.models import Declaration, DeclarationDrafter, DeclarationTranslator
from app.extensions import db
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.submissions.models import Submission, SubmissionRecipient, SubmittedRecommendation
from app.time import utcnow

PAGE_SIZE = 50
# A target date that has passed or comes within this many days asks for an implementation update (due()).
DUE_WITHIN = timedelta(days=30)


@dataclass(frozen=True)
class Filters:
    declaration_id: int | None = None
    pillar: str = ""
    theme: str = ""
    position: str = ""
    status: str = ""
    institution_id: int | None = None
    due: bool = False  # with an institution: its answers whose target date has passed or comes soon
    # The classification, by key (app/choices.py UNTOC_PROVISIONS, SDG_TARGETS, GROUPS).
    untoc: str = ""
    sdg: str = ""
    group: str = ""


# The tracker's classification filters: the URL's parameter → its controlled list.
CLASSIFICATION_FILTERS = {"untoc": UNTOC_PROVISIONS, "sdg": SDG_TARGETS, "group": GROUPS}


def classification_filters(args) -> dict[str, str]:
    """The classification filters asked for (?untoc=tip-6&sdg=8.7&group=children), a key not in its list
    ignored as an unknown pillar is."""
    return {name: args.get(name, "") if args.get(name) in vocabulary else ""
            for name, vocabulary in CLASSIFICATION_FILTERS.items()}


def current_answer(answers):
    """The answer (Answer or an alias) is its institution's newest published revision for the recommendation."""
    newer = aliased(Answer)
    return and_(answers.published_at.is_not(None), ~exists(select(1).where(
        newer.item_id == answers.item_id, newer.institution_id == answers.institution_id,
        newer.published_at.is_not(None), newer.number > answers.number)))


def latest_update(updates):
    """The update (ImplementationUpdate or an alias) is its institution's latest for the recommendation: the
    latest date, and of one day the last reported."""
    later = aliased(ImplementationUpdate)
    return ~exists(select(1).where(
        later.item_id == updates.item_id, later.institution_id == updates.institution_id,
        or_(later.happened_on > updates.happened_on,
            and_(later.happened_on == updates.happened_on, later.id > updates.id))))


def _int_list_contains(column, value: int):
    """The JSON list of numbers in `column` holds `value`: ",1,12," contains ",12," (spaces dropped)."""
    listed = func.replace(func.replace(func.replace(cast(column, String), " ", ""), "[", ","), "]", ",")
    return listed.contains(f",{int(value)},")


def visible(user):
    """permissions.can_view_response as SQL, on a query joining submitted recommendations to their submission
    and declaration."""
    return permissions.response_visible_clause(
        user, permissions.declaration_visible_clause(user, Declaration, DeclarationDrafter, DeclarationTranslator),
        SubmissionRecipient, Submission.id)


def _for_institution(institution_id: int):
    """Today's rule: the submission was addressed to the institution, the recommendation names it, or one of its
    current answers names it the lead."""
    lead = aliased(Answer)
    return or_(exists(select(1).where(SubmissionRecipient.submission_id == SubmittedRecommendation.submission_id,
                                      SubmissionRecipient.institution_id == institution_id)),
               _int_list_contains(SubmittedRecommendation.addressees, institution_id),
               exists(select(1).where(lead.item_id == SubmittedRecommendation.id,
                                      lead.lead_institution_id == institution_id, current_answer(lead))))


def _conditions(filters: Filters) -> list:
    where = []
    if filters.declaration_id is not None:
        where.append(Submission.declaration_id == filters.declaration_id)
    if filters.pillar:
        where.append(SubmittedRecommendation.pillar == filters.pillar)
    if filters.theme:
        where.append(json_list_contains(SubmittedRecommendation.themes, filters.theme))
    where += [json_list_contains(column, key) for column, key in (
        (SubmittedRecommendation.untoc, filters.untoc), (SubmittedRecommendation.sdg_targets, filters.sdg),
        (SubmittedRecommendation.groups, filters.group)) if key]
    if filters.position:  # the current answer of any institution, or of the one chosen
        answer = aliased(Answer)
        mine = [answer.institution_id == filters.institution_id] if filters.institution_id else []
        where.append(exists(select(1).where(answer.item_id == SubmittedRecommendation.id,
                                            answer.position == filters.position, current_answer(answer), *mine)))
    if filters.status:  # the latest update of any institution
        update = aliased(ImplementationUpdate)
        where.append(exists(select(1).where(update.item_id == SubmittedRecommendation.id,
                                            update.status == filters.status, latest_update(update))))
    if filters.institution_id and not filters.due:  # due: its own answers (see _due)
        where.append(_for_institution(filters.institution_id))
    return where


def conditions(filters: Filters) -> list:
    """The filters as SQL conditions on a submitted recommendation joined to its submission and declaration: the
    lines view (app/lines/queries.py) asks them of each line's entries."""
    return _conditions(filters)


def due(answers, institution_id: int, today: date) -> list:
    """The answer (Answer or an alias) asks the institution for an implementation update: it is the
    institution's newest published answer to the recommendation, its target date has passed or comes within
    DUE_WITHIN, and the institution has not reported the recommendation implemented. The one rule for the
    reviewer's home (app/home/work.py updates_due) and the tracker's ?due=1."""
    implemented = exists(select(1).where(ImplementationUpdate.item_id == answers.item_id,
                                         ImplementationUpdate.institution_id == institution_id,
                                         ImplementationUpdate.status == "implemented"))
    return [answers.institution_id == institution_id, current_answer(answers), answers.target_date.is_not(None),
            answers.target_date <= today + DUE_WITHIN, ~implemented]


def _due(query, institution_id: int, today: date):
    """The recommendations with an answer due() from the institution, soonest target date first."""
    answer = aliased(Answer)
    return (query.join(answer, and_(answer.item_id == SubmittedRecommendation.id, *due(answer, institution_id, today)))
            .order_by(answer.target_date, SubmittedRecommendation.id))


def query(user, filters: Filters, today: date | None = None):
    """The tracker's rows as one SELECT of submitted recommendations, filtered and ordered (not paged)."""
    statement = (select(SubmittedRecommendation)
                 .join(Submission, Submission.id == SubmittedRecommendation.submission_id)
                 .join(Declaration, Declaration.id == Submission.declaration_id)
                 .options(joinedload(SubmittedRecommendation.submission).joinedload(Submission.declaration))
                 .where(visible(user), *_conditions(filters)))
    if filters.due and filters.institution_id:
        return _due(statement, filters.institution_id, today or utcnow().date())
    return statement.order_by(SubmittedRecommendation.submission_id.desc(), SubmittedRecommendation.number,
                              SubmittedRecommendation.id)


def page(user, filters: Filters, number: int, per_page: int = PAGE_SIZE, today: date | None = None):
    """(the page — Flask-SQLAlchemy's Pagination, its number clamped to the last page —, the page's rows)."""
    statement = query(user, filters, today)
    found = db.paginate(statement, page=number, per_page=per_page, error_out=False)
    if number > found.pages > 0:
        found = db.paginate(statement, page=found.pages, per_page=per_page, error_out=False)
    return found, rows(found.items)


def _grouped(statement, key) -> dict:
    grouped: dict = {}
    for row in db.session.scalars(statement):
        grouped.setdefault(key(row), []).append(row)
    return grouped


def rows(items: list[SubmittedRecommendation]) -> list[dict]:
    """The page's recommendations with their current answers and latest updates (in institution order) and the
    alliance's latest assessment: three queries keyed by the page's ids."""
    ids = [item.id for item in items]
    if not ids:
        return []
    answers = _grouped(select(Answer).where(Answer.item_id.in_(ids), current_answer(Answer))
                       .order_by(Answer.item_id, Answer.institution_id), lambda a: a.item_id)
    updates = _grouped(select(ImplementationUpdate).where(ImplementationUpdate.item_id.in_(ids),
                                                          latest_update(ImplementationUpdate))
                       .order_by(ImplementationUpdate.item_id, ImplementationUpdate.institution_id),
                       lambda u: u.item_id)
    newer = aliased(Assessment)
    assessments = {a.item_id: a for a in db.session.scalars(
        select(Assessment).where(Assessment.item_id.in_(ids), ~exists(select(literal(1)).where(
            newer.item_id == Assessment.item_id, newer.id > Assessment.id))))}
    return [{"item": item, "submission": item.submission, "declaration": item.submission.declaration,
             "answers": answers.get(item.id, []), "updates": updates.get(item.id, []),
             "assessment": assessments.get(item.id)} for item in items]
