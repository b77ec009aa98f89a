"""The WSGI entry: gunicorn (make run, production, the benchmarks) and every `flask` command load the app
here. The process-wide interpreter settings (app/runtime.py) are made first, once per process."""
from app import create_app, runtime

runtime.prepare_process()
app = create_app()
runtime.freeze_startup_objects()
