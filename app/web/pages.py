"""Small helpers shared by the views of every area."""
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from app.database import MAX_ID, begin_writing_on_sqlite
from app.errors import RuleError
from app.extensions import db
from app.form_keys import services as form_keys
from app.form_keys.services import Repeated
from app.formatting import over_limit_message

FORM_ERROR = 422


def require(allowed: bool) -> None:
    """Stop with the 403 page unless the permission check passed."""
    if not allowed:
        abort(403)


def get_or_404(model, object_id):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def get_visible_or_404(model, object_id, can_see):
    """The object, or 404 also when the user may not see it (can_see(user, obj), from app.permissions): an
    unverified organization is not revealed, even as forbidden."""
    obj = get_or_404(model, object_id)
    if not can_see(current_user, obj):
        abort(404)
    return obj


def render_form(template: str, status: int | None = None, **context):
    """Render a form page; a failed one answers 422 (and, like every error status, commits nothing)."""
    form = context.get("form")
    if status is None:
        status = FORM_ERROR if form is not None and form.errors or context.get("error") else 200
    return render_template(template, **context), status


def ask_again(form, *, action: str, title: str, button: str, back: str, hidden: dict | None = None,
              danger: bool = False):
    """A short form sent from a list page (a reason to reject, hide …) that did not pass its checks: asked
    again on a page of its own with the text kept and what to fix (422), never sent on with the text dropped."""
    return render_form("home/ask_again.html", status=FORM_ERROR, form=form, action=action, title=title,
                       button=button, back=back, hidden=hidden or {}, danger=danger)


@contextmanager
def attempt():
    """Run a service in a savepoint: when it refuses (RuleError, NotAllowed or any error), everything it
    wrote is undone at once, and the refusal goes on to the view, which shows what stands.

    The one way a view abandons writes; views reach it through carry_out(). The request's single commit
    (app/__init__.py, finish_unit_of_work) then has nothing of the refused action to commit; and a response
    with an error status (4xx, 5xx) is never committed at all."""
    begin_writing_on_sqlite()
    savepoint = db.session.begin_nested()
    try:
        yield
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    savepoint.commit()


@dataclass(frozen=True)
class Outcome:
    """What came of a service a view carried out: done, with what the service returned (result); refused,
    with the RuleError (refusal) and its text to show (error); or not done again, because the create form
    was sent before (repeat)."""

    result: Any = None
    refusal: RuleError | None = None
    repeat: Repeated | None = None
    form_key: str | None = None

    @property
    def done(self) -> bool:
        return self.refusal is None and self.repeat is None

    @property
    def error(self) -> str | None:
        return None if self.refusal is None else str(self.refusal)

    def answered(self, answer_url: str) -> str:
        """Where the create form's first sending led, remembered for its repeats; returns the URL, for the
        redirect (app/form_keys)."""
        return form_keys.answered(self.form_key, answer_url)


def carry_out(service, /, *args, form_key: str | None = None, success: str | None = None, **kwargs) -> Outcome:
    """Call service(*args, **kwargs) inside attempt(): a refusal (RuleError) undoes everything it wrote and
    comes back in the Outcome, for the view to show; any other error goes on to the error pages.

    form_key: a create form's one-time key (form.form_key.data; CreateForm always has one), claimed first, in
    the same savepoint: a form sent again makes nothing and comes back as the outcome's repeat (answer_repeat).
    success: what to tell the person on the next page (flashed as "success") once the service did it."""
    try:
        with attempt():
            if form_key is not None:
                form_keys.claim(form_key)
            result = service(*args, **kwargs)
    except Repeated as repeat:
        return Outcome(repeat=repeat)
    except RuleError as refusal:
        return Outcome(refusal=refusal)
    if success is not None:
        flash(success, "success")
    return Outcome(result=result, form_key=form_key)


def acting_user():
    """The logged-in user object, as services take it."""
    return current_user._get_current_object()


def answer_repeat(repeat):
    """A create form sent again (double click, resent page): answer where the first sending led, without
    making anything twice (app/form_keys)."""
    flash(str(repeat), "info")
    return redirect(repeat.answer_url or request.path, 303)


def flash_refusal(refusal) -> None:
    """Tell the person on the next page why the action was refused (flashed as "error"): for views that
    redirect. (What the refused service wrote was undone by attempt().)"""
    flash(str(refusal), "error")


class ListPage:
    """One page of a list built in Python, shaped like Flask-SQLAlchemy's pagination for the pager macro."""

    def __init__(self, rows: list, page: int, per_page: int):
        self.total, self.per_page = len(rows), per_page
        self.pages = max(1, -(-self.total // per_page))
        self.page = min(max(page, 1), self.pages)
        self.items = rows[(self.page - 1) * per_page:self.page * per_page]
        self.has_prev, self.has_next = self.page > 1, self.page < self.pages
        self.prev_num, self.next_num = self.page - 1, self.page + 1


class IdConverter(IntegerConverter):
    """<int:…> in every route: ids a table can hold (1 … MAX_ID); anything else is a plain 404."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def form_id(value) -> int | None:
    """An id sent back in a hidden form field, or None when it is not one (tampered or empty)."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def query_text(name: str, limit: int) -> tuple[str, str | None]:
    """A search or filter box's text, whole: (the text, None); or, when it is longer than the box takes, (the
    text as typed, what to fix) — the caller then searches for nothing. Never cut short without a word."""
    text = request.args.get(name, "").strip()
    if len(text) > limit:
        return text, over_limit_message(len(text), limit)
    return text, None


def page_number() -> int:
    """The ?page= of a paginated list: 1 when missing or not a number, at most 10,000."""
    try:
        return min(10_000, max(1, int(request.args.get("page", 1))))
    except ValueError:
        return 1
