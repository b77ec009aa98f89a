"""What every benchmark shares: the app served by gunicorn in its own processes with the production
configuration, a throwaway PostgreSQL cluster, and a load generator that counts every failed or empty
response. A benchmark fails on any failed response, empty response or worker restart: a crash must never
pass for a slow request.

Times, rates and CPU are never judged alone: the same run measures a floor, the same gunicorn serving a
fixed response of the same size (FixedResponse), and the benchmark passes or fails on the ratio
(FloorRatio), printing the absolute figures beside it. A slower machine slows the floor too; an app that
does more work per request does not. (Other work on the same machine slows the app more than the tiny
fixed response: the ratio corrects for the machine, not fully for a busy one.)

The targets were first set as absolute figures on a quiet run of the machine bench/signing.py was tuned
on, which left no floor figures; that comment shows its floor was about this 2-core development machine's
(0.144 ms of CPU per fixed response, against 0.11–0.17 ms here). So each time target T is restated as
T over the lowest floor measured here for the same response, the quietest moment standing for the quiet
run; each constant's comment gives its figures.
"""
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from app import create_app
from app.config import TestingConfig

ROOT = Path(__file__).resolve().parents[1]
# Extra PostgreSQL settings for experiments, e.g. "-c synchronous_commit=off"; the default is PostgreSQL's own.
PG_OPTIONS = os.environ.get("BENCH_PG_OPTIONS", "")


