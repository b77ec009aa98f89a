from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.time import utcnow

ROW_ID = 1  # one deployment serves one alliance: the settings are one row


class AllianceSettings(db.Model):
    """The alliance's settings as an admin last saved them. Until the first save there is no row, and the
    first values come from the environment (app/config.py)."""

    __tablename__ = "alliance_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ur: Mapped[str] = mapped_column(String(200), default="")  # empty: Urdu pages show the English name
    short_name: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")  # empty: the deciding coordinator's
    consultation_days: Mapped[int]
    signon_days: Mapped[int]  # 0: no sign-on deadline is suggested
    acknowledge_days: Mapped[int]  # for an institution to acknowledge receipt
    answer_days: Mapped[int]  # for an institution to answer the recommendations
    # Ticked on the submit page besides the institutions the recommendations are addressed to. Institutions
    # are never deleted; ids that name none are ignored when read.
    default_recipient_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped["User | None"] = relationship()  # noqa: F821
