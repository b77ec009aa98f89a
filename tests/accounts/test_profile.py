from app.accounts.models import User
from app.extensions import db


def test_a_member_edits_their_profile(app, client, people, login_as):
    login_as(people["member"])
    response = client.post("/account", data={"name": "Fatima Malik", "designation": "Director", "gender": "woman",
                                              "province": "sindh", "language": "ur", "notification_mode": "daily"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, people["member"].id)
        assert (user.name, user.designation, user.gender, user.province, user.language, user.notification_mode) == (
            "Fatima Malik", "Director", "woman", "sindh", "ur", "daily")
    page = client.get("/account").get_data(as_text=True)
    assert 'dir="rtl"' in page and 'lang="ur"' in page


def test_gender_and_province_are_optional(app, client, people, login_as):
    login_as(people["member"])
    response = client.post("/account", data={"name": "Someone", "designation": "", "gender": "", "province": "",
                                              "language": "en", "notification_mode": "none"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, people["member"].id)
        assert user.gender is None and user.province is None


def test_an_unknown_choice_is_refused_and_the_text_is_kept(app, client, people, login_as):
    login_as(people["member"])
    response = client.post("/account", data={"name": "Kept Name", "designation": "Kept", "gender": "robot",
                                              "province": "", "language": "en", "notification_mode": "immediate"})
    assert response.status_code == 422
    assert 'value="Kept Name"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, people["member"].id).name != "Kept Name"


def test_an_empty_name_is_refused(client, people, login_as):
    login_as(people["member"])
    response = client.post("/account", data={"name": "", "language": "en"})
    assert response.status_code == 422
    assert "This field is required." in response.get_data(as_text=True)


def test_the_language_switcher_works_without_javascript(client):
    response = client.post("/language", data={"language": "ur", "next": "/organizations"})
    assert response.headers["Location"] == "/organizations"
    page = client.get("/organizations").get_data(as_text=True)
    assert 'dir="rtl"' in page
