import pytest
from argon2 import Type, profiles
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from tests.conftest import PRODUCT_PASSWORD_HASHER
from tests.helpers import PASSWORD, login, without_tokens


def test_a_member_logs_in_and_the_login_is_audited(app, client, people):
    response = login(client, people["member"].email)
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "login" in actions


def test_login_ignores_case_and_spaces_in_the_email(client, people):
    assert login(client, "  MEMBER@Example.org ").status_code == 302


def test_a_wrong_password_is_refused_keeps_the_email_and_is_audited(app, client, people):
    response = login(client, people["member"].email, "wrong password")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The email or password is not correct." in body
    assert 'value="member@example.org"' in body
    with app.app_context():
        failed = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed")).all()
    assert len(failed) == 1 and failed[0].details["email"] == "member@example.org"


def test_unknown_email_and_wrong_password_get_the_same_answer(client, people):
    unknown = login(client, "nobody@example.org", "whatever password")
    wrong = login(client, people["member"].email, "whatever password")
    assert unknown.status_code == wrong.status_code == 200
    assert (without_tokens(unknown).replace("nobody@example.org", "")
            == without_tokens(wrong).replace("member@example.org", ""))


def test_the_product_hashes_passwords_with_argon2id_at_full_cost():
    """The tests hash with argon2's cheapest parameters (conftest.cheap_password_hashes); the product must not."""
    floor = profiles.RFC_9106_LOW_MEMORY
    assert PRODUCT_PASSWORD_HASHER.type is Type.ID
    assert PRODUCT_PASSWORD_HASHER.memory_cost >= floor.memory_cost
    assert PRODUCT_PASSWORD_HASHER.time_cost >= floor.time_cost


def test_a_deactivated_account_cannot_log_in(client, make_user):
    user = make_user(active=False)
    assert login(client, user.email).status_code == 200
    assert client.get("/account").status_code == 302


def test_login_regenerates_the_session(client, people):
    client.get("/login")  # the visitor gets a session with a CSRF token
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, people["member"].email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "_user_id" in session


def test_a_copied_session_cookie_stops_working_after_logout(app, client, people):
    login(client, people["member"].email)
    cookie = client.get_cookie("sanad_session").value
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("sanad_session", cookie)
    assert thief.get("/account").status_code == 302


def test_each_login_gets_a_new_session_identifier(app, people):
    first, second = app.test_client(), app.test_client()
    login(first, people["member"].email)
    login(second, people["member"].email)
    with first.session_transaction() as a, second.session_transaction() as b:
        assert a["_user_id"] != b["_user_id"]
    first.post("/logout")  # logging out on one device leaves the other logged in
    assert second.get("/account").status_code == 200


def test_logout_ends_the_session_and_is_audited(app, client, people):
    login(client, people["member"].email)
    assert client.post("/logout").status_code == 302
    assert client.get("/account").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "logout")) is not None


def test_logout_by_get_is_not_allowed(client, people):
    login(client, people["member"].email)
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


@pytest.fixture
def limited_client(app, make_app):
    # The limiter is one object shared by every app built in a test, configured by the app built last:
    # depending on `app` first makes sure this limited app is the last one.
    return make_app(RATELIMIT_ENABLED=True, LOGIN_LIMITS="3 per minute", TOKEN_LIMITS="2 per minute").test_client()


