"""The audit log as a hash chain: each entry carries the SHA-256 of the entry before it and its own, over
its content and that link, so that an entry changed or removed in the database shows when the chain is
walked (`flask audit verify`). Entries are chained in the order they are written: the writer holds the
database's write lock from reading the last link until its commit (an advisory lock on PostgreSQL, the
one write lock on SQLite)."""
import hashlib
import json
from datetime import datetime

from sqlalchemy import select, text

from app.audit.models import AuditEntry
from app.database import begin_writing_on_sqlite, read_rows
from app.extensions import db

CHAIN_LOCK = 727_001  # the advisory lock key of the audit chain on PostgreSQL


def entry_hash(prev_sha256: str, created_at: datetime, actor_id, action: str, target_type: str, target_id,
               details: dict, ip: str) -> str:
    content = {"prev": prev_sha256, "at": created_at.isoformat(timespec="microseconds"), "actor": actor_id,
               "action": action, "target": [target_type, target_id], "details": details, "ip": ip}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def last_link() -> str:
    """The sha256 of the newest entry, read under the chain's lock (held until the transaction ends)."""
    db.session.flush()  # earlier entries of this transaction are then in the table, in order
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    else:
        begin_writing_on_sqlite()
    return read_rows(LAST_LINK).scalar() or ""


LAST_LINK = select(AuditEntry.sha256).order_by(AuditEntry.id.desc()).limit(1)


def verify() -> tuple[int, str | None]:
    """Walk the chain in order: (entries checked, None) when whole, or (n, what is wrong at the first break)."""
    previous, checked = "", 0
    for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000):
        if entry.prev_sha256 != previous:
            return checked, (f"entry {entry.id} ({entry.action}, {entry.created_at:%Y-%m-%d %H:%M}): the entry "
                             f"before it was changed or removed")
        expected = entry_hash(entry.prev_sha256, entry.created_at, entry.actor_id, entry.action, entry.target_type,
                              entry.target_id, entry.details or {}, entry.ip)
        if entry.sha256 != expected:
            return checked, f"entry {entry.id} ({entry.action}, {entry.created_at:%Y-%m-%d %H:%M}) was changed"
        previous, checked = entry.sha256, checked + 1
    return checked, None
