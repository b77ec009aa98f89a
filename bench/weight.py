"""Page weight benchmark: the main pages of the demo site, fetched as a browser on a slow phone would fetch them
(gzip only), as a visitor and as the demo representative, from gunicorn in its own process (production
configuration) on a migrated SQLite database holding the demo alliance (loaded by the code `flask demo load`
runs). For each page: the HTML's compressed size on the wire, and that plus every subresource it refers to
(stylesheets and what they import, icons, scripts, images), each fetched with gzip as a browser would, with
the number of requests. Prints a table and ends with one line of JSON.

Targets: every response 200 (a page that redirects fails) and text compressed; the home, sign and signatory
pages' HTML fits the first round trip (<= 14,600 bytes gzipped); every page's total <= 50,000 bytes gzipped;
JavaScript <= 10,000 bytes gzipped over the whole site; no worker restart.
"""
import gzip
import http.client
import json
import re
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app.declarations.models import Declaration  # noqa: E402
from app.demo import DEMO_PASSWORD, load_demo  # noqa: E402
from app.demo import declarations as consultation_demo  # noqa: E402
from app.demo import signatures as signon_demo  # noqa: E402
from app.demo import submissions as submission_demo  # noqa: E402
from app.extensions import db  # noqa: E402
from app.submissions.models import Submission  # noqa: E402
from bench.server import Gunicorn, setup_app  # noqa: E402
from tests.webclient import WebClient  # noqa: E402

FIRST_ROUND_TRIP = 14_600  # bytes: ten TCP segments, what a server may send before the first acknowledgement
PAGE_TOTAL = 50_000
JAVASCRIPT = 10_000
FIRST_TRIP_PAGES = ("home", "sign", "signatories")
REPRESENTATIVE = "rep@example.org"  # has not signed the demo statement in sign-on, has no second factor
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class References(HTMLParser):
    """The subresources a browser fetches for a page: stylesheets, icons, preloads, scripts, images."""

    LINK_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload", "manifest"}

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []  # (kind, url)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href") and set((attrs.get("rel") or "").lower().split()) & self.LINK_RELS:
            self.urls.append(("script" if attrs.get("as") == "script" else "link", attrs["href"]))
        elif tag == "script" and attrs.get("src"):
            self.urls.append(("script", attrs["src"]))
        elif tag in ("img", "input", "source", "video", "audio", "iframe") and attrs.get("src"):
            self.urls.append(("image", attrs["src"]))


class Browser:
    """One visitor's keep-alive connection that asks for gzip and counts the bytes of each body on the wire."""

    def __init__(self, port: int, cookies: dict | None = None):
        self.port, self.cookies = port, cookies or {}
        self.connection = None
        self.problems: list[str] = []
        self.html_bytes: dict[str, int] = {}  # each page's HTML before compression, for the table

    def get(self, path: str) -> tuple[int, dict, bytes]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Accept-Encoding": "gzip", "Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request("GET", path, headers=headers)
            response = self.connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = None
            self.problems.append(f"{path}: no response ({error})")
            return 0, {}, b""
        answer = {k.lower(): v for k, v in response.getheaders()}
        if response.status != 200 or not body:
            self.problems.append(f"{path}: status {response.status}, {len(body)} bytes")
        elif (answer.get("content-type", "").startswith(TEXT_TYPES) and len(body) > 1000
              and answer.get("content-encoding") != "gzip"):
            self.problems.append(f"{path}: {len(body):,} bytes of {answer.get('content-type')} not compressed")
        return response.status, answer, body

    def page(self, path: str) -> tuple[dict, dict[str, int]]:
        """The page's figures, and the compressed size of each script it loads."""
        _status, _headers, html = self.get(path)
        figures = {"first_gzip_bytes": len(html), "total_gzip_bytes": len(html), "requests": 1}
        scripts = {}
        parser = References()
        text = _decoded(html, _headers)
        self.html_bytes[path] = len(text.encode())
        parser.feed(text)
        queue, seen = [(kind, urljoin(path, url)) for kind, url in parser.urls], set()
        while queue:
            kind, url = queue.pop(0)
            parts = urlsplit(url)
            if parts.scheme in ("data", "mailto") or url in seen:
                continue
            seen.add(url)
            if parts.netloc and parts.netloc != f"127.0.0.1:{self.port}":
                self.problems.append(f"{path}: refers to another site: {url}")
                continue
            _status, headers, body = self.get(parts.path + (f"?{parts.query}" if parts.query else ""))
            figures["total_gzip_bytes"] += len(body)
            figures["requests"] += 1
            if kind == "script" or "javascript" in headers.get("content-type", ""):
                scripts[parts.path] = len(body)
            if "text/css" in headers.get("content-type", ""):
                for found in CSS_URL.finditer(_decoded(body, headers)):
                    queue.append(("link", urljoin(url, found.group(1) or found.group(2))))
        return figures, scripts


