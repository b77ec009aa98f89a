"""The app under cProfile, for `BENCH_PROFILE=1 bench/signing.py`: the POSTs to BENCH_PROFILE_PATH are
profiled by CPU time of their thread (waits for the database or a lock do not count). Each request thread of
each gunicorn worker has its own profiler and writes its figures to BENCH_PROFILE_DIR after every 25 of its
profiled requests (gunicorn gives workers no reliable exit hook), so the benchmark can merge them at the end."""
import cProfile
import os
import threading
import time

from wsgi import app as _app

FOLDER = os.environ["BENCH_PROFILE_DIR"]
PATH = os.environ["BENCH_PROFILE_PATH"]
_local = threading.local()


def app(environ, start_response):
    if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != PATH:
        return _app(environ, start_response)
    if not hasattr(_local, "profiler"):
        _local.profiler, _local.count = cProfile.Profile(time.thread_time), 0
    _local.profiler.enable()
    try:
        return _app(environ, start_response)
    finally:
        _local.profiler.disable()
        _local.count += 1
        if _local.count % 25 == 0:
            _local.profiler.dump_stats(os.path.join(FOLDER, f"worker-{os.getpid()}-{threading.get_ident()}.prof"))
