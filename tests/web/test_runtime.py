"""The interpreter settings of app/runtime.py: no garbage collection inside an allocation on CPython 3.11
(the cause of the crashes on large reading pages), garbage still collected, and crash tracebacks on."""
import faulthandler
import gc
import http.client
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path

import pytest

from app import runtime
from tests.helpers import free_port

ROOT = Path(__file__).resolve().parents[2]
REDUCTION = Path(__file__).with_name("crash311.py")

BUILD_LARGE_DECLARATION = """
import sys
sys.path.insert(0, {root!r})
from bench.reading import prepare

print(prepare({url!r})["urls"]["large"])
"""

# A fresh process serves the page: the one that built the rows had warmed the interpreter differently and
# did not crash, which is how the old benchmark missed it.
READ_LARGE_PAGE = """
import sys
sys.path.insert(0, {root!r})
from app import create_app, runtime
from app.config import TestingConfig

runtime.prepare_process()  # as wsgi.py does in every server process
config = TestingConfig()
config.SQLALCHEMY_DATABASE_URI = {url!r}
config.SECRET_KEY = "test"
client = create_app(config).test_client()
for n in range({requests}):
    response = client.get({path!r})
    assert response.status_code == 200 and b"Recommendation 500:" in response.data, (n, response.status_code)
print("served", n + 1)
"""


def run_child(code: str, timeout: int) -> subprocess.CompletedProcess:
    """Python in a child process, so that a crash fails the test instead of ending the test run."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONFAULTHANDLER": "1"})


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                    reason="the crash is in the interpreter, not the database: run once, in the SQLite stage")
def test_large_reading_page_survives_repeated_requests(tmp_path):
    url = f"sqlite:///{tmp_path}/large.db"
    built = run_child(BUILD_LARGE_DECLARATION.format(root=str(ROOT), url=url), timeout=120)
    assert built.returncode == 0, built.stderr[-3000:]
    path = built.stdout.split()[-1]
    served = run_child(READ_LARGE_PAGE.format(root=str(ROOT), url=url, requests=40, path=path), timeout=240)
    assert served.returncode == 0, f"exit {served.returncode}\n{served.stderr[-3000:]}"
    assert "served 40" in served.stdout


def test_no_collection_runs_inside_an_allocation():
    """The reduction of the 3.11 crash, with the app's runtime settings: the weakref callback's write
    is kept and nothing is freed twice."""
    code = f"from app import runtime\nruntime.prepare_process()\nexec(open({str(REDUCTION)!r}).read())"
    child = run_child(code, timeout=60)
    assert child.returncode == 0, f"exit {child.returncode}\n{child.stdout}\n{child.stderr[-3000:]}"
    assert "lost 0 times" in child.stdout


def test_cyclic_garbage_is_still_collected():
    runtime.prepare_process()

    class Node:
        pass

    node = Node()
    node.self = node
    ref = weakref.ref(node)
    del node
    kept = []
    deadline = time.monotonic() + 10
    while ref() is not None and time.monotonic() < deadline:
        kept.append([[] for _ in range(100)])  # objects that stay, as a working server makes them
        time.sleep(0.01)
    assert ref() is None


@pytest.mark.skipif(not runtime.NEEDS_SAFE_POINT_COLLECTOR, reason="Python 3.12+ collects at safe points itself")
def test_on_3_11_allocations_never_start_a_collection():
    runtime.prepare_process()
    assert not gc.isenabled()
    assert any(t.name == "sanad-gc" and t.is_alive() for t in threading.enumerate())


# The project's gunicorn settings, and a hook that writes down, in the worker, after each request, whether
# automatic collection is on and whether the safe-point collector runs.
RECORDING_GUNICORN_CONF = """
exec(open({project_conf!r}).read())
import gc, threading

def post_request(worker, req, environ, resp):
    collector = any(t.name == "sanad-gc" and t.is_alive() for t in threading.enumerate())
    with open({record!r}, "a") as out:
        out.write(f"{{req.path}} automatic={{gc.isenabled()}} collector={{collector}}\\n")
"""


@pytest.mark.skipif(not runtime.NEEDS_SAFE_POINT_COLLECTOR, reason="Python 3.12+ collects at safe points itself")
def test_on_3_11_a_running_server_never_collects_inside_an_allocation(database_url, tmp_path):
    """gunicorn in production configuration, as make run and production start it (wsgi.py): after every
    request of every worker, automatic collection is still off and the collector thread runs. Fails if
    wsgi.py stops calling app/runtime.py or anything (the app, a library, a request) turns collection on."""
    record, conf, port = tmp_path / "gc.txt", tmp_path / "gunicorn.conf.py", free_port()
    conf.write_text(RECORDING_GUNICORN_CONF.format(project_conf=str(ROOT / "gunicorn.conf.py"), record=str(record)))
    env = {**os.environ, "SANAD_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "MAIL_BACKEND": "console",
           "SANAD_SITE_URL": f"http://127.0.0.1:{port}", "SESSION_COOKIE_SECURE": "0", "DATABASE_URL": database_url}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(conf), "--workers", "2", "--threads", "2",
                               "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    served = 0
    try:
        deadline = time.monotonic() + 60
        while served < 40 and time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read().decode(errors="replace")[-3000:]
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", ("/", "/login", "/declarations", "/healthz")[served % 4])
                assert connection.getresponse().read() is not None
                connection.close()
                served += 1
            except ConnectionRefusedError:
                time.sleep(0.2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    lines = record.read_text().splitlines()
    assert served == 40 and len(lines) == 40
    assert all(line.endswith("automatic=False collector=True") for line in lines), lines


def test_create_app_makes_no_process_wide_settings():
    """The factory only wires: building an app in a process that made no runtime settings leaves automatic
    collection as it was (tests call prepare_process themselves, as the test session does)."""
    child = run_child("import gc\nfrom app import create_app\nfrom app.config import TestingConfig\n"
                      "config = TestingConfig()\nconfig.SQLALCHEMY_DATABASE_URI = 'sqlite://'\n"
                      "config.SECRET_KEY = 'test'\ncreate_app(config)\nprint(gc.isenabled())", timeout=60)
    assert child.returncode == 0, child.stderr[-3000:]
    assert child.stdout.split()[-1] == "True"


def test_crashes_leave_a_python_traceback():
    runtime.prepare_process()
    assert faulthandler.is_enabled()
