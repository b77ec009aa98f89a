"""Unbound extension objects, attached to the app in create_app()."""
import sqlite3
import time

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql.dml import OnConflictDoNothing as PostgresDoNothing
from sqlalchemy.dialects.sqlite.dml import OnConflictDoNothing as SqliteDoNothing
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.orm.attributes import set_committed_value

# Named constraints so that Alembic migrations can drop them again on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)


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
    insert_class, do_nothing = _IGNORING_INSERTS[db.session.get_bind().dialect.name]
    statement = insert_class(model)
    statement._post_values_clause = do_nothing()  # what .on_conflict_do_nothing() sets, cacheable
    return statement


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


# SQLAlchemy 2.0's dialect INSERTs and their ON CONFLICT clauses opt out of its statement cache, so each one
# was compiled again on every execution (a quarter of a signing request's CPU). A bare DO NOTHING has no
# parameters, so its class alone identifies it; the INSERT's own cache key already covers its clauses.
class _PostgresInsert(postgresql.Insert):
    inherit_cache = True


class _PostgresDoNothing(PostgresDoNothing):
    inherit_cache = True
    _cache_key_traversal = ()


class _SqliteInsert(sqlite.Insert):
    inherit_cache = True


class _SqliteDoNothing(SqliteDoNothing):
    inherit_cache = True
    _cache_key_traversal = ()


_IGNORING_INSERTS = {"postgresql": (_PostgresInsert, _PostgresDoNothing), "sqlite": (_SqliteInsert, _SqliteDoNothing)}


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


def read_rows(statement, parameters: dict | None = None):
    """Run a SELECT of plain columns (never whole objects) on the session's connection, inside the request's
    transaction, after flushing as db.session.execute would: the same rows without the ORM's result
    processing. For the light reads of the hottest paths, where it costs about two thirds as much."""
    db.session.flush()
    return db.session.connection().execute(statement, parameters or {})


def begin_writing_on_sqlite() -> None:
    """On SQLite, take the write lock now, before reading what will be changed (BEGIN IMMEDIATE, waiting as
    busy_timeout allows), unless this transaction already holds it. Used by app.views.attempt (a savepoint
    must sit inside an explicitly begun transaction: one begun by the SAVEPOINT itself would be committed by
    its RELEASE) and by the audit chain (the last link is read under the lock). SQLite has one writer at a
    time, so this only queues the writers earlier; reads before it stay outside any transaction."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        driver_connection = connection.connection.driver_connection
        if not driver_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


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