def test_login_is_rate_limited_per_account(limited_client, people):
    # Different addresses, same account: the per-account limit still applies.
    for n in range(3):
        response = limited_client.post("/login", data={"email": "member@example.org", "password": "bad"},
                                       environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        assert response.status_code == 200
    response = limited_client.post("/login", data={"email": "member@example.org", "password": PASSWORD},
                                   environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_login_is_rate_limited_per_address(limited_client, people):
    for n in range(3):
        limited_client.post("/login", data={"email": f"user{n}@example.org", "password": "bad"})
    response = limited_client.post("/login", data={"email": "member@example.org", "password": PASSWORD})
    assert response.status_code == 429


def test_a_successful_login_does_not_count_against_the_account(limited_client, people):
    for _ in range(4):
        assert login(limited_client, people["member"].email).status_code == 302
        limited_client.post("/logout")


def test_the_429_page_says_when_to_try_again(limited_client, people):
    for _ in range(4):
        response = limited_client.post("/login", data={"email": "member@example.org", "password": "bad"})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0


def test_password_reset_is_rate_limited_per_address(limited_client):
    for n in range(2):
        assert limited_client.post("/reset", data={"email": f"a{n}@example.org"}).status_code == 200
    assert limited_client.post("/reset", data={"email": "a9@example.org"}).status_code == 429


def test_password_reset_is_rate_limited_per_account(limited_client):
    for n in range(2):
        response = limited_client.post("/reset", data={"email": "same@example.org"},
                                       environ_base={"REMOTE_ADDR": f"10.0.1.{n}"})
        assert response.status_code == 200
    response = limited_client.post("/reset", data={"email": "same@example.org"},
                                   environ_base={"REMOTE_ADDR": "10.0.1.9"})
    assert response.status_code == 429


def test_invitation_acceptance_is_rate_limited_per_address(limited_client):
    for n in range(2):
        assert limited_client.post(f"/invite/guess-{n}").status_code == 404
    assert limited_client.post("/invite/guess-9").status_code == 429


def test_invitation_acceptance_is_rate_limited_per_link(limited_client):
    for n in range(2):
        response = limited_client.post("/invite/one-link", environ_base={"REMOTE_ADDR": f"10.0.2.{n}"})
        assert response.status_code == 404
    assert limited_client.post("/invite/one-link", environ_base={"REMOTE_ADDR": "10.0.2.9"}).status_code == 429


def _guess(client, email, n, password="bad"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": f"203.0.113.{n}"})


def test_someone_guessing_from_elsewhere_cannot_lock_the_owner_out(limited_client, make_app, people):
    """The owner logged in from this browser before: the attacker's wrong guesses fill the account's bucket,
    and the owner, carrying the device cookie, still gets in with the right password."""
    owner = limited_client
    assert login(owner, people["coordinator"].email).status_code == 302
    assert owner.get_cookie("sanad_device") is not None
    owner.post("/logout")
    attacker = limited_client.application.test_client()
    for n in range(3):
        assert _guess(attacker, people["coordinator"].email, n).status_code == 200
    assert _guess(attacker, people["coordinator"].email, 9, PASSWORD).status_code == 429  # bounded for guessers
    response = owner.post("/login", data={"email": people["coordinator"].email, "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 302  # the owner's device counts on its own


def test_a_new_browser_is_still_bounded_by_the_account_limit(limited_client, people):
    attacker = limited_client.application.test_client()
    for n in range(3):
        _guess(attacker, people["coordinator"].email, n)
    stranger = limited_client.application.test_client()
    assert _guess(stranger, people["coordinator"].email, 50, PASSWORD).status_code == 429


def test_a_device_cookie_works_only_for_its_own_account_and_cannot_be_forged(limited_client, people):
    member_browser = limited_client
    assert login(member_browser, people["member"].email).status_code == 302
    member_browser.post("/logout")
    attacker = limited_client.application.test_client()
    for n in range(3):
        _guess(attacker, people["coordinator"].email, n)
    # The member's device cookie says nothing about the coordinator's account.
    assert _guess(member_browser, people["coordinator"].email, 60, PASSWORD).status_code == 429
    forged = limited_client.application.test_client()
    forged.set_cookie("sanad_device", "eyJhIjoiMTIzIiwiZCI6InNlbGYifQ.forged.signature")
    assert _guess(forged, people["coordinator"].email, 61, PASSWORD).status_code == 429
    # A device's own wrong guesses are bounded too.
    for n in range(3):
        _guess(member_browser, people["member"].email, 70 + n)
    assert _guess(member_browser, people["member"].email, 80, PASSWORD).status_code == 429
