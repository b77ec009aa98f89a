"""The app with each response telling what its request cost the database (bench/counting.py), for
bench/growth.py: X-Bench-Queries (statements executed), X-Bench-Rows (rows fetched from the cursor) and, on
SQLite, X-Bench-Steps (thousands of virtual-machine instructions). Served by gunicorn like wsgi:app, with
the counters installed before the app makes its engine. The headers go out once the app has answered (its
view, template and commit done); the body is not streamed by any page measured."""
from bench import counting

counting.install()

from wsgi import app as _app  # noqa: E402


def app(environ, start_response):
    tally = counting.start()
    started = []

    def hold(status, headers, exc_info=None):
        started.append((status, headers, exc_info))
        return lambda _data: None  # never used by Flask

    try:
        body = _app(environ, hold)
    finally:
        counting.stop()
    status, headers, exc_info = started[0]
    counted = [("X-Bench-Queries", str(tally.queries)), ("X-Bench-Rows", str(tally.rows)),
               ("X-Bench-Steps", str(tally.steps))]
    start_response(status, [*headers, *counted], exc_info)
    return body
