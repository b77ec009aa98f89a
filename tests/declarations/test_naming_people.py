"""Co-drafters and translators: those named so far, ticked to keep, and others added by email address — no
list of every member of the alliance on the page."""
import html
import re

import pytest

from app.accounts.models import User
from app.declarations.models import Declaration
from app.declarations.people import MAX_NAMED
from app.extensions import db
from tests.helpers import login, make_bilingual


@pytest.fixture
def members(make_user, make_organization):
    """More alliance members than a page should list."""
    organization = make_organization("Many Members Forum", acronym="MMF")
    return [make_user(organization=organization, org_role="member", email=f"many{n}@example.org",
                      name=f"Many Member {n:02d}") for n in range(30)]


def _names(app, declaration_id, relation):
    with app.app_context():
        return sorted(u.email for u in getattr(db.session.get(Declaration, declaration_id), relation))


def _add_value(page: str) -> str:
    return html.unescape(re.search(r'<input[^>]*name="add"[^>]*value="([^"]*)"', page).group(1))


def test_the_drafters_page_lists_only_those_named(client, people, make_declaration, members):
    d = make_declaration("drafting")
    login(client, "coordinator@example.org")
    page = client.get(f"/declarations/{d.id}/drafters").get_data(as_text=True)
    assert "Many Member" not in page and "No co-drafters yet." in page and 'name="add"' in page


def test_drafters_are_added_by_address_and_removed_by_unticking(app, client, people, make_declaration, members):
    d = make_declaration("drafting")
    login(client, "coordinator@example.org")
    url = f"/declarations/{d.id}/drafters"
    response = client.post(url, data={"add": " Many3@Example.org, expert@example.org;many4@example.org "})
    assert response.status_code == 302
    assert _names(app, d.id, "drafters") == ["expert@example.org", "many3@example.org", "many4@example.org"]
    page = client.get(url).get_data(as_text=True)
    assert "Many Member 03 (MMF)" in page and "Many Member 05" not in page
    assert client.post(url, data={"drafters": [str(members[3].id)], "add": ""}).status_code == 302
    assert _names(app, d.id, "drafters") == ["many3@example.org"]


@pytest.mark.parametrize("typed", ["nobody@example.org", "reviewer@example.org", "many1@example.org, x"])
def test_an_address_of_no_alliance_member_is_refused_and_kept(app, client, people, make_declaration, members, typed):
    d = make_declaration("drafting")
    login(client, "coordinator@example.org")
    response = client.post(f"/declarations/{d.id}/drafters", data={"add": typed})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "No active member of the alliance has this address" in page and _add_value(page) == typed
    assert _names(app, d.id, "drafters") == []


def test_an_inactive_member_cannot_be_named(app, client, people, make_declaration, members):
    with app.app_context():
        db.session.get(User, members[0].id).active = False
        db.session.commit()
    d = make_declaration("drafting")
    login(client, "coordinator@example.org")
    response = client.post(f"/declarations/{d.id}/drafters", data={"drafters": [str(members[0].id)],
                                                                   "add": ""})
    assert response.status_code == 302 and _names(app, d.id, "drafters") == []


def test_naming_too_many_at_once_is_refused(app, client, people, make_declaration, members):
    d = make_declaration("drafting")
    login(client, "coordinator@example.org")
    typed = ", ".join(f"someone{n}@example.org" for n in range(MAX_NAMED + 1))
    response = client.post(f"/declarations/{d.id}/drafters", data={"add": typed})
    assert response.status_code == 422
    assert f"Name at most {MAX_NAMED} people at once." in response.get_data(as_text=True)


def test_translators_are_added_by_address_and_a_wrong_one_shows_the_page_again(app, client, people,
                                                                               make_declaration, members):
    d = make_declaration("drafting")
    make_bilingual(app, people, d, translate=False)  # the member is its translator
    login(client, "coordinator@example.org")
    base = f"/declarations/{d.id}/languages"
    page = client.get(base).get_data(as_text=True)
    assert "Many Member" not in page and f'value="{people["member"].id}"' in page
    response = client.post(f"{base}/translators", data={"translators": [str(people["member"].id)],
                                                        "add": "nobody@example.org"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "No active member of the alliance has this address: nobody@example.org." in page
    assert _add_value(page) == "nobody@example.org" and "Languages and translation" in page
    assert _names(app, d.id, "translators") == ["member@example.org"]
    response = client.post(f"{base}/translators", data={"add": "many7@example.org"})
    assert response.status_code == 302
    assert _names(app, d.id, "translators") == ["many7@example.org"]  # the member was unticked