def setup_app(database_url: str):
    """The app in this process, on the benchmark's database, for building its data (not for measuring):
    the test configuration, a fixed secret, and mail printed instead of sent."""
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI, config.SECRET_KEY, config.MAIL_BACKEND = database_url, "bench", "console"
    return create_app(config)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throwaway PostgreSQL cluster on a Unix socket in a temporary folder."""

    def __enter__(self):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        if not bins:
            raise SystemExit("PostgreSQL server binaries not found (make system-deps)")
        self.bin = bins[-1]
        self.dir = Path(tempfile.mkdtemp(prefix="sanad-bench-pg."))
        self.run_as = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            self.run_as = ["runuser", "-u", "postgres", "--"]
        subprocess.run([*self.run_as, self.bin / "initdb", "-D", self.dir / "data", "-A", "trust", "-U", "sanad",
                        "-E", "UTF8"], check=True, capture_output=True)
        subprocess.run([*self.run_as, self.bin / "pg_ctl", "-D", self.dir / "data", "-l", self.dir / "server.log",
                        "-w", "-o", f"-c listen_addresses='' -k {self.dir} -c max_connections=200 {PG_OPTIONS}",
                        "start"], check=True, capture_output=True)
        subprocess.run([self.bin / "createdb", "-h", self.dir, "-U", "sanad", "sanad_bench"], check=True)
        self.url = f"postgresql+psycopg://sanad@/sanad_bench?host={self.dir}"
        return self

    def __exit__(self, *exc):
        subprocess.run([*self.run_as, self.bin / "pg_ctl", "-D", self.dir / "data", "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


class Gunicorn:
    """The app (or another WSGI app, for a fixed response) under gunicorn, production configuration, with
    its log in a file so that worker crashes and restarts can be counted afterwards."""

    BOOT = re.compile(r"Booting worker with pid")
    CRASH = re.compile(r"was sent SIG\w+|WORKER TIMEOUT|Worker exited|Fatal Python error|Segmentation fault")

    def __init__(self, database_url: str = "", workers: int = 2, worker_args: tuple = (), wsgi: str = "wsgi:app",
                 env: dict | None = None):
        self.database_url, self.workers, self.worker_args, self.wsgi = database_url, workers, worker_args, wsgi
        self.extra_env = env or {}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(tempfile.mkdtemp(prefix="sanad-bench-gunicorn.")) / "error.log"

    def __enter__(self):
        env = {**os.environ, "SANAD_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
               "SANAD_SITE_URL": self.base, "MAIL_BACKEND": "console", "SESSION_COOKIE_SECURE": "0",
               **({"DATABASE_URL": self.database_url} if self.database_url else {}), **self.extra_env}
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(self.workers), *self.worker_args,
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "info", "--error-logfile", str(self.log_path),
             "--capture-output", self.wsgi],
            cwd=ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited at start:\n{self.log()[-3000:]}")
            if self.log().count("Booting worker") >= self.workers and self._answers():
                return self
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn did not start:\n{self.log()[-3000:]}")

    def _answers(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            connection.close()
            return True
        except OSError:
            return False

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def restarts(self) -> int:
        """Workers booted beyond the first ones: each is a worker that died (crash, timeout, kill)."""
        return max(0, len(self.BOOT.findall(self.log())) - self.workers)

    def crash_lines(self) -> list[str]:
        return [line for line in self.log().splitlines() if self.CRASH.search(line)]

    def cpu_seconds(self) -> float:
        """CPU time used so far by this server alone (other gunicorns on the machine are not counted): its
        master's and workers' threads, to the nanosecond, and the workers the master has reaped, in ticks."""
        master = Path(f"/proc/{self.process.pid}")
        try:
            reaped = sum(int(value) for value in _stat_fields(master)[13:15]) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError):
            return 0.0
        return reaped + sum(_cpu_seconds(process) for process in (master, *_children(self.process.pid)))

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.log_path.parent, ignore_errors=True)


class FixedResponse(Gunicorn):
    """The floor: the same gunicorn as the server under test (workers, worker settings, environment), serving
    bench/fixed_wsgi.py's fixed response of `body` — bytes of the same size as the measured response — to
    every request. It costs what serving costs before the app does anything."""

    def __init__(self, body: bytes, workers: int = 2, worker_args: tuple = (), env: dict | None = None):
        self.body_folder = Path(tempfile.mkdtemp(prefix="sanad-bench-fixed."))
        (self.body_folder / "body").write_bytes(body)
        self.body_bytes = len(body)
        super().__init__(workers=workers, worker_args=worker_args, wsgi="bench.fixed_wsgi:app",
                         env={**(env or {}), "BENCH_FIXED_BODY": str(self.body_folder / "body")})

    def __exit__(self, *exc):
        super().__exit__(*exc)
        shutil.rmtree(self.body_folder, ignore_errors=True)


@dataclass
class FloorRatio:
    """A figure of the app over the same figure of a FixedResponse in the same run. Every ratio reads
    "times the floor", lower is better: a time or CPU over the floor's, a rate as the floor's over the app's.
    The target is a limit on the ratio; the absolute figures are printed beside it."""
    name: str
    figure: float
    floor: float
    limit: float
    unit: str            # "ms", "s", "/s" …
    rate: bool = False   # a rate: ratio = floor / figure

    @property
    def ratio(self) -> float:
        over, under = (self.floor, self.figure) if self.rate else (self.figure, self.floor)
        return round(over / under, 2) if under > 0 else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio <= self.limit

    def __str__(self) -> str:
        return (f"{self.name}: {self.figure:,.2f} {self.unit}, floor {self.floor:,.3f} {self.unit} → "
                f"{self.ratio:,.1f}× the floor (target ≤ {self.limit:g}×){'' if self.met else ' MISSED'}")

    def figures(self) -> dict:
        return {"figure": round(self.figure, 3), "floor": round(self.floor, 4), "ratio": self.ratio,
                "limit": self.limit}


@dataclass
class Tally:
    """Every response of a load, sorted: a benchmark passes only if `failed` and `empty` stay at 0."""
    ok: int = 0
    failed: int = 0          # no response at all (connection refused, reset, closed), or a 5xx
    empty: int = 0           # a 200 with an empty body
    statuses: dict = field(default_factory=dict)
    latencies_ms: list = field(default_factory=list)
    seconds: float = 0.0
    server_cpu_seconds: float = 0.0  # the server's own CPU time over the load (Gunicorn.cpu_seconds)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, status: int, size: int, ms: float) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 0 or status >= 500:
                self.failed += 1
            elif status == 200 and size == 0:
                self.empty += 1
            else:
                self.ok += 1
                self.latencies_ms.append(ms)

    @property
    def total(self) -> int:
        return self.ok + self.failed + self.empty

    @property
    def per_second(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0

    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0

    def p95(self) -> float:
        return statistics.quantiles(self.latencies_ms, n=20)[18] if len(self.latencies_ms) > 1 else self.p50()

    @property
    def cpu_ms_per_request(self) -> float:
        return self.server_cpu_seconds * 1000 / self.total if self.total else 0.0

    def merged(self, *others: "Tally") -> "Tally":
        """One tally of several loads (say, a floor measured before and after the load it is the floor of)."""
        tally = Tally()
        for part in (self, *others):
            tally.ok, tally.failed, tally.empty = (tally.ok + part.ok, tally.failed + part.failed,
                                                   tally.empty + part.empty)
            for status, count in part.statuses.items():
                tally.statuses[status] = tally.statuses.get(status, 0) + count
            tally.latencies_ms += part.latencies_ms
            tally.seconds += part.seconds
            tally.server_cpu_seconds += part.server_cpu_seconds
        return tally


def fetch(connection_box: list, port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    """One GET on a kept-alive connection, never retried: (status, body); status 0 when no answer came."""
    if connection_box[0] is None:
        connection_box[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection = connection_box[0]
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        body = response.read()
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            connection_box[0] = None
        return response.status, body
    except (OSError, http.client.HTTPException):
        connection.close()
        connection_box[0] = None
        return 0, b""


def load(server: Gunicorn, path: str, clients: int, requests: int, cookie: str = "", expect: bytes = b"") -> Tally:
    """`requests` GETs of `path` from `clients` concurrent clients; a 200 without `expect` in it counts as empty."""
    tally, counter, counter_lock = Tally(), [0], threading.Lock()

    def client():
        box = [None]
        while True:
            with counter_lock:
                if counter[0] >= requests:
                    break
                counter[0] += 1
            started = time.perf_counter()
            status, body = fetch(box, server.port, path, cookie)
            if status == 200 and expect and expect not in body:
                body = b""
            tally.add(status, len(body), (time.perf_counter() - started) * 1000)
        if box[0] is not None:
            box[0].close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    cpu_before, started = server.cpu_seconds(), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.seconds = time.perf_counter() - started
    tally.server_cpu_seconds = server.cpu_seconds() - cpu_before
    return tally


def interleaved(rounds: int, *measures) -> list[Tally]:
    """Each measure (a function that loads a server and returns its Tally) in turn, `rounds` times over, the
    tallies of each merged: a figure and its floor measured so live through the same moments of a busy
    machine."""
    tallies = [[] for _ in measures]
    for _round in range(rounds):
        for measure, parts in zip(measures, tallies, strict=True):
            parts.append(measure())
    return [parts[0].merged(*parts[1:]) for parts in tallies]


def spread(rounds: int, pause: float, measure) -> Tally:
    """`measure` (a function that loads a server and returns its Tally) `rounds` times, `pause` seconds apart,
    the tallies merged: a floor sampled so stands for seconds of the machine's time, not for the milliseconds
    one burst of fixed responses takes."""
    parts = []
    for n in range(rounds):
        if n:
            time.sleep(pause)
        parts.append(measure())
    return parts[0].merged(*parts[1:])


def verdict(server: Gunicorn, tallies: dict[str, Tally]) -> dict:
    """Failed and empty responses of every load, and the workers' restarts and crash lines from the log."""
    figures = {"failed": sum(t.failed for t in tallies.values()), "empty": sum(t.empty for t in tallies.values()),
               "worker_restarts": server.restarts()}
    crashes = server.crash_lines()
    if crashes or any(figures.values()):
        print("   FAILURES: " + ", ".join(f"{name}: {t.failed} failed, {t.empty} empty, statuses {t.statuses}"
                                          for name, t in tallies.items()), file=sys.stderr)
        for line in crashes[:20]:
            print("   gunicorn: " + line, file=sys.stderr)
    return figures


