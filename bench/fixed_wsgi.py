"""A WSGI app that answers every request with the same bytes (the file BENCH_FIXED_BODY names): served by
the same gunicorn as the app (bench.server.FixedResponse), it is the floor every benchmark's times, rates and
CPU are divided by."""
import os

with open(os.environ["BENCH_FIXED_BODY"], "rb") as body_file:
    BODY = body_file.read()


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))])
    return [BODY]
