import json
from typing import Any

from flask import has_request_context, request

from app.audit import chain
from app.audit.models import AuditEntry
from app.extensions import insert_row
from app.time import utcnow


def client_address() -> str:
    """The client's address (behind SANAD_PROXY_COUNT proxies, as ProxyFix resolved it)."""
    return (request.remote_addr or "") if has_request_context() else ""


def record(actor, action: str, target=None, **details: Any) -> int:
    """Add an audit entry to the current transaction, chained to the one before it (app/audit/chain.py);
    it is committed with the change it describes. The target is an ORM object, or (table name, id) for a
    row written without one. Returns the entry's id.

    Written at once with an INSERT built once (app.extensions.insert_row): every change writes one, so it
    costs no ORM object and no statement building."""
    target_type, target_id = ("", None) if target is None else target if isinstance(target, tuple) else \
        (target.__tablename__, target.id)
    fields = {"actor_id": actor.id if actor is not None else None, "action": action,
              "target_type": target_type, "target_id": target_id,
              "details": json.loads(json.dumps(details, default=str)),  # as the JSON column will give it back
              "ip": client_address(), "created_at": utcnow()}
    prev = chain.last_link()
    return insert_row(AuditEntry, {**fields, "prev_sha256": prev, "sha256": chain.entry_hash(prev, **fields)})
