from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from app import permissions
from app.choices import LANGUAGES
from app.extensions import db
from app.home import needs, work
from app.links import without_language
from app.submissions.deadlines import site_today
from app.web.security import safe_next

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    """What needs me: each role's blocks (app/home/needs.py and work.py), a constant number of queries each, each
    block the first few rows with the total. Each role's blocks are read only for those who see them."""
    user = current_user
    context = {}
    if not permissions.logged_in(user):
        context.update(consultations=needs.open_consultations(user), signon=needs.in_signon(user),
                       verified_count=needs.verified_organizations(), answers=needs.latest_answers(),
                       submissions=needs.public_submissions())
    if permissions.is_alliance_member(user):
        context.update(consultations=needs.open_consultations(user), news=needs.news_for(user),
                       own_pending=needs.own_pending(user), awaiting=needs.awaiting_signature(user),
                       translating=work.waiting_for_translator(user))
    if permissions.is_coordinator(user):
        signon = needs.in_signon(user, closed_too=True)  # a closed sign-on waits for the coordinator to submit
        context.update(signon=signon, verified_count=needs.verified_organizations(),
                       moderation=work.moderation_counts(), amendments=work.amendments_waiting(),
                       progress=work.signon_progress(signon), follow_ups=work.follow_ups(),
                       in_progress=work.texts_in_progress())
        context["translation_waiting"] = work.translation_waiting(context["in_progress"])
    if permissions.is_reviewer(user):
        context.update(reviewer_queue=work.reviewer_queue(user), updates_due=work.updates_due(user),
                       today=site_today())
    return render_template("home/index.html", **context)


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure to reach the database means "not healthy"
        current_app.logger.exception("health check failed")
        db.session.rollback()
        return {"status": "unavailable", "database": "down"}, 503
    return {"status": "ok", "database": "up"}


@bp.route("/language", methods=["POST"])
def set_language():
    """The language switcher: a small form, so it works without JavaScript."""
    language = request.form.get("language", "")
    if language in LANGUAGES:
        session["lang"] = language
        if current_user.is_authenticated:
            current_user.language = language
    return redirect(without_language(safe_next(request.form.get("next"))) or url_for("home.index"))
