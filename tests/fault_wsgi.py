"""The app with one injected fault, for tests/test_faults.py: the gunicorn worker kills itself (SIGKILL) once,
in the middle of the request that writes the audit entry named by SANAD_FAULT_ACTION, either before its
transaction commits (SANAD_FAULT_WHEN=before_commit: as the entry is inserted) or just after the commit,
before any answer is sent (after_commit). SANAD_FAULT_MARKER is a file created when the fault fires, so
that the retried request runs normally."""
import os
import signal
import threading

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from wsgi import app

ACTION, WHEN, MARKER = (os.environ["SANAD_FAULT_ACTION"], os.environ["SANAD_FAULT_WHEN"],
                        os.environ["SANAD_FAULT_MARKER"])
_due = threading.local()


def _die_once() -> None:
    try:
        descriptor = os.open(MARKER, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.close(descriptor)
    os.kill(os.getpid(), signal.SIGKILL)


with app.app_context():
    @event.listens_for(db.engine, "before_cursor_execute")
    def _before(_conn, _cursor, statement, parameters, _context, _many):
        if statement.startswith("INSERT INTO audit_entries") and ACTION in str(parameters):
            if WHEN == "before_commit":
                _die_once()
            _due.value = True


@event.listens_for(Session, "after_commit")
def _after_commit(_session):
    if WHEN == "after_commit" and getattr(_due, "value", False):
        _due.value = False
        _die_once()
