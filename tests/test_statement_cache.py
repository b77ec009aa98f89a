"""The hot path's statements are compiled once per process, not on every request: SQLAlchemy's statement
cache must be able to key them (bench/signing.py measures what it saves)."""
from contextlib import contextmanager

from sqlalchemy import event, func, select

from app.audit import chain
from app.audit.models import AuditEntry
from app.audit.services import record
from app.database import insert_row_unless_duplicate, insert_unless_duplicate
from app.extensions import db
from app.form_keys.models import FormKey
from app.time import utcnow


@contextmanager
def compiled_forms():
    """The compiled form of each statement run meanwhile, in order (inside an app context)."""
    compiled = []

    def remember(_conn, _cursor, _sql, _params, context, _many):
        compiled.append(context.compiled)
    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        yield compiled
    finally:
        db.session.rollback()
        event.remove(db.engine, "before_cursor_execute", remember)


def test_insert_unless_duplicate_is_cached_and_still_skips_duplicates(app):
    with app.app_context(), compiled_forms() as compiled:
        first = insert_unless_duplicate(FormKey).values(key="k1", answer_url="", created_at=utcnow())
        second = insert_unless_duplicate(FormKey).values(key="k2", answer_url="", created_at=utcnow())
        assert first._generate_cache_key() is not None
        assert first._generate_cache_key() == second._generate_cache_key()
        assert "ON CONFLICT DO NOTHING" in str(first.compile(db.engine))
        returning = insert_unless_duplicate(FormKey).values(key="k1", answer_url="", created_at=utcnow())
        assert db.session.scalar(returning.returning(FormKey.key)) == "k1"
        # The same statement again meets the unique key: nothing is inserted, nothing fails.
        assert db.session.scalar(returning.returning(FormKey.key)) is None
    # The second execution reused the first one's compiled form.
    assert compiled[-1] is compiled[-2]


def test_prebuilt_inserts_apply_column_defaults_skip_duplicates_and_compile_once(app):
    with app.app_context(), compiled_forms() as compiled:
        first = insert_row_unless_duplicate(FormKey, {"key": "p1", "answer_url": "/a"})
        second = insert_row_unless_duplicate(FormKey, {"key": "p2", "answer_url": "/b"})
        assert first and second and first != second
        assert compiled[-1] is compiled[-2]
        # The unique key holds: the same key again inserts nothing and says so.
        assert insert_row_unless_duplicate(FormKey, {"key": "p1", "answer_url": "/c"}) is None
        # The column default (created_at) was applied, as the ORM would have; the request knows it wrote.
        row = db.session.scalar(select(FormKey).where(FormKey.key == "p1"))
        assert row.answer_url == "/a" and row.created_at is not None
        assert db.session.info.get("flushed") is True
        entry_id = record(None, "test_prebuilt", ("form_keys", first), note="n")
        entry = db.session.get(AuditEntry, entry_id)
        assert (entry.target_type, entry.target_id, entry.details) == ("form_keys", first, {"note": "n"})
        assert chain.verify() == (db.session.scalar(select(func.count()).select_from(AuditEntry)), None)
