from flask import Blueprint, render_template, request
from flask_login import current_user

from app.search.services import search

bp = Blueprint("search", __name__)


@bp.route("/search")
def results():
    q = request.args.get("q", "").strip()[:200]
    return render_template("search/results.html", q=q, results=search(q, current_user) if q else [])