def _decoded(body: bytes, headers: dict) -> str:
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode("utf-8", "replace")


def prepare(database_url: str) -> dict[str, int]:
    """Migrate, load the demo alliance (what `flask demo load` runs), and find the demo's pages."""
    app = setup_app(database_url)
    with app.app_context():
        upgrade()
        created = load_demo()
        db.session.commit()
        ids = {"consultation": _declaration_id(consultation_demo.TITLE), "signon": _declaration_id(signon_demo.TITLE)}
        ids["submission"] = db.session.scalar(select(Submission.id).where(
            Submission.declaration_id == _declaration_id(submission_demo.TITLE)))
        db.engine.dispose()
    print(f"   demo alliance loaded: {created} records", flush=True)
    return ids


def _declaration_id(title: str) -> int:
    found = db.session.scalar(select(Declaration.id).where(Declaration.title == title))
    if found is None:
        raise SystemExit(f"the demo has no declaration {title!r}")
    return found


def pages(ids: dict[str, int], role: str) -> dict[str, str]:
    signon = ids["signon"]
    return {
        "home": "/",
        "declarations": "/declarations",
        "declaration": f"/declarations/{ids['consultation']}",
        # A visitor signs for an organization outside the alliance (the demo statement is open to them).
        "sign": f"/declarations/{signon}/sign" if role == "representative" else f"/declarations/{signon}/sign/open",
        "signatories": f"/declarations/{signon}/signatories",
        "dossier": f"/submissions/{ids['submission']}",
        "tracker": "/tracker",
    }


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite:///{folder}/weight.db"
        ids = prepare(database_url)
        results, scripts, problems, raw = {}, {}, [], {}
        with Gunicorn(database_url, workers=1) as server:
            representative = WebClient(server.base)
            representative.login(REPRESENTATIVE, DEMO_PASSWORD)
            for role, browser in (("visitor", Browser(server.port)),
                                  ("representative", Browser(server.port, representative.cookies))):
                for name, path in pages(ids, role).items():
                    results[f"{role}/{name}"], page_scripts = browser.page(path)
                    scripts.update(page_scripts)
                    raw[f"{role}/{name}"] = browser.html_bytes[path]
                problems += browser.problems
            restarts = server.restarts()
    js_bytes = sum(scripts.values())
    print(f"   {'page':<30}{'HTML':>10}{'HTML gzip':>12}{'total gzip':>12}{'requests':>10}")
    for name, figures in results.items():
        print(f"   {name:<30}{raw[name]:>10,}{figures['first_gzip_bytes']:>12,}{figures['total_gzip_bytes']:>12,}"
              f"{figures['requests']:>10}")
    print(f"   JavaScript: {js_bytes:,} bytes gzipped in {len(scripts)} file(s); worker restarts {restarts}")
    missed = [f"{name}: HTML {f['first_gzip_bytes']:,} > {FIRST_ROUND_TRIP:,} bytes"
              for name, f in results.items()
              if name.split("/")[1] in FIRST_TRIP_PAGES and f["first_gzip_bytes"] > FIRST_ROUND_TRIP]
    missed += [f"{name}: total {f['total_gzip_bytes']:,} > {PAGE_TOTAL:,} bytes"
               for name, f in results.items() if f["total_gzip_bytes"] > PAGE_TOTAL]
    if js_bytes > JAVASCRIPT:
        missed.append(f"JavaScript {js_bytes:,} > {JAVASCRIPT:,} bytes")
    missed += problems + ([f"{restarts} worker restart(s)"] if restarts else [])
    print("targets:", "met" if not missed else "MISSED: " + "; ".join(missed))
    print(json.dumps({"pages": results,
                      "max_first_gzip_bytes": max(f["first_gzip_bytes"] for f in results.values()),
                      "max_total_gzip_bytes": max(f["total_gzip_bytes"] for f in results.values()),
                      "js_bytes": js_bytes}))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
