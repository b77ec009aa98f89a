from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import func, select, text

from app.choices import LANGUAGES
from app.extensions import db
from app.organizations.models import Organization
from app.responses.queries import for_reviewer
from app.security import safe_next
from app.signatures.queries import awaiting_signature

bp = Blueprint("core", __name__)


@bp.route("/")
def index():
    verified_count = db.session.scalar(select(func.count()).select_from(Organization).where(Organization.verified))
    return render_template("core/index.html", verified_count=verified_count,
                           awaiting=awaiting_signature(current_user),
                           addressed=for_reviewer(current_user))


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
    return redirect(safe_next(request.form.get("next")) or url_for("core.index"))
