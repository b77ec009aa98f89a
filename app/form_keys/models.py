from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.time import utcnow


class FormKey(db.Model):
    """The key of a create form that was sent, and where its first sending led. The key is random and
    unique per rendered form; a unique index makes the first sender the only one to make the object."""

    __tablename__ = "form_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    answer_url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
