"""the audit log becomes a hash chain: each entry carries the previous entry's sha256 and its own

Revision ID: 0008_audit_chain
Revises: 0007_session_activity
Create Date: 2026-12-02 16:00:00

"""
import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = '0008_audit_chain'
down_revision = '0007_session_activity'
branch_labels = None
depends_on = None


def _hash(prev, created_at, actor_id, action, target_type, target_id, details, ip):
    """As app/audit/chain.py computes it (kept here as it was, so this migration never changes)."""
    content = {"prev": prev, "at": created_at.isoformat(timespec="microseconds"), "actor": actor_id,
               "action": action, "target": [target_type, target_id], "details": details, "ip": ip}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def upgrade():
    op.add_column('audit_entries', sa.Column('prev_sha256', sa.String(length=64), server_default='', nullable=False))
    op.add_column('audit_entries', sa.Column('sha256', sa.String(length=64), server_default='', nullable=False))
    # Chain the entries already written, with the append-only triggers set aside for this one pass.
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    if postgresql:
        op.execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change")
    else:
        op.execute("DROP TRIGGER audit_entries_no_update")
    table = sa.table('audit_entries', sa.column('id', sa.Integer), sa.column('created_at', sa.DateTime),
                     sa.column('actor_id', sa.Integer), sa.column('action', sa.String),
                     sa.column('target_type', sa.String), sa.column('target_id', sa.Integer),
                     sa.column('details', sa.JSON), sa.column('ip', sa.String),
                     sa.column('prev_sha256', sa.String), sa.column('sha256', sa.String))
    prev = ""
    for row in bind.execute(sa.select(table).order_by(table.c.id)).all():
        digest = _hash(prev, row.created_at, row.actor_id, row.action, row.target_type, row.target_id,
                       row.details or {}, row.ip)
        bind.execute(table.update().where(table.c.id == row.id).values(prev_sha256=prev, sha256=digest))
        prev = digest
    if postgresql:
        op.execute("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_change")
    else:
        op.execute("""CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
                      BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END""")


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('sha256')
        batch_op.drop_column('prev_sha256')
