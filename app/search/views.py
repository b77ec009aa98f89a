from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_login import current_user

from app.search import services
from app.web.pages import page_number, query_text

bp = Blueprint("search", __name__)


class ResultPage:
    """The page of results, shaped for the pager macro: pages within the RANKED results shown at most."""

    def __init__(self, number: int, found: int):
        self.per_page, self.total = services.PAGE_SIZE, min(found, services.RANKED)
        self.pages = max(1, -(-self.total // self.per_page))
        self.page = min(number, self.pages)
        self.has_prev, self.has_next = self.page > 1, self.page < self.pages
        self.prev_num, self.next_num = self.page - 1, self.page + 1


@bp.route("/search")
def results():
    """Results best first among the newest RANKED matches, a page at a time, with how many there are (counted
    up to RANKED: beyond it, "more than")."""
    q, error = query_text("q", 200)
    found, page, more = [], None, False
    if q and not error:
        found, counted, number = services.search_page(q, current_user, page_number(),
                                                      prefer=str(get_locale() or "en"))
        page, more = ResultPage(number, counted), counted > services.RANKED
    return render_template("search/results.html", q=q, query_error=error, results=found, page=page, more=more,
                           ranked=services.RANKED)
