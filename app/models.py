"""Every model, imported in one place so that Alembic and the tests see the whole schema."""
from app.accounts.models import Invitation, User
from app.audit.models import AuditEntry
from app.institutions.models import Institution
from app.mail.models import OutboxMessage
from app.organizations.models import Organization

__all__ = ["AuditEntry", "Institution", "Invitation", "OutboxMessage", "Organization", "User"]
