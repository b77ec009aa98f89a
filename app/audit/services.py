import json
from typing import Any

from flask import g, has_request_context, request

from app.audit import chain
from app.audit.models import AuditEntry
from app.database import insert_row
from app.time import utcnow


def client_address() -> str:
    """The client's address (behind SANAD_PROXY_COUNT proxies, as ProxyFix resolved it)."""
    return (request.remote_addr or "") if has_request_context() else ""


def record(actor, action: str, target=None, **details: Any) -> int:
    """Add an audit entry to the current transaction, chained to the one before it (app/audit/chain.py);
    it is committed with the change it describes. The target is an ORM object, or (table name, id) for a
    row written without one. Returns the entry's id.

    Written at once with an INSERT built once (app.database.insert_row): every change writes one, so it
    costs no ORM object and no statement building."""
    target_type, target_id = ("", None) if target is None else target if isinstance(target, tuple) else \
        (target.__tablename__, target.id)
    fields = {"actor_id": actor.id if actor is not None else None, "action": action,
              "target_type": target_type, "target_id": target_id,
              "details": json.loads(json.dumps(details, default=str)),  # as the JSON column will give it back
              "ip": client_address(), "created_at": utcnow()}
    prev = chain.last_link()
    return insert_row(AuditEntry, {**fields, "prev_sha256": prev, "sha256": chain.entry_hash(prev, **fields)})


def record_after_request(actor, action: str, target=None, **details: Any) -> None:
    """An entry about something refused (a wrong code, a full rate limit): the refusal writes nothing else,
    its response may be an error (which commits nothing), and a savepoint around it may be undone. So the
    entry is kept aside and written, and committed on its own, once the request has finished
    (app/__init__.py, finish_unit_of_work)."""
    if target is not None and not isinstance(target, tuple):
        target = (target.__tablename__, target.id)
    g.setdefault("records_after_request", []).append((actor.id if actor is not None else None, action, target,
                                                      details))


def write_records_after_request() -> int:
    """Write what record_after_request kept aside in this request; returns how many (the caller commits)."""
    kept = g.pop("records_after_request", [])
    for actor_id, action, target, details in kept:
        record(_ActorId(actor_id) if actor_id is not None else None, action, target, **details)
    return len(kept)


class _ActorId:
    """An actor known only by id (the user object may belong to a session that has ended)."""

    def __init__(self, actor_id: int):
        self.id = actor_id
