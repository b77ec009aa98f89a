"""gunicorn settings for every way Sanad is served — make run, production, the benchmarks: gunicorn reads
this file from the directory it starts in. Command-line options still override it."""

# The access log never carries a usable token link (app/web/access_log.py).
logger_class = "app.web.access_log.RedactingLogger"
