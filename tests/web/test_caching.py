"""Compression (gzip, brotli), content-hashed static files kept a year, ETag and 304 for visitors' pages,
no-store for logged-in pages (app/web/caching.py, app/web/security.py)."""
import gzip
import hashlib
import re
import time

import brotli

from app.config import BASE_DIR
from app.web.caching import IMMUTABLE
from tests.helpers import login, without_tokens

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
                    "Cross-Origin-Opener-Policy", "Permissions-Policy")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
STYLESHEET = re.compile(r'href="(/static/css/sanad\.([0-9a-f]{8})\.css)"')


def decoded(response) -> str:
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "gzip":
        body = gzip.decompress(body)
    elif encoding == "br":
        body = brotli.decompress(body)
    else:
        assert encoding is None, encoding
    return body.decode()


def public_page(make_declaration) -> str:
    return f"/declarations/{make_declaration(visibility='public').id}"


def test_gzip_and_brotli_decode_to_the_same_page(client, make_declaration):
    path = public_page(make_declaration)
    plain = client.get(path)
    zipped = client.get(path, headers={"Accept-Encoding": "gzip"})
    broken = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert plain.headers.get("Content-Encoding") is None
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert broken.headers["Content-Encoding"] == "br"  # brotli whenever the browser takes it
    for response in (zipped, broken):
        assert "Accept-Encoding" in response.headers["Vary"]
        assert int(response.headers["Content-Length"]) == len(response.get_data()) < len(plain.get_data()) / 2
    pages = {without_tokens(plain)} | {re.sub(r'name="csrf_token" value="[^"]*"', "", decoded(r))
                                       for r in (zipped, broken)}
    assert len(pages) == 1
    assert "Create specialised prosecution units." in pages.pop()


def test_security_headers_stay_on_compressed_and_not_modified_responses(client, make_declaration):
    path = public_page(make_declaration)
    first = client.get(path, headers={"Accept-Encoding": "br"})
    again = client.get(path, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert (first.status_code, first.headers["Content-Encoding"], again.status_code) == (200, "br", 304)
    for response in (first, again):
        for header in SECURITY_HEADERS:
            assert response.headers.get(header), (response.status_code, header)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_pdf_is_sent_as_it_is_and_the_csv_compressed(client, submitted):
    _declaration, submission = submitted
    pdf = client.get(f"/submissions/{submission.id}/dossier.pdf", headers={"Accept-Encoding": "gzip, br"})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "Content-Encoding" not in pdf.headers
    assert pdf.get_data().startswith(b"%PDF")  # and WeasyPrint still found its stylesheet on disk
    csv = client.get(f"/submissions/{submission.id}/recommendations.csv", headers={"Accept-Encoding": "gzip"})
    assert csv.status_code == 200 and csv.headers["Content-Encoding"] == "gzip"
    assert "Create specialised prosecution units." in decoded(csv)


def test_static_files_carry_their_content_hash_and_are_kept_a_year(client):
    page = client.get("/").get_data(as_text=True)
    url, digest = STYLESHEET.search(page).groups()
    css = (BASE_DIR / "static/css/sanad.css").read_bytes()
    assert digest == hashlib.sha256(css).hexdigest()[:8]
    assert re.search(r'rel="icon" href="/static/favicon\.[0-9a-f]{8}\.svg"', page)
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.headers["Content-Encoding"] == "gzip" and gzip.decompress(response.get_data()) == css
    for header in SECURITY_HEADERS:
        assert response.headers.get(header), header


def test_a_stale_hash_never_serves_old_content(client):
    current = STYLESHEET.search(client.get("/").get_data(as_text=True)).group(1)
    stale = client.get("/static/css/sanad.0badc0de.css")
    assert stale.status_code == 302 and stale.headers["Location"].endswith(current)
    assert "immutable" not in stale.headers.get("Cache-Control", "")
    assert client.get("/static/css/nothing.0badc0de.css").status_code == 404


def test_plain_static_names_still_work_for_a_short_while(client):
    response = client.get("/static/css/sanad.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.get_data() == (BASE_DIR / "static/css/sanad.css").read_bytes()
    assert client.get("/static/favicon.svg").mimetype == "image/svg+xml"


def test_a_visitors_page_answers_304_until_it_changes(client, make_declaration, monkeypatch):
    path = public_page(make_declaration)
    first = client.get(path, headers={"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    assert first.headers["Cache-Control"] == "private, no-cache"  # never kept by a shared cache
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in first.headers["Vary"].split(",")}
    # The page carries a new CSRF token signature each second; that alone is not a change.
    later = time.time() + 5
    monkeypatch.setattr(time, "time", lambda: later)
    second = client.get(path)
    assert TOKEN.search(second.get_data(as_text=True)).group(1) != TOKEN.search(decoded(first)).group(1)
    assert second.headers["ETag"] == etag
    unchanged = client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    assert client.head(path, headers={"If-None-Match": etag}).status_code == 304
    # The same address in Urdu is another page.
    client.post("/language", data={"language": "ur", "next": path})
    urdu = client.get(path, headers={"If-None-Match": etag})
    assert urdu.status_code == 200 and 'lang="ur"' in urdu.get_data(as_text=True)
    assert urdu.headers["ETag"] != etag
    assert client.get(path, headers={"If-None-Match": urdu.headers["ETag"]}).status_code == 304


def test_the_browsers_language_gives_another_etag(app, make_declaration):
    path = public_page(make_declaration)
    english = app.test_client().get(path, headers={"Accept-Language": "en"})
    urdu = app.test_client().get(path, headers={"Accept-Language": "ur", "If-None-Match": english.headers["ETag"]})
    assert urdu.status_code == 200 and 'lang="ur"' in urdu.get_data(as_text=True)
    assert urdu.headers["ETag"] != english.headers["ETag"]


def test_another_session_does_not_get_304_for_a_page_with_its_form_tokens(app, make_declaration):
    """The forms of a page answered 304 must still carry a token of the visitor's own session."""
    path = public_page(make_declaration)
    etag = app.test_client().get(path).headers["ETag"]
    assert app.test_client().get(path, headers={"If-None-Match": etag}).status_code == 200


def test_logged_in_pages_are_never_stored_nor_answered_304(client, people, make_declaration):
    path = public_page(make_declaration)
    etag = client.get(path).headers["ETag"]
    assert login(client, people["representative"].email).status_code == 302
    for url in (path, "/account"):
        response = client.get(url, headers={"If-None-Match": etag, "Accept-Encoding": "gzip"})
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store"
        assert "ETag" not in response.headers
        assert "Cookie" in response.headers["Vary"]
        assert client.get(url, headers={"If-None-Match": "*"}).status_code == 200
