from typing import Any

from flask import has_request_context, request

from app.audit.models import AuditEntry
from app.extensions import db


def client_address() -> str:
    """The client's address (behind SANAD_PROXY_COUNT proxies, as ProxyFix resolved it)."""
    return (request.remote_addr or "") if has_request_context() else ""


def record(actor, action: str, target=None, **details: Any) -> AuditEntry:
    """Add an audit entry to the current transaction; it is committed with the change it describes."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target.__tablename__ if target is not None else "",
        target_id=target.id if target is not None else None,
        details=details,
        ip=client_address(),
    )
    db.session.add(entry)
    return entry
