"""When the database is unreachable, every page answers 503 at once, and the site comes back by itself.

A request that meets a database error asks whether the database answers at all (one probe on a fresh
connection). If it does not, this process notes the database as down: from then on every request but static
files gets the 503 page without waiting on the database, nothing renders as if the visitor were logged out
(a page that needs a login would otherwise send them to the login form: failing open), and at most once a
second one request probes again. The first probe that succeeds ends it. Per app in each process (kept in
app.extensions), no shared state."""
import threading
import time

from flask import current_app
from sqlalchemy import text

from app.extensions import db

PROBE_EVERY_SECONDS = 1.0
_lock = threading.Lock()


def _state() -> dict:
    return current_app.extensions.setdefault("sanad_availability", {"down": False, "next_probe": 0.0})


def is_down() -> bool:
    """Whether requests should get the 503 page now. While down, one caller a second probes again."""
    state = _state()
    if not state["down"]:
        return False
    with _lock:
        now = time.monotonic()
        if now < state["next_probe"]:
            return True
        state["next_probe"] = now + PROBE_EVERY_SECONDS
    if _answers():
        state["down"] = False
        return False
    return True


def note_error() -> None:
    """A database error happened: find out whether the database is down, and remember it if so."""
    if not _answers():
        state = _state()
        with _lock:
            state["down"] = True
            state["next_probe"] = time.monotonic() + PROBE_EVERY_SECONDS


def _answers() -> bool:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - a connection the server dropped cannot even roll back
        db.session().invalidate()
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure to reach the database means it does not answer
        return False
