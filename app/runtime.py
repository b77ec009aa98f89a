"""Process-wide interpreter settings: crash tracebacks in the log, and cyclic garbage collected only at
safe points on CPython 3.11.

Why the collector: CPython 3.11 runs a garbage collection inside whichever allocation crosses the
threshold, even in the middle of C code that is not re-entrant. When setting an attribute turns an
object's inline attribute values into a dict, that dict's allocation can start a collection; a weakref
callback run by it (SQLAlchemy's InstanceState._cleanup is one) then writes to the same object and frees
the values the first dict is being built on. The result is a use-after-free that crashed workers on the
reading page of large declarations (issue 10; a reduction without Sanad is in tests/web/crash311.py).
Python 3.12 moved collections to safe points between bytecodes; here we do the same for 3.11: automatic
collection is switched off and a daemon thread runs the collections the thresholds call for, holding the
GIL, so every other thread is paused between bytecodes, never inside an allocation.

Where: prepare_process() is called where a process starts — wsgi.py (every gunicorn worker, the benchmarks'
included, and every `flask` command, which load the app through it) and the test session (tests/conftest.py)
— never by create_app, which only wires (tests/web/test_runtime.py checks both). On Python 3.12 and later it only turns
on the crash tracebacks: the collector is a no-op there.

When it goes: the safe-point collector is removed when Sanad stops supporting Python 3.11 (Debian 12's
python3; Debian 13 ships 3.13), together with tests/web/crash311.py and the 3.11 tests of
tests/web/test_runtime.py.
"""
import faulthandler
import gc
import os
import sys
import threading
import time

# How often the collector looks at the allocation counts. Garbage cycles live at most this long.
INTERVAL_SECONDS = 0.05
NEEDS_SAFE_POINT_COLLECTOR = sys.version_info < (3, 12)

_collector: threading.Thread | None = None
_lock = threading.Lock()


def prepare_process() -> None:
    """Idempotent: called once where a process starts (wsgi.py, tests/conftest.py)."""
    _enable_faulthandler()
    if NEEDS_SAFE_POINT_COLLECTOR:
        start_safe_point_collector()


def _enable_faulthandler() -> None:
    """A crash (SIGSEGV, SIGABRT, …) prints every thread's Python traceback to stderr: the server log."""
    if faulthandler.is_enabled():
        return
    try:
        faulthandler.enable(file=sys.__stderr__, all_threads=True)
    except (AttributeError, ValueError, OSError):  # no real stderr (an embedding host): nothing to write to
        pass


def collect_due() -> int | None:
    """Run the collection the interpreter's own thresholds call for, if any; return its generation."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    for generation in (2, 1, 0):
        if thresholds[generation] and counts[generation] > thresholds[generation]:
            gc.collect(generation)
            return generation
    return None


def _collect_forever() -> None:
    while True:
        time.sleep(INTERVAL_SECONDS)
        collect_due()


def start_safe_point_collector() -> None:
    """Switch off allocation-time collection and start the collector thread of this process."""
    global _collector
    with _lock:
        if _collector is not None and _collector.is_alive():
            return
        gc.disable()
        _collector = threading.Thread(target=_collect_forever, name="sanad-gc", daemon=True)
        _collector.start()


def freeze_startup_objects() -> None:
    """For a server process, once the app is built: the objects made at start-up (modules, mappers, the
    app) live as long as the process, so the collector stops walking them (gc.freeze). A full collection
    then looks only at what requests made; it was the largest part of a worker's collection time."""
    gc.collect()
    gc.freeze()


def _after_fork_in_child() -> None:
    """A forked child (a gunicorn worker of a preloaded app) inherits gc.disable() but not the thread."""
    global _collector, _lock
    _lock = threading.Lock()  # the parent's may have been held by another thread at the fork
    if _collector is not None:
        _collector = None
        start_safe_point_collector()


if NEEDS_SAFE_POINT_COLLECTOR:
    os.register_at_fork(after_in_child=_after_fork_in_child)
