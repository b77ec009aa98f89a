"""Fewer and smaller transfers for slow phones: compressed responses, static files named by their content and
kept for a year, and public pages that answer 304 when nothing changed.

- Compression is Flask-Compress's (brotli when the browser asks for it, else gzip), for text types only:
  the PDF and other binary downloads are sent as they are.
- `asset('css/sanad.css')` in a template gives `/static/css/sanad.<hash>.css`, the hash taken from the file's
  bytes once at start-up. Such a name is served with a one-year immutable max-age; a name with any other hash
  is sent on to the current one (it never serves old content). Plain /static/... names keep working with a
  short max-age. A changed static file therefore needs a restart, as a deploy does.
- A page for a visitor who is not logged in carries a weak ETag over its body and answers 304 to a matching
  If-None-Match; logged-in pages are never stored (app/web/security.py). The ETag leaves out the per-request
  signature of the CSRF token (it changes every second) but covers the session's own token, which every
  signature on the cached page was made from, so a page answered 304 keeps working forms.
"""
import hashlib
import re
import time
from pathlib import Path

from flask import Flask, current_app, g, redirect, request, send_from_directory, session, url_for
from flask_compress import Compress
from flask_login import current_user

ONE_YEAR = 31536000
IMMUTABLE = f"public, max-age={ONE_YEAR}, immutable"
UNHASHED_MAX_AGE = 300  # plain /static/... names: five minutes
COMPRESSED_TYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                    "text/csv", "image/svg+xml", "text/plain"]
HASHED_NAME = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{8})(?P<suffix>\.[A-Za-z0-9]+)$")
HASH_LENGTH = 8


def init_app(app: Flask) -> None:
    """Call before any other after_request hook is registered: compression must be the last to run (it
    compresses the final body) and the ETag the one before it (computed over the uncompressed body)."""
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])  # equal preference: brotli first
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    Compress(app)
    app.after_request(conditional_page)
    app.extensions["static_hashes"] = static_hashes(Path(app.static_folder))
    app.view_functions["static"] = static_file
    app.jinja_env.globals["asset"] = asset


def static_hashes(folder: Path) -> dict[str, str]:
    """Every static file's path (relative, with /) and the first characters of the SHA-256 of its bytes."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
            for path in sorted(folder.rglob("*")) if path.is_file()}


def hashed_name(filename: str) -> str:
    """css/sanad.css → css/sanad.<hash>.css. A file that did not exist at start-up is an error."""
    digest = current_app.extensions["static_hashes"].get(filename)
    if digest is None:
        raise LookupError(f"asset(): no static file {filename!r} (static files are hashed at start-up)")
    stem, dot, suffix = filename.rpartition(".")
    if not dot or "/" in suffix:
        return f"{filename}.{digest}"
    return f"{stem}.{digest}.{suffix}"


def asset(filename: str) -> str:
    """The URL of a static file under its content-hashed name (the template global)."""
    return url_for("static", filename=hashed_name(filename))


def _original(filename: str) -> tuple[str | None, str | None]:
    """(the file a hashed name stands for, the hash it carries), or (None, None) for a plain name."""
    hashes = current_app.extensions["static_hashes"]
    if filename in hashes:
        return None, None
    found = HASHED_NAME.match(filename)
    if found and found["stem"] + found["suffix"] in hashes:
        return found["stem"] + found["suffix"], found["hash"]
    stem, dot, digest = filename.rpartition(".")
    if dot and stem in hashes and re.fullmatch(r"[0-9a-f]{8}", digest):
        return stem, digest
    return None, None


def static_file(filename: str):
    """The static view: a hashed name is kept a year; any other hash goes to the current one."""
    original, digest = _original(filename)
    if original is None:
        response = send_from_directory(current_app.static_folder, filename, max_age=UNHASHED_MAX_AGE)
    elif digest != current_app.extensions["static_hashes"][original]:
        response = redirect(asset(original), 302)
        response.headers["Cache-Control"] = "no-cache"
        return response
    else:
        response = send_from_directory(current_app.static_folder, original, max_age=ONE_YEAR)
        response.headers["Cache-Control"] = IMMUTABLE
    # Read into memory (the files are small), so that the response is not a stream: compressed with a
    # Content-Length, and by gzip too (Flask-Compress streams only with the streaming algorithms).
    response.direct_passthrough = False
    response.make_sequence()
    return response


def conditional_page(response):
    """after_request: a weak ETag and 304 for a GET or HEAD of a page shown to a visitor who is not logged in.
    Whatever app.web.security marked no-store (logged-in pages) is left alone."""
    if (request.method not in ("GET", "HEAD") or response.status_code != 200 or response.mimetype != "text/html"
            or request.endpoint == "static" or response.is_streamed
            or "no-store" in response.headers.get("Cache-Control", "")
            or (current_user and current_user.is_authenticated)):
        return response
    response.set_etag(page_etag(response.get_data()), weak=True)
    response.make_conditional(request)
    return response


def page_etag(body: bytes) -> str:
    """A digest of the page with this request's CSRF token signature left out, and of the session's raw token
    (never shown: only its digest goes into the ETag). A time limit on tokens starts a new ETag every half
    of it, so a page answered 304 still has a token that lasts at least half the limit."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    digest = hashlib.sha256()
    signed = g.get(field)
    digest.update(body.replace(signed.encode(), b"") if signed else body)
    digest.update(b"\0" + str(session.get(field, "")).encode())
    limit = current_app.config.get("WTF_CSRF_TIME_LIMIT", 3600)  # Flask-WTF's default
    if signed and limit:
        digest.update(b"\0%d" % int(time.time() // max(1, limit // 2)))
    return digest.hexdigest()[:32]
