"""Claiming a form's key before making what it asks for, and remembering where the answer led."""
import re
from datetime import timedelta

from flask import has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from app.database import insert_unless_duplicate
from app.errors import RuleError
from app.extensions import db
from app.form_keys.models import FormKey
from app.time import utcnow

_KEY = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEPT = timedelta(days=2)


class Repeated(Exception):  # noqa: N818 - the name says what happened
    """This form was sent before: the view answers with where the first sending led."""

    def __init__(self, answer_url: str):
        super().__init__(_("This was already sent; here is what it made."))
        self.answer_url = answer_url


class Expired(RuleError):  # noqa: N818 - the name says what happened
    """The form came without a valid key: a page from before keys, or a sending not made from one of our
    pages. Nothing is made; the view shows the form again, as sent, with a fresh key to send it with."""

    def __init__(self):
        super().__init__(_("This form has expired. Your text is kept below: send it again."))


def claim(key: str | None) -> None:
    """Claim the key for this request, in its transaction (a refused action releases it with the rest), or
    raise Repeated when another sending of the same form claimed it first (on PostgreSQL the insert waits
    for that request to end). A form without a valid key raises Expired: without one, nothing could tell a
    repeat from a new sending, and twenty identical sendings would make twenty objects."""
    if not key or not _KEY.match(key) or not _sent(key):
        raise Expired()
    forget_old()
    claimed = db.session.execute(insert_unless_duplicate(FormKey).values(key=key, answer_url="", created_at=utcnow())
                                 .returning(FormKey.id)).scalar()
    if claimed is None:
        raise Repeated(db.session.scalar(select(FormKey.answer_url).where(FormKey.key == key)) or "")


def _sent(key: str) -> bool:
    """Whether the key came with the request. A create form given none takes a new one as its default
    (app/web/forms.py, CreateForm): that key was made here, for this request, and proves nothing."""
    return not has_request_context() or key in request.form.getlist("form_key")


def answered(key: str | None, answer_url: str) -> str:
    """Remember where the first sending led; returns the URL, for the view's redirect."""
    if key and _KEY.match(key):
        db.session.execute(update(FormKey).where(FormKey.key == key).values(answer_url=answer_url[:500]))
    return answer_url


def forget_old() -> int:
    """Keys older than two days answer nothing any more (a page that old is sent again on purpose)."""
    return db.session.execute(delete(FormKey).where(FormKey.created_at < utcnow() - KEPT)).rowcount
