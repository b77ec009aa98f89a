from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.time import utcnow


class OpenDataArchive(db.Model):
    """The bulk download of all public data (CSV and JSON files with their JSON Schemas, in one zip), built by
    a job when the public data changed: `stamp` names the data it was built from."""

    __tablename__ = "open_data_archives"

    id: Mapped[int] = mapped_column(primary_key=True)
    stamp: Mapped[str] = mapped_column(String(64), unique=True)
    built_at: Mapped[datetime] = mapped_column(default=utcnow)
    size: Mapped[int]
    archive: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
