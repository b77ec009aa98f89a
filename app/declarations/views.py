"""Reading declarations: the list, the reading page, history and comparison of versions."""
from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from app import permissions
from app.choices import GROUPS, PHASES, PILLARS, SDG_TARGETS, THEMES
from app.database import json_list_contains
from app.declarations import services
from app.declarations.diff import compare as compare_contents
from app.declarations.diff import content_in
from app.declarations.loading import get_declaration, institution_names
from app.declarations.models import (
    ConsultationEvent,
    Declaration,
    DeclarationDrafter,
    DeclarationTranslator,
    Recommendation,
    RecommendationRevision,
)
from app.declarations.signals import reading_page_context
from app.extensions import db
from app.time import utcnow
from app.web.paging import counted_page, sql_page

bp = Blueprint("declarations", __name__, url_prefix="/declarations")
DECLARATIONS_PER_PAGE = 25
FILTERED_COUNTED = 100  # declarations filtered by pillar or theme are counted up to this many beyond the page


@bp.route("")
def index():
    """Declarations the reader may see, most recently changed first, a page at a time: filtered by phase, and
    by the pillar, theme, SDG target and group of their live recommendations, all in SQL."""
    phase, pillar, theme, sdg, group = (request.args.get(k, "") for k in ("phase", "pillar", "theme", "sdg", "group"))
    sdg, group = sdg if sdg in SDG_TARGETS else "", group if group in GROUPS else ""
    query = select(Declaration).where(permissions.declaration_visible_clause(
        current_user, Declaration, DeclarationDrafter, DeclarationTranslator)).order_by(
        Declaration.updated_at.desc(), Declaration.id.desc())
    if phase in PHASES:
        query = query.where(Declaration.phase == phase)
    if pillar in PILLARS or theme in THEMES or sdg or group:
        matching = select(1).where(Recommendation.declaration_id == Declaration.id,
                                   Recommendation.deleted_at.is_(None),
                                   RecommendationRevision.id == Recommendation.current_revision_id)
        if pillar in PILLARS:
            matching = matching.where(RecommendationRevision.pillar == pillar)
        if theme in THEMES:
            matching = matching.where(json_list_contains(RecommendationRevision.themes, theme))
        for column, key in ((RecommendationRevision.sdg_targets, sdg), (RecommendationRevision.groups, group)):
            matching = matching.where(json_list_contains(column, key)) if key else matching
        # A first match of each declaration, looked for declaration by declaration as the page needs them (a
        # scalar subquery with LIMIT 1: PostgreSQL would turn an EXISTS into a join over every recommendation).
        query = query.where(matching.correlate(Declaration).limit(1).scalar_subquery().is_not(None))
        # Whether a declaration matches looks into its recommendations: counted only a few pages ahead.
        page = counted_page(query, DECLARATIONS_PER_PAGE, count_up_to=FILTERED_COUNTED)
    else:
        page = sql_page(query, DECLARATIONS_PER_PAGE)
    return render_template("declarations/index.html", page=page, phase=phase, pillar=pillar, theme=theme,
                           classification={"sdg": sdg, "group": group})


@bp.route("/<int:declaration_id>")
def read(declaration_id):
    """The whole declaration on one page, with filters by pillar and theme that need no JavaScript."""
    declaration = get_declaration(declaration_id)
    pillar, theme = request.args.get("pillar", ""), request.args.get("theme", "")
    sections = services.live_sections(declaration.id)
    recommendations = services.live_recommendations(declaration.id)
    numbers = services.numbering(recommendations)
    filtered = [r for r in recommendations
                if (pillar not in PILLARS or r.current.pillar == pillar)
                and (theme not in THEMES or theme in r.current.themes)]
    events = db.session.scalars(select(ConsultationEvent).where(ConsultationEvent.declaration_id == declaration.id)
                                .order_by(ConsultationEvent.held_on)).all()
    # Comment counts, the signing state and the government's answers come from the areas that own them.
    context = {"counts": {}, "signing_closed": None, "submission": None,
               **reading_page_context(declaration, current_user)}
    return render_template(
        "declarations/read.html", declaration=declaration, sections=sections, recommendations=filtered,
        total_recommendations=len(recommendations), numbers=numbers, institutions=institution_names(),
        pillar=pillar if pillar in PILLARS else "", theme=theme if theme in THEMES else "", events=events,
        closed_message=services.consultation_closed_message(declaration), now=utcnow(), **context)


@bp.route("/<int:declaration_id>/history")
def history(declaration_id):
    declaration = get_declaration(declaration_id)
    return render_template("declarations/history.html", declaration=declaration, versions=declaration.versions)


@bp.route("/<int:declaration_id>/compare")
def compare(declaration_id):
    """Any two versions side by side as a readable diff; ?from=N&to=M (default: the last two)."""
    declaration = get_declaration(declaration_id)
    versions = {v.number: v for v in declaration.versions}
    if not versions:
        abort(404)
    numbers = sorted(versions)
    try:
        to_number = int(request.args.get("to", numbers[-1]))
        from_number = int(request.args.get("from", numbers[-2] if len(numbers) > 1 else numbers[-1]))
    except ValueError:
        abort(404)
    if from_number not in versions or to_number not in versions:
        abort(404)
    before, after = versions[from_number], versions[to_number]
    language = request.args.get("text") if request.args.get("text") in declaration.languages else None
    return render_template("declarations/compare.html", declaration=declaration, before=before, after=after,
                           diff=compare_contents(content_in(before.content, language),
                                                 content_in(after.content, language)),
                           versions=declaration.versions, institutions=institution_names(),
                           language=language or declaration.language)


