from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import SignatureStatus
from app.extensions import db
from app.time import utcnow


class OpenSignonRequest(db.Model):
    """An organization outside the alliance asking to sign through the public form.

    It becomes a signature once its email link is confirmed; a coordinator then approves it.
    """

    __tablename__ = "open_signon_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"), index=True)
    organization_name: Mapped[str] = mapped_column(String(200))
    organization_type: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(100))
    province: Mapped[str | None] = mapped_column(String(20))
    website: Mapped[str] = mapped_column(String(300), default="")
    signer_name: Mapped[str] = mapped_column(String(120))
    signer_designation: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254))
    # Normalised forms, for rate limits and for flagging likely duplicates to coordinators.
    email_key: Mapped[str] = mapped_column(String(254), index=True)
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    visibility: Mapped[str] = mapped_column(String(12), default="public")
    language: Mapped[str] = mapped_column(String(5), default="en")
    # The version the form showed; a new one is set when the signer is asked to re-confirm.
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"))
    # Only a hash of the emailed token is stored; a new token is issued when the text is reopened.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Signature(db.Model):
    """One organization's or one expert's signature on an exact version of a declaration.

    Never deleted: withdrawal, re-confirmation on a newer version and rejection change its status.
    """

    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"))  # ix_signatures_declaration_status
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[str] = mapped_column(String(12))  # organization | individual
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    open_request_id: Mapped[int | None] = mapped_column(ForeignKey("open_signon_requests.id"), index=True)
    # Name and designation as they were at signing, not as the profile says today.
    signer_name: Mapped[str] = mapped_column(String(120))
    signer_designation: Mapped[str] = mapped_column(String(120), default="")
    visibility: Mapped[str] = mapped_column(String(12))  # public | alliance | coordinators
    status: Mapped[str] = mapped_column(String(12), default=SignatureStatus.ACTIVE, index=True)
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Organizations outside the alliance wait for a coordinator's approval.
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    end_reason: Mapped[str] = mapped_column(Text, default="")
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id"))

    version: Mapped["Version"] = relationship()  # noqa: F821
    organization: Mapped["Organization | None"] = relationship()  # noqa: F821
    user: Mapped["User | None"] = relationship(foreign_keys=[user_id])  # noqa: F821
    open_request: Mapped[OpenSignonRequest | None] = relationship()
    reservations: Mapped[list["Reservation"]] = relationship(order_by="Reservation.id")

    @property
    def external(self) -> bool:
        return self.open_request_id is not None

    @property
    def display_name(self) -> str:
        if self.organization is not None:
            return self.organization.display_name
        if self.open_request is not None:
            return self.open_request.organization_name
        return self.signer_name

    @property
    def verified(self) -> bool:
        """Counted as signed: experts at once, member organizations once verified, outside ones once approved."""
        if self.capacity == "individual":
            return True
        if self.organization is not None:
            return self.organization.verified
        return self.approved_at is not None


class Reservation(db.Model):
    """A signer's reservation on one recommendation, part of what they signed."""

    __tablename__ = "signature_reservations"
    __table_args__ = (UniqueConstraint("signature_id", "recommendation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signature_id: Mapped[int] = mapped_column(ForeignKey("signatures.id"), index=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"))
    text: Mapped[str] = mapped_column(Text)


class SignatureReminder(db.Model):
    """A reminder sent to an organization's representatives; the unique key allows one a day."""

    __tablename__ = "signature_reminders"
    __table_args__ = (UniqueConstraint("declaration_id", "organization_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    sent_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


# One active signature per organization and per individual, held by the database itself:
# double clicks, retries and races end in one row whatever the code above does.
_ACTIVE = "status = 'active'"
# A declaration's signatures of a status (active ones counted on the coordinator's home, listed, exported).
Index("ix_signatures_declaration_status", Signature.declaration_id, Signature.status)
Index("uq_signatures_active_organization", Signature.declaration_id, Signature.organization_id, unique=True,
      sqlite_where=text(f"{_ACTIVE} AND organization_id IS NOT NULL"),
      postgresql_where=text(f"{_ACTIVE} AND organization_id IS NOT NULL"))
Index("uq_signatures_active_individual", Signature.declaration_id, Signature.user_id, unique=True,
      sqlite_where=text(f"{_ACTIVE} AND capacity = 'individual'"),
      postgresql_where=text(f"{_ACTIVE} AND capacity = 'individual'"))
Index("uq_signatures_active_open_request", Signature.declaration_id, Signature.open_request_id, unique=True,
      sqlite_where=text(f"{_ACTIVE} AND open_request_id IS NOT NULL"),
      postgresql_where=text(f"{_ACTIVE} AND open_request_id IS NOT NULL"))
