"""One page of a list, cut in SQL: the rows shown and their total, whatever the database holds."""
from app.extensions import db
from app.web.pages import page_number


def sql_page(query, per_page: int):
    """The ?page= of this select (ordered by the caller), counted and cut by the database. A page past the
    end answers the last page (so a stale or typed link still shows rows and a pager that leads back)."""
    page = db.paginate(query, page=page_number(), per_page=per_page, error_out=False)
    if page.pages and page.page > page.pages:
        page = db.paginate(query, page=page.pages, per_page=per_page, error_out=False)
    return page
