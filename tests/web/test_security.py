"""The security baseline: headers, CSRF, redirects, error pages, body limit, health."""
import re

import pytest
from sqlalchemy import text

from app.accounts.models import User
from app.extensions import db
from tests.helpers import PASSWORD, login, password_hash


def _assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "style-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_security_headers_on_an_ordinary_page(client):
    _assert_security_headers(client.get("/"))


def test_security_headers_on_a_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    _assert_security_headers(response)
    assert "Page not found" in response.get_data(as_text=True)


def test_a_server_error_shows_the_500_page_with_headers_and_no_stack_trace(make_app):
    app = make_app()

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    client = app.test_client()
    with app.app_context():
        db.session.add(User(email="x@example.org", name="X", password_hash=password_hash()))
        db.session.commit()
    login(client, "x@example.org")  # the route needs login
    response = client.get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body
    assert "secret internals" not in body and "Traceback" not in body
    _assert_security_headers(response)


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert "max-age" in client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]


def test_pages_for_logged_in_users_are_not_stored(people, login_as):
    client = login_as(people["member"])
    assert client.get("/account").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_lax(client, people):
    response = login(client, people["member"].email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure(monkeypatch):
    from app.config import load_config
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("SANAD_SITE_URL", "https://sanad.example.org")
    config = load_config("production")
    assert config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE


def test_production_refuses_to_start_without_the_sites_address(monkeypatch):
    """Every email link is built on SANAD_SITE_URL: production does not guess it (it used to say port 5000)."""
    from app.config import load_config
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("SANAD_SITE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SANAD_SITE_URL"):
        load_config("production")
    monkeypatch.setenv("SANAD_SITE_URL", "https://sanad.example.org/")
    assert load_config("production").SITE_URL == "https://sanad.example.org"


def test_development_links_point_at_the_port_the_site_is_served_on(monkeypatch):
    from app.config import load_config
    monkeypatch.delenv("SANAD_SITE_URL", raising=False)
    monkeypatch.setenv("PORT", "5123")
    assert load_config("development").SITE_URL == "http://127.0.0.1:5123"
    makefile = open("Makefile").read()
    assert "SANAD_SITE_URL=http://127.0.0.1:$(PORT)" in makefile  # make run PORT=… sets it for what it serves


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    from app.config import load_config
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config("production")


@pytest.fixture
def csrf_client(make_app):
    return make_app(WTF_CSRF_ENABLED=True).test_client()


def _token(client, path):
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"',
                     client.get(path).get_data(as_text=True)).group(1)


def test_a_post_without_csrf_token_gets_the_friendly_400_page(csrf_client, people):
    response = login(csrf_client, people["member"].email)
    assert response.status_code == 400
    assert "expired or did not come from this site" in response.get_data(as_text=True)


def test_login_with_a_csrf_token_works(csrf_client, people):
    response = login(csrf_client, people["member"].email, csrf_token=_token(csrf_client, "/login"))
    assert response.status_code == 302


def test_logout_needs_post_and_a_csrf_token(csrf_client, people):
    login(csrf_client, people["member"].email, csrf_token=_token(csrf_client, "/login"))
    assert csrf_client.get("/logout").status_code == 405
    assert csrf_client.post("/logout").status_code == 400
    assert csrf_client.get("/account").status_code == 200  # still logged in
    token = _token(csrf_client, "/account")
    assert csrf_client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert csrf_client.get("/account").status_code == 302  # logged out


@pytest.mark.parametrize("target", [
    "//evil.example", "https://evil.example", "/\\evil.example", "\\\\evil.example", "http:/evil.example",
    "/%0d%0aevil", "javascript:alert(1)", "///evil.example",
])
def test_next_never_leaves_the_site(client, people, target):
    response = client.post("/login?next=" + target, data={"email": people["member"].email, "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location in ("/", "http://localhost/"), location


def test_next_follows_a_local_path(client, people):
    response = client.post("/login?next=/account", data={"email": people["member"].email, "password": PASSWORD})
    assert response.headers["Location"] == "/account"


def test_language_switch_redirect_stays_local(client):
    response = client.post("/language", data={"language": "ur", "next": "//evil.example"})
    assert response.headers["Location"] == "/"


def test_an_oversized_body_gets_the_413_page(make_app):
    client = make_app(MAX_CONTENT_LENGTH=1000).test_client()
    response = client.post("/login", data={"email": "a@example.org", "password": "x" * 5000})
    assert response.status_code == 413
    assert "larger than this site accepts" in response.get_data(as_text=True)


def test_wrong_method_gets_the_405_page(client):
    response = client.delete("/login")
    assert response.status_code == 405
    assert "does not accept" in response.get_data(as_text=True)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"] == "up"


def test_healthz_answers_503_when_the_database_does_not(make_app, tmp_path):
    # A database the app cannot open: a SQLite path inside a directory that does not exist.
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/db.sqlite")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "down"


def test_pages_answer_503_when_the_database_is_down(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/db.sqlite")
    response = app.test_client().get("/")
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(app):
    from app.extensions import db
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite settings")
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
