"""Counting the database work of one request or one job in the process that does it: statements executed, rows
fetched from the cursor, and on SQLite the virtual machine's steps (in thousands of instructions).

Rows are counted where SQLAlchemy takes them from the DB-API cursor for a result: the fetchone, fetchmany and
fetchall of sqlalchemy.engine.cursor's fetch strategies (the plain one, which pysqlite and psycopg use, and the
buffered ones, used for server-side cursors and some RETURNING results), so ORM and Core reads alike are
counted, once each (a strategy method calling another one counts at the outer call only). Statements are
counted by the engine's before_cursor_execute event, on every engine; SQLite's steps by a progress handler
installed on every new sqlite3 connection (every 1,000 instructions), a second figure of the work done.
A figure independent of the machine's speed: the same page on the same data fetches the same rows.
"""
import sqlite3
import threading

from sqlalchemy import event
from sqlalchemy.engine import Engine, cursor
from sqlalchemy.pool import Pool

STEP = 1000  # SQLite instructions per progress-handler call
_local = threading.local()
_STRATEGIES = (cursor.CursorFetchStrategy, cursor.BufferedRowCursorFetchStrategy,
               cursor.FullyBufferedCursorFetchStrategy)
_installed = []


class Tally:
    """What one request (or job) cost the database."""

    def __init__(self):
        self.queries = self.rows = self.steps = 0


def _current() -> Tally | None:
    return getattr(_local, "tally", None)


def start() -> Tally:
    """Count from now on, in this thread, into a fresh Tally (returned)."""
    _local.tally, _local.depth = Tally(), 0
    return _local.tally


def stop() -> Tally | None:
    tally, _local.tally = _current(), None
    return tally


def _counted(method, one: bool):
    def fetch(self, result, dbapi_cursor, *args, **kwargs):
        _local.depth = getattr(_local, "depth", 0) + 1
        try:
            rows = method(self, result, dbapi_cursor, *args, **kwargs)
        finally:
            _local.depth -= 1
        tally = _current()
        if tally is not None and _local.depth == 0 and rows is not None:
            tally.rows += 1 if one else len(rows)
        return rows
    fetch.__wrapped__ = method
    return fetch


def _executed(*_args, **_kwargs) -> None:
    tally = _current()
    if tally is not None:
        tally.queries += 1


def _step() -> int:
    tally = _current()
    if tally is not None:
        tally.steps += 1
    return 0  # go on


def _connected(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.set_progress_handler(_step, STEP)


def install() -> None:
    """Wrap the fetch strategies and listen on every engine and pool; once per process, before the app
    makes its engine."""
    if _installed:
        return
    for strategy in _STRATEGIES:
        for name in ("fetchone", "fetchmany", "fetchall"):
            if name in vars(strategy):
                setattr(strategy, name, _counted(vars(strategy)[name], one=name == "fetchone"))
    event.listen(Engine, "before_cursor_execute", _executed)
    event.listen(Pool, "connect", _connected)
    _installed.append(True)
