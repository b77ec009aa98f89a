from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.institutions.models import Institution
from app.organizations.models import Organization
from app.time import utcnow


class User(UserMixin, db.Model):
    """A person with an account: member, representative, expert, coordinator, reviewer or admin."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("org_role IS NULL OR organization_id IS NOT NULL", name="org_role_needs_organization"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(120))
    designation: Mapped[str] = mapped_column(String(120), default="")
    gender: Mapped[str | None] = mapped_column(String(20))
    province: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5), default="en")
    notification_mode: Mapped[str] = mapped_column(String(10), default="immediate", server_default="immediate")
    platform_role: Mapped[str | None] = mapped_column(String(20))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    org_role: Mapped[str | None] = mapped_column(String(20))
    is_expert: Mapped[bool] = mapped_column(default=False)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Second factor (TOTP): the shared secret, set at enrolment and in use once confirmed by a first code;
    # the last time step a code was accepted for, so no code works twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]

    organization: Mapped[Organization | None] = relationship(back_populates="people")
    institution: Mapped[Institution | None] = relationship(back_populates="reviewers")

    # The token of the login session this object was loaded for (see LoginSession); not a column.
    login_token = None

    @property
    def has_second_factor(self) -> bool:
        return self.totp_confirmed_at is not None

    def get_id(self) -> str | None:
        return self.login_token

    @property
    def is_active(self) -> bool:
        return self.active


class Invitation(db.Model):
    """A single-use, expiring invitation to join the platform in a given capacity."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    # Only a hash of the token is stored, so a leaked database does not leak usable links.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    org_role: Mapped[str | None] = mapped_column(String(20))
    is_expert: Mapped[bool] = mapped_column(default=False)
    platform_role: Mapped[str | None] = mapped_column(String(20))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organization: Mapped[Organization | None] = relationship()
    institution: Mapped[Institution | None] = relationship()
    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id])

    def is_usable(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at


class LoginSession(db.Model):
    """One login on one device. The browser's signed cookie carries only the token; logging out,
    changing the password or being deactivated ends the row, so a copied cookie stops working."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    ip: Mapped[str] = mapped_column(String(45), default="")
    # For the idle timeout and the list of one's sessions (updated at most once a minute).
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=sa.func.current_timestamp())
    user_agent: Mapped[str] = mapped_column(String(200), default="", server_default="")

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """One of the ten single-use codes that stand in for the authenticator app. Only a hash is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
