import re

from app.accounts import services
from app.accounts.models import User
from app.extensions import db
from tests.helpers import PASSWORD, login, without_tokens

NEW_PASSWORD = "a brand new password"


def reset_link(mailbox, email):
    [message] = mailbox.to(email)
    return re.search(r"http://localhost(/reset/\S+)", message["body"]).group(1)


def choose(client, link, password=NEW_PASSWORD):
    return client.post(link, data={"password": password, "confirm": password})


def test_known_and_unknown_emails_get_the_same_answer(client, people, mailbox):
    known = client.post("/reset", data={"email": people["member"].email})
    unknown = client.post("/reset", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert (without_tokens(known).replace(people["member"].email, "")
            == without_tokens(unknown).replace("nobody@example.org", ""))
    assert len(mailbox.to(people["member"].email)) == 1
    assert not mailbox.to("nobody@example.org")


def test_a_reset_link_sets_a_new_password_and_works_only_once(client, people, mailbox):
    email = people["member"].email
    client.post("/reset", data={"email": email})
    link = reset_link(mailbox, email)
    assert client.get(link).status_code == 200
    assert choose(client, link).status_code == 302
    assert login(client, email, PASSWORD).status_code == 200  # the old password no longer works
    assert login(client, email, NEW_PASSWORD).status_code == 302
    client.post("/logout")
    assert client.get(link).status_code == 404
    assert choose(client, link, "yet another password").status_code == 404


def test_a_reset_link_dies_when_the_password_changes_otherwise(app, client, people, mailbox):
    email = people["member"].email
    client.post("/reset", data={"email": email})
    link = reset_link(mailbox, email)
    login(client, email)
    response = client.post("/account/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                       "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    client.post("/logout")
    assert client.get(link).status_code == 404


def test_a_reset_link_expires(make_app, people, mailbox):
    app = make_app(RESET_SECONDS=-1)
    client = app.test_client()
    client.post("/reset", data={"email": people["member"].email})
    assert client.get(reset_link(mailbox, people["member"].email)).status_code == 404


def test_a_forged_reset_link_is_refused(client):
    assert client.get("/reset/eyJ1IjoxLCJmIjoieCJ9.forged.signature").status_code == 404


def test_a_reset_logs_out_other_sessions(app, people, mailbox):
    email = people["member"].email
    other_device = app.test_client()
    login(other_device, email)
    assert other_device.get("/account").status_code == 200
    client = app.test_client()
    client.post("/reset", data={"email": email})
    choose(client, reset_link(mailbox, email))
    assert other_device.get("/account").status_code == 302


def test_a_password_change_keeps_this_session_and_ends_the_others(app, people):
    email = people["member"].email
    this_device, other_device = app.test_client(), app.test_client()
    login(this_device, email)
    login(other_device, email)
    this_device.post("/account/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                "confirm": NEW_PASSWORD})
    assert this_device.get("/account").status_code == 200
    assert other_device.get("/account").status_code == 302


def test_a_wrong_current_password_changes_nothing(app, client, people):
    login(client, people["member"].email)
    response = client.post("/account/password", data={"current_password": "not it", "password": NEW_PASSWORD,
                                                       "confirm": NEW_PASSWORD})
    assert response.status_code == 422
    assert "The current password is not correct." in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, people["member"].id)
        assert services.authenticate(user.email, PASSWORD) is not None
