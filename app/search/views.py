from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_login import current_user

from app.search.services import search
from app.web.pages import query_text

bp = Blueprint("search", __name__)


@bp.route("/search")
def results():
    q, error = query_text("q", 200)
    found = search(q, current_user, prefer=str(get_locale() or "en")) if q and not error else []
    return render_template("search/results.html", q=q, query_error=error, results=found)
