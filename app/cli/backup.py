"""Backups: `flask backup create PATH` and `flask backup restore PATH`.

PostgreSQL: pg_dump's custom format, one consistent snapshot taken while the site keeps running (pg_dump
reads inside one repeatable-read transaction); restored with pg_restore into an empty database. SQLite:
SQLite's online backup API, which copies a consistent image of the file while other connections write.

A restore goes only into an empty database (no table of ours holds a row), so a backup is never mixed into
live data by mistake. After a restore, `flask audit verify` and the dossier hashes (checked here) say
whether what came back is what was saved."""
import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url

from app.declarations.services import content_hash
from app.extensions import db
from app.submissions.models import Submission


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def _sqlite_path(url) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory database cannot be backed up.")
    return url.database


def _libpq_url(url) -> str:
    """The SQLAlchemy URL as libpq reads it (no driver suffix)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    versioned = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    found = shutil.which(name) or (versioned[-1] if versioned else None)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client (Debian: postgresql-client).")
    return found


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def create(path: str) -> dict[str, int] | None:
    """Write a backup of the database in use to path. Returns the row counts the file holds (SQLite), or None
    (PostgreSQL: the counts are those of pg_dump's snapshot, which `restore` reports)."""
    url = make_url(db.engine.url)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")  # never a half-written file under the real name
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(partial)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}",
              f"--dbname={_libpq_url(url)}"])
    os.replace(partial, target)
    return counts(sqlite_file=target) if url.get_backend_name() == "sqlite" else None


def restore(path: str) -> dict:
    """Load a backup into the database in use, which must be empty; returns the row counts restored."""
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"No backup at {path}.")
    url = make_url(db.engine.url)
    if not is_empty():
        raise BackupError("The database is not empty: restore into a new, empty database (then point "
                          "DATABASE_URL at it).")
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        backup = sqlite3.connect(source)
        live = sqlite3.connect(_sqlite_path(url))
        try:
            with live:
                backup.backup(live)
        finally:
            live.close()
            backup.close()
    else:
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error",
              "--single-transaction", f"--dbname={_libpq_url(url)}", str(source)])
    db.engine.dispose()
    return counts()


def is_empty() -> bool:
    """True when none of our tables exists or holds a row."""
    existing = set(inspect(db.engine).get_table_names())
    for table in db.metadata.sorted_tables:
        if table.name in existing and db.session.scalar(select(func.count()).select_from(table)):
            return False
    return True


def counts(sqlite_file: Path | None = None) -> dict[str, int]:
    """Rows per table of ours: of the database in use, or of a SQLite backup file."""
    if sqlite_file is not None:
        connection = sqlite3.connect(sqlite_file)
        try:
            names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            return {table.name: connection.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
                    for table in db.metadata.sorted_tables if table.name in names}
        finally:
            connection.close()
    existing = set(inspect(db.engine).get_table_names())
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables if table.name in existing}


def check_dossiers() -> tuple[int, list[int]]:
    """Recompute every submission's dossier hash from its stored content: (how many, ids that differ)."""
    checked, wrong = 0, []
    for submission in db.session.scalars(select(Submission).execution_options(yield_per=50)):
        checked += 1
        if content_hash(submission.content) != submission.sha256:
            wrong.append(submission.id)
    return checked, wrong
