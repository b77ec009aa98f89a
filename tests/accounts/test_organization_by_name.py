"""Forms that name an organization take its name typed, found in SQL: no list of every organization, and a
clear answer, with what was typed kept, when none or several match."""
import html
import re

import pytest
from sqlalchemy import select

from app.accounts.models import Invitation, User
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.queries import NAMES_SHOWN
from tests.helpers import login


@pytest.fixture
def networks(app, people):
    """Many organizations whose names share a word, and one with a distinct name and acronym."""
    with app.app_context():
        db.session.add_all(Organization(name=f"Legal Aid Network {n:02d}", acronym=f"LAN{n}", type="ngo",
                                        verified=True) for n in range(40))
        db.session.add(Organization(name="Coastal Fisherfolk Forum", acronym="CFF", type="ngo", verified=True))
        db.session.commit()


def _invite(client, organization, capacity="member", email="new@example.org"):
    return client.post("/invitations/new", data={"email": email, "capacity": capacity, "organization": organization})


def _invited_to(app, email="new@example.org"):
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == email))
        return invitation and db.session.get(Organization, invitation.organization_id).name


def _field_value(page: str) -> str:
    return html.unescape(re.search(r'<input[^>]*name="organization"[^>]*value="([^"]*)"', page).group(1))


def test_the_invitation_form_lists_no_organizations(client, people, networks):
    login(client, "coordinator@example.org")
    page = client.get("/invitations/new").get_data(as_text=True)
    assert "Legal Aid Network" not in page and "Coastal Fisherfolk Forum" not in page
    assert _field_value(page) == "" and '<select id="organization"' not in page


@pytest.mark.parametrize("typed", ["Coastal Fisherfolk Forum", "coastal fisherfolk forum", "  CFF ", "fisherfolk"])
def test_an_organization_is_found_by_its_name_acronym_or_a_part_only_it_has(app, client, people, networks, typed):
    login(client, "coordinator@example.org")
    assert _invite(client, typed).status_code == 302
    assert _invited_to(app) == "Coastal Fisherfolk Forum"


def test_the_whole_name_wins_over_names_that_contain_it(app, client, people, networks):
    login(client, "coordinator@example.org")
    assert _invite(client, "legal aid network 07").status_code == 302
    assert _invited_to(app) == "Legal Aid Network 07"


def test_no_match_is_refused_with_what_was_typed_kept(app, client, people, networks):
    login(client, "coordinator@example.org")
    response = _invite(client, "Nowhere <b>Society</b>")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "No organization is called “Nowhere &lt;b&gt;Society&lt;/b&gt;”" in page
    assert _field_value(page) == "Nowhere <b>Society</b>"
    assert _invited_to(app) is None


def test_several_matches_are_refused_naming_a_few(app, client, people, networks):
    login(client, "coordinator@example.org")
    response = _invite(client, "Legal Aid")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Many organizations match “Legal Aid”, among them" in page and "Type the whole name of one." in page
    named = re.findall(r"Legal Aid Network \d\d", page.split("Many organizations match", 1)[1].split("</", 1)[0])
    assert named == [f"Legal Aid Network {n:02d}" for n in range(NAMES_SHOWN)]
    assert _field_value(page) == "Legal Aid" and _invited_to(app) is None


def test_an_empty_name_for_a_member_is_refused(app, client, people, networks):
    login(client, "coordinator@example.org")
    response = _invite(client, "")
    assert response.status_code == 422
    assert "Choose the organization the person will join." in response.get_data(as_text=True)


def test_an_expert_needs_no_organization_and_a_name_typed_is_ignored(app, client, people, networks):
    login(client, "coordinator@example.org")
    assert _invite(client, "no such thing", capacity="expert").status_code == 302


def test_the_admin_roles_form_takes_a_typed_name(app, client, people, networks):
    login(client, people["admin"].email)
    member = people["member"]
    url = f"/admin/users/{member.id}"
    page = client.get(url).get_data(as_text=True)
    assert _field_value(page) == "Human Rights Action Forum" and "Legal Aid Network" not in page
    data = {"platform_role": "", "org_role": "member", "institution": "", "active": "y"}
    response = client.post(url, data={**data, "organization": "Network 0"})  # 00 to 09
    assert response.status_code == 422 and "Many organizations match" in response.get_data(as_text=True)
    assert _field_value(response.get_data(as_text=True)) == "Network 0"
    with app.app_context():
        db.session.add_all(Organization(name=f"Twin Forum {side}", acronym="", type="ngo", verified=True)
                           for side in ("North", "South"))
        db.session.commit()
    response = client.post(url, data={**data, "organization": "twin forum"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Several organizations match “twin forum”: Twin Forum North; Twin Forum South. Type the whole" in page
    response = client.post(url, data={**data, "organization": "Atlantis"})
    assert response.status_code == 422 and "No organization is called “Atlantis”" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, member.id).organization.name == "Human Rights Action Forum"
    assert client.post(url, data={**data, "organization": "CFF"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, member.id).organization.name == "Coastal Fisherfolk Forum"
    assert client.post(url, data={**data, "organization": "", "org_role": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(User, member.id).organization_id is None
