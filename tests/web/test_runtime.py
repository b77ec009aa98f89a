"""The interpreter settings of app/runtime.py: no garbage collection inside an allocation on CPython 3.11
(the cause of the crashes on large reading pages), garbage still collected, and crash tracebacks on."""
import faulthandler
import gc
import os
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path

import pytest

from app import runtime

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
from app import create_app
from app.config import TestingConfig

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


def test_crashes_leave_a_python_traceback():
    runtime.prepare_process()
    assert faulthandler.is_enabled()
