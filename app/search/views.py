from flask import Blueprint, render_template
from flask_login import current_user

from app.search.services import search
from app.web.pages import query_text

bp = Blueprint("search", __name__)


@bp.route("/search")
def results():
    q, error = query_text("q", 200)
    return render_template("search/results.html", q=q, query_error=error,
                           results=search(q, current_user) if q and not error else [])
