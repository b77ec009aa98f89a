"""Writing and reading through the session: conditional updates that settle races, inserts that skip
duplicates (prebuilt for the hot paths), plain-column reads, SQLite's write lock and pragmas, and the
check of connections that sat idle. The request's single commit (app/__init__.py) knows whether anything
was written from the session events here."""
import sqlite3
import time

from sqlalchemy import String, cast, event, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.sqlalchemy_private import ignoring_insert

# The largest id a table holds: every primary key is an INTEGER, 32 bits on PostgreSQL (a larger number in a URL,
# a form or a cursor is no id at all: comparing it would be an error there, a plain "not found" here).
MAX_ID = 2**31 - 1


@event.listens_for(Session, "after_flush")
def _remember_flush(session, _context):
    """Lets the request know it wrote something, even when the changes were flushed before the end."""
    session.info["flushed"] = True


@event.listens_for(Session, "do_orm_execute")
def _remember_bulk_write(state):
    """INSERT/UPDATE/DELETE statements run through the session count as writes too."""
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["flushed"] = True


def insert_unless_duplicate(model):
    """INSERT … ON CONFLICT DO NOTHING on the database in use: a row that would break a unique index
    is skipped instead of failing the transaction. Add .returning(…) to learn whether it went in."""
    return ignoring_insert(model, db.session.get_bind().dialect.name)


def insert_row_unless_duplicate(model, values: dict) -> int | None:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id, built once per table and database and run on the
    session's connection with the values as parameters: the new row's id, or None when the row would
    break a unique index. For the hottest writes (a signature): no statement to build and no ORM object to
    make, a third of the cost of insert_unless_duplicate(...).values(...) through the session. Column
    defaults apply as usual; the request is marked as having written (its commit depends on it)."""
    return _insert_prebuilt(model, values, ignore_duplicates=True)


def insert_row(model, values: dict) -> int:
    """INSERT … RETURNING id as insert_row_unless_duplicate builds and runs it, for rows written on every
    change (audit entries); a row that breaks a constraint fails as usual."""
    return _insert_prebuilt(model, values, ignore_duplicates=False)


def _insert_prebuilt(model, values: dict, ignore_duplicates: bool):
    connection = db.session.connection()
    key = (model, connection.dialect.name, ignore_duplicates)
    statement = _PREBUILT_INSERTS.get(key)
    if statement is None:
        statement = _PREBUILT_INSERTS[key] = (insert_unless_duplicate(model) if ignore_duplicates
                                              else insert(model)).returning(model.id)
    db.session.info["flushed"] = True
    return connection.execute(statement, values).scalar()


_PREBUILT_INSERTS: dict = {}


def update_if(obj, *conditions, **values) -> bool:
    """Write values to obj's row only while the row still meets the conditions it was read in: one
    conditional UPDATE, so of two requests racing on the same object only one changes it (on PostgreSQL
    the second waits for the first and then re-checks). False, and nothing written, when the row had
    moved on. The object in the session shows the new values."""
    model = type(obj)
    result = db.session.execute(update(model).where(model.id == obj.id, *conditions).values(**values)
                                .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    for key, value in values.items():
        set_committed_value(obj, key, value)
    return True


def json_list_contains(column, value: str):
    """A condition that the JSON list in `column` (a list of words from a controlled list, such as a
    recommendation's themes) holds `value`, in SQL on both databases: the JSON text contains the quoted word
    (LIKE's wildcards in it escaped). For filters that page in SQL instead of reading every row into Python."""
    return cast(column, String).contains(f'"{value}"', autoescape=True)


def counted_window(query, number: int, per_page: int, count_up_to: int) -> tuple[int, int]:
    """For page `number` of query: (the page to show, the rows counted up to count_up_to beyond its start). The
    count stops early however many rows there are; a page past the end answers the last one."""
    while True:
        start = (number - 1) * per_page
        counted = db.session.scalar(select(func.count()).select_from(
            query.order_by(None).limit(start + count_up_to + 1).subquery()))
        if counted > start or number == 1:
            return number, counted
        number = max(1, -(-counted // per_page))


def read_rows(statement, parameters: dict | None = None):
    """Run a SELECT of plain columns (never whole objects) on the session's connection, inside the request's
    transaction, after flushing as db.session.execute would: the same rows without the ORM's result
    processing. For the light reads of the hottest paths, where it costs about two thirds as much."""
    db.session.flush()
    return db.session.connection().execute(statement, parameters or {})


def begin_writing_on_sqlite() -> None:
    """On SQLite, take the write lock now, before reading what will be changed (BEGIN IMMEDIATE, waiting as
    busy_timeout allows), unless this transaction already holds it. Used by app.web.pages.attempt (a savepoint
    must sit inside an explicitly begun transaction: one begun by the SAVEPOINT itself would be committed by
    its RELEASE) and by the audit chain (the last link is read under the lock). SQLite has one writer at a
    time, so this only queues the writers earlier; reads before it stay outside any transaction."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        driver_connection = connection.connection.driver_connection
        if not driver_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def checkpoint_sqlite() -> None:
    """On SQLite, move what the write-ahead log holds into the database now (PRAGMA wal_checkpoint(PASSIVE),
    which waits for no one and holds no writer back). For jobs that write a lot, batch after batch: otherwise
    the log grows past SQLite's 1,000 pages and one of the site's own commits pays for the checkpoint."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        db.session.commit()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL for concurrent readers, enforced foreign keys, and waiting instead of failing on locks."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


# A pooled connection unused for longer than this is checked before it is handed out.
PING_AFTER_IDLE_SECONDS = 10


def ping_after_idle(engine) -> None:
    """pool_pre_ping's check, but only for a connection that sat in the pool for a while: a database that
    restarted or dropped idle connections is noticed before a request uses one, while a busy server (a
    signing storm) does not pay a round trip on every request. A connection that fails the check is
    replaced (DisconnectionError makes the pool take a new one). A restart within the idle window costs
    the next request on each stale connection a 503; SQLAlchemy then invalidates the whole pool."""
    if engine.dialect.name == "sqlite":
        return  # a file, not a server: nothing to go stale

    @event.listens_for(engine.pool, "checkin")
    def _checked_in(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _checked_out(dbapi_connection, record, _proxy):
        since = record.info.get("idle_since")
        if since is not None and time.monotonic() - since > PING_AFTER_IDLE_SECONDS:
            try:
                engine.dialect.do_ping(dbapi_connection)
            except Exception as error:  # noqa: BLE001 - any failure means: do not use this connection
                raise DisconnectionError("stale connection") from error
