"""Claiming a form's key before making what it asks for, and remembering where the answer led."""
import re
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from app.extensions import db, insert_unless_duplicate
from app.form_keys.models import FormKey
from app.time import utcnow

_KEY = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEPT = timedelta(days=2)


class Repeated(Exception):  # noqa: N818 - the name says what happened
    """This form was sent before: the view answers with where the first sending led."""

    def __init__(self, answer_url: str):
        super().__init__(_("This was already sent; here is what it made."))
        self.answer_url = answer_url


def claim(key: str | None) -> None:
    """Claim the key for this request, in its transaction (a refused action releases it with the rest), or
    raise Repeated when another sending of the same form claimed it first (on PostgreSQL the insert waits
    for that request to end). A form without a valid key — an old page — is made as asked."""
    if not key or not _KEY.match(key):
        return
    forget_old()
    claimed = db.session.execute(insert_unless_duplicate(FormKey).values(key=key, answer_url="", created_at=utcnow())
                                 .returning(FormKey.id)).scalar()
    if claimed is None:
        raise Repeated(db.session.scalar(select(FormKey.answer_url).where(FormKey.key == key)) or "")


def answered(key: str | None, answer_url: str) -> str:
    """Remember where the first sending led; returns the URL, for the view's redirect."""
    if key and _KEY.match(key):
        db.session.execute(update(FormKey).where(FormKey.key == key).values(answer_url=answer_url[:500]))
    return answer_url


def forget_old() -> int:
    """Keys older than two days answer nothing any more (a page that old is sent again on purpose)."""
    return db.session.execute(delete(FormKey).where(FormKey.created_at < utcnow() - KEPT)).rowcount
