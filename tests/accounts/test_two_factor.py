"""The second factor: TOTP from an authenticator app, required of admins, coordinators and reviewers."""
import re
import time

import pyotp
import pytest
from sqlalchemy import func, select

from app.accounts import two_factor
from app.accounts.models import RecoveryCode, User
from app.audit.models import AuditEntry
from app.extensions import db
from app.web.pages import attempt
from tests.helpers import PASSWORD, login, race, totp_code


def _password_step(client, email, password=PASSWORD, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def _secret(app, email):
    with app.app_context():
        return db.session.scalar(select(User.totp_secret).where(User.email == email))


def _enrol(app, client, user, code=None) -> list[str]:
    """Turn the second factor on through the pages, as the person would; returns the recovery codes."""
    page = client.get("/account/two-factor").get_data(as_text=True)
    key = re.search(r'<code class="secret"><bdi dir="ltr">([A-Z2-7 ]+)</bdi>', page).group(1).replace(" ", "")
    response = client.post("/account/two-factor", data={"code": code or pyotp.TOTP(key).now()})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return re.findall(r"<li><code>([0-9a-f]{8}-[0-9a-f]{8})</code></li>", response.get_data(as_text=True))


# --- the login step ---------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["coordinator", "reviewer", "admin"])
def test_a_password_alone_does_not_log_in_those_who_hold_power(client, people, role):
    response = _password_step(client, people[role].email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/code")
    assert client.get("/account").status_code == 302  # not logged in yet
    assert "/login" in client.get("/account").headers["Location"]


def test_the_code_completes_the_login_and_both_steps_are_audited(app, client, people):
    email = people["coordinator"].email
    _password_step(client, email)
    wrong = client.post("/login/code", data={"code": "12345"})
    assert wrong.status_code == 200 and "not correct" in wrong.get_data(as_text=True)
    response = client.post("/login/code", data={"code": totp_code(app, email)})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["second_factor_failed", "login"]


def test_a_code_is_taken_once_even_within_its_window(app, client, people):
    email = people["coordinator"].email
    code = totp_code(app, email)
    _password_step(client, email)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    client.post("/logout")
    _password_step(client, email)
    again = client.post("/login/code", data={"code": code})
    assert again.status_code == 200 and "already been used" in again.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_a_code_from_an_older_window_is_refused(app, client, people):
    email = people["coordinator"].email
    old = pyotp.TOTP(_secret(app, email)).at(time.time() - 120)
    _password_step(client, email)
    assert client.post("/login/code", data={"code": old}).status_code == 200
    assert client.get("/account").status_code == 302


def test_the_code_step_without_the_password_step_sends_back_to_login(client, people):
    response = client.post("/login/code", data={"code": "123456"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_the_password_step_expires_after_five_minutes(app, client, people, monkeypatch):
    email = people["coordinator"].email
    _password_step(client, email)
    later = time.time() + 301
    monkeypatch.setattr("app.accounts.views.time.time", lambda: later)
    response = client.post("/login/code", data={"code": totp_code(app, email)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert client.get("/account").status_code == 302


def test_a_recovery_code_works_once_and_only_its_hash_is_stored(app, client, make_user, make_organization):
    user = make_user(organization=make_organization(), org_role="member")
    login(client, user.email)
    codes = _enrol(app, client, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    with app.app_context():
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    client.post("/logout")

    _password_step(client, user.email)
    assert client.post("/login/code", data={"code": codes[3].upper().replace("-", " ")}).status_code == 302
    client.post("/logout")
    _password_step(client, user.email)
    assert client.post("/login/code", data={"code": codes[3]}).status_code == 200
    with app.app_context():
        assert two_factor.recovery_codes_left(db.session.get(User, user.id)) == 9


def test_wrong_codes_are_rate_limited_per_account(app, make_app, people):
    limited = make_app(RATELIMIT_ENABLED=True, LOGIN_LIMITS="3 per minute").test_client()
    email = people["coordinator"].email
    for n in range(3):
        other = limited.application.test_client()
        other.post("/login", data={"email": email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": f"10.1.0.{n}"})
        assert other.post("/login/code", data={"code": "000000"},
                          environ_base={"REMOTE_ADDR": f"10.1.0.{n}"}).status_code == 200
    limited.post("/login", data={"email": email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.1.0.9"})
    response = limited.post("/login/code", data={"code": totp_code(app, email)},
                            environ_base={"REMOTE_ADDR": "10.1.0.9"})
    assert response.status_code == 429


def test_two_requests_with_the_same_code_log_in_once(app, people):
    email = people["coordinator"].email
    code = totp_code(app, email)

    def use():
        user = db.session.scalar(select(User).where(User.email == email))
        with attempt():
            return two_factor.check_code(user, code)
    first, second = race(app, use, use)
    assert [first.get("done"), second.get("done")].count(True) == 1


# --- enrolment --------------------------------------------------------------------------------------

def test_a_coordinator_without_a_second_factor_can_only_set_it_up(app, client, make_user):
    coordinator = make_user("coordinator", totp_secret=None)
    response = login(client, coordinator.email)
    assert response.status_code == 302
    for path in ("/", "/declarations", "/account", "/moderation", "/invitations"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/account/two-factor"), path
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "must keep" not in page and "needs a second step" in page
    assert re.search(r'<img src="data:image/svg\+xml[^"]+" alt="QR code', page)
    assert "<script" not in page
    codes = _enrol(app, client, coordinator)
    assert len(codes) == 10
    assert client.get("/declarations").status_code == 200
    with app.app_context():
        assert db.session.get(User, coordinator.id).has_second_factor


def test_a_wrong_first_code_keeps_the_same_key_and_says_so(app, client, make_user):
    coordinator = make_user("coordinator", totp_secret=None)
    login(client, coordinator.email)
    first = client.get("/account/two-factor").get_data(as_text=True)
    key = re.search(r'<code class="secret"><bdi dir="ltr">([A-Z2-7 ]+)</bdi>', first).group(1)
    response = client.post("/account/two-factor", data={"code": "abc"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "does not match" in text and key in text and 'value="abc"' in text
    with app.app_context():
        assert not db.session.get(User, coordinator.id).has_second_factor


def test_members_may_turn_it_off_those_who_hold_power_may_not(app, client, people, make_user, make_organization):
    login(client, people["coordinator"].email)
    response = client.post("/account/two-factor/off", data={"code": totp_code(app, people["coordinator"].email),
                                                             "password": PASSWORD})
    assert response.status_code == 422 and "must keep" in response.get_data(as_text=True)
    client.post("/logout")

    member = make_user(organization=make_organization(name="Other Forum"), org_role="member")
    login(client, member.email)
    _enrol(app, client, member)
    wrong = client.post("/account/two-factor/off", data={"code": "000000", "password": PASSWORD})
    assert wrong.status_code == 422
    assert client.post("/account/two-factor/off", data={"code": totp_code(app, member.email),
                                                        "password": PASSWORD}).status_code == 302
    with app.app_context():
        user = db.session.get(User, member.id)
        assert not user.has_second_factor and user.totp_secret is None
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0


def test_new_recovery_codes_replace_the_old_ones(app, client, people):
    email = people["coordinator"].email
    login(client, email)
    response = client.post("/account/two-factor/recovery-codes", data={"code": totp_code(app, email),
                                                                        "password": PASSWORD})
    codes = re.findall(r"<li><code>([0-9a-f-]{17})</code></li>", response.get_data(as_text=True))
    assert len(codes) == 10
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 10


# --- demo ---------------------------------------------------------------------------------------------

def test_demo_accounts_that_need_it_are_enrolled_and_the_demo_command_prints_their_code(app, runner, client):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    result = runner.invoke(args=["demo", "totp", "coordinator@example.org"])
    assert result.exit_code == 0 and re.fullmatch(r"\d{6}\n", result.output)
    response = client.post("/login", data={"email": "coordinator@example.org", "password": "sanad-demo"})
    assert response.headers["Location"].endswith("/login/code")
    code = result.output.strip()
    if client.post("/login/code", data={"code": code}).status_code != 302:  # the window turned meanwhile
        code = runner.invoke(args=["demo", "totp", "coordinator@example.org"]).output.strip()
        assert client.post("/login/code", data={"code": code}).status_code == 302
    assert client.get("/declarations").status_code == 200
    assert runner.invoke(args=["demo", "totp", "rep@example.org"]).exit_code != 0