def on_each_database(run) -> dict:
    """run(name, url) on a fresh SQLite file and on a throwaway PostgreSQL cluster (BENCH_DATABASES chooses)."""
    results = {}
    databases = os.environ.get("BENCH_DATABASES", "sqlite postgresql").split()
    if "sqlite" in databases:
        with tempfile.TemporaryDirectory() as folder:
            results["sqlite"] = run("sqlite", f"sqlite:///{folder}/bench.db")
    if "postgresql" in databases:
        with Postgres() as postgres:
            results["postgresql"] = run("postgresql", postgres.url)
    return results


def _stat_fields(process: Path) -> list[str]:
    """The fields of /proc/<pid>/stat after the program's name (state, ppid, … utime is [11], stime [12])."""
    text = (process / "stat").read_text()
    return text[text.rindex(")") + 2:].split()


def _cpu_seconds(process: Path) -> float:
    """CPU time of a process's live threads, from /proc/<pid>/task/*/schedstat (nanoseconds: /proc/<pid>/stat
    counts in ticks of 10 ms, too coarse: 900 fixed responses cost about 12 ticks in all)."""
    nanoseconds = 0
    try:
        tasks = list((process / "task").iterdir())
    except OSError:
        return 0.0
    for task in tasks:
        try:
            nanoseconds += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return nanoseconds / 1e9


def _children(master_pid: int) -> list[Path]:
    """The /proc folders of a process's children (a gunicorn master's workers)."""
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if int(_stat_fields(process)[1]) == master_pid:
                found.append(process)
        except (OSError, ValueError, IndexError):
            continue
    return found


def workers_memory_mb(master_pid: int, field: str) -> list[float]:
    """A /proc/<pid>/status figure (VmRSS now, VmHWM peak), in MB, for each of a gunicorn master's workers."""
    figures = []
    for worker in _children(master_pid):
        try:
            status = (worker / "status").read_text()
        except OSError:
            continue
        figures += [int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith(field + ":")]
    return figures
