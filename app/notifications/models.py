from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.time import utcnow


class Notification(db.Model):
    """Something a person is told about: emailed at once, gathered into a daily digest, or not sent."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(500), default="")
    delivery: Mapped[str] = mapped_column(String(10))  # immediate, daily or none, as chosen at the time
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    emailed_at: Mapped[datetime | None]

    user: Mapped["User"] = relationship()  # noqa: F821


Index("ix_notifications_digest", Notification.delivery, Notification.emailed_at)
Index("ix_notifications_user", Notification.user_id, Notification.created_at)
