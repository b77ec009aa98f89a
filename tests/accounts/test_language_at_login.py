"""The language chosen in the browser before logging in survives the login (issue 14, #1); the profile's
language applies where no choice was made; saving the choice to the profile is offered."""
from sqlalchemy import update

from app.accounts.models import User
from app.extensions import db
from tests.helpers import login


def _lang(response) -> str:
    text = response.get_data(as_text=True)
    return text.split('<html lang="', 1)[1].split('"', 1)[0]


def test_urdu_chosen_before_login_stays_after_it_and_saving_it_is_offered(app, client, people):
    client.post("/language", data={"language": "ur", "next": "/"})
    assert login(client, people["member"].email).status_code == 302
    page = client.get("/declarations")
    assert _lang(page) == "ur"
    assert 'class="language-offer wrap"' in page.get_data(as_text=True)
    client.post("/language", data={"language": "ur", "next": "/declarations"})  # "Make Urdu my language"
    with app.app_context():
        assert db.session.get(User, people["member"].id).language == "ur"
    assert 'class="language-offer wrap"' not in client.get("/declarations").get_data(as_text=True)


def test_the_profiles_language_applies_where_this_browser_chose_none(app, client, people):
    with app.app_context():
        db.session.execute(update(User).where(User.id == people["member"].id).values(language="ur"))
        db.session.commit()
    login(client, people["member"].email)
    page = client.get("/declarations")
    assert _lang(page) == "ur" and 'class="language-offer wrap"' not in page.get_data(as_text=True)


def test_the_dossier_page_follows_the_language_chosen_before_login(client, people, submitted):
    _declaration, submission = submitted
    client.post("/language", data={"language": "ur", "next": "/"})
    login(client, people["coordinator"].email)
    assert _lang(client.get(f"/submissions/{submission.id}")) == "ur"
