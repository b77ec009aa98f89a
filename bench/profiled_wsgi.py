"""The app under cProfile, for `BENCH_PROFILE=1 bench/signing.py`: each request thread of each gunicorn
worker has its own profiler and writes its figures to BENCH_PROFILE_DIR after every 25 of its requests
(gunicorn gives workers no reliable exit hook), so the benchmark can merge them at the end."""
import cProfile
import os
import threading

from wsgi import app as _app

FOLDER = os.environ["BENCH_PROFILE_DIR"]
_local = threading.local()


def app(environ, start_response):
    if not hasattr(_local, "profiler"):
        _local.profiler, _local.count = cProfile.Profile(), 0
    _local.profiler.enable()
    try:
        return _app(environ, start_response)
    finally:
        _local.profiler.disable()
        _local.count += 1
        if _local.count % 25 == 0:
            _local.profiler.dump_stats(os.path.join(FOLDER, f"worker-{os.getpid()}-{threading.get_ident()}.prof"))
