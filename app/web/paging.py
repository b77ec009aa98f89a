"""One page of a list, cut in SQL: the rows shown and their total, whatever the database holds."""
from dataclasses import dataclass

from app.database import counted_window
from app.extensions import db
from app.web.pages import page_number


def sql_page(query, per_page: int):
    """The ?page= of this select (ordered by the caller), counted and cut by the database. A page past the
    end answers the last page (so a stale or typed link still shows rows and a pager that leads back)."""
    page = db.paginate(query, page=page_number(), per_page=per_page, error_out=False)
    if page.pages and page.page > page.pages:
        page = db.paginate(query, page=page.pages, per_page=per_page, error_out=False)
    return page


@dataclass
class CountedPage:
    """A page whose total is counted only up to a limit beyond the page (sql_page's count_up_to), shaped like
    Flask-SQLAlchemy's pagination for the pager macro; more: there are more rows than total."""
    items: list
    page: int
    per_page: int
    total: int
    more: bool

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages or (self.more and len(self.items) == self.per_page)

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def counted_page(query, per_page: int, count_up_to: int) -> CountedPage:
    """sql_page for a list whose exact total would cost what the whole history costs (a filter that must look
    into each declaration's recommendations): the rows of the page, and the rows counted only up to
    count_up_to beyond the page's start ("more than 100"), so that the count stops early however many there
    are. A page past the end answers the last one."""
    number, counted = counted_window(query, page_number(), per_page, count_up_to)
    start = (number - 1) * per_page
    items = db.session.scalars(query.limit(per_page).offset(start)).all()
    return CountedPage(items, number, per_page, min(counted, start + count_up_to), counted > start + count_up_to)
