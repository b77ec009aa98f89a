from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.organizations.models import Organization
from tests.helpers import login

PROFILE = {"name": "Human Rights Action Forum", "acronym": "HRAF", "type": "ngo", "province": "punjab",
           "city": "Lahore", "website": "https://hraf.example.org", "description": "We defend rights."}


def test_the_public_directory_lists_only_verified_organizations(client, make_organization):
    make_organization("Verified Forum")
    make_organization("Pending Council", verified=False)
    page = client.get("/organizations").get_data(as_text=True)
    assert "Verified Forum" in page and "Pending Council" not in page


def test_the_directory_filters_by_type_province_and_name_without_javascript(client, make_organization):
    make_organization("Lahore Forum", type="ngo", province="punjab", city="Lahore")
    make_organization("Karachi Institute", type="academic", province="sindh", city="Karachi")
    assert "Karachi Institute" not in client.get("/organizations?type=ngo").get_data(as_text=True)
    assert "Lahore Forum" not in client.get("/organizations?province=sindh").get_data(as_text=True)
    page = client.get("/organizations?q=karachi").get_data(as_text=True)
    assert "Karachi Institute" in page and "Lahore Forum" not in page


def test_an_unverified_organization_page_is_not_public(client, make_organization):
    pending = make_organization("Pending Council", verified=False)
    assert client.get(f"/organizations/{pending.id}").status_code == 404


def test_a_verified_organization_page_is_public_without_its_people(client, people):
    page = client.get(f"/organizations/{people['member'].organization_id}").get_data(as_text=True)
    assert "Human Rights Action Forum" in page
    assert "member@example.org" not in page and people["member"].name not in page


def test_the_organization_page_shows_its_people_to_its_members(client, people, login_as):
    login_as(people["member"])
    page = client.get(f"/organizations/{people['member'].organization_id}").get_data(as_text=True)
    assert people["representative"].name in page


def test_a_coordinator_verifies_and_unverifies_and_both_are_audited(app, client, people, make_organization):
    pending = make_organization("Pending Council", verified=False)
    login(client, people["coordinator"].email)
    assert client.post(f"/organizations/{pending.id}/verification", data={"verified": "1"}).status_code == 302
    with app.app_context():
        assert db.session.get(Organization, pending.id).verified
    client.post(f"/organizations/{pending.id}/verification", data={"verified": "0"})
    with app.app_context():
        assert not db.session.get(Organization, pending.id).verified
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "organizations")).all()
    assert actions == ["organization_verified", "organization_unverified"]


def test_a_representative_cannot_verify_their_own_organization(app, client, people):
    rep = people["representative"]
    login(client, rep.email)
    assert client.post(f"/organizations/{rep.organization_id}/verification", data={"verified": "0"}).status_code == 403
    with app.app_context():
        assert db.session.get(Organization, rep.organization_id).verified


def test_a_representative_edits_their_organization_profile(app, client, people):
    rep = people["representative"]
    login(client, rep.email)
    response = client.post(f"/organizations/{rep.organization_id}/edit", data={**PROFILE, "city": "Multan"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Organization, rep.organization_id).city == "Multan"


def test_a_representative_cannot_edit_another_organization(client, people, make_organization):
    other = make_organization("Another Organization")
    login(client, people["representative"].email)
    assert client.get(f"/organizations/{other.id}/edit").status_code == 403
    assert client.post(f"/organizations/{other.id}/edit", data=PROFILE).status_code == 403


def test_a_member_cannot_edit_their_organization(client, people):
    login(client, people["member"].email)
    assert client.get(f"/organizations/{people['member'].organization_id}/edit").status_code == 403


def test_a_bad_website_is_refused_and_the_text_kept(app, client, people):
    rep = people["representative"]
    login(client, rep.email)
    response = client.post(f"/organizations/{rep.organization_id}/edit",
                           data={**PROFILE, "website": "javascript:alert(1)", "description": "Kept text"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a full address starting with https://" in body and "Kept text" in body


def test_a_coordinator_adds_an_organization_unverified(app, client, people):
    login(client, people["coordinator"].email)
    response = client.post("/organizations/new", data={**PROFILE, "name": "New Network", "acronym": "NN"})
    assert response.status_code == 302
    with app.app_context():
        organization = db.session.scalar(select(Organization).where(Organization.name == "New Network"))
        assert organization is not None and not organization.verified


def test_a_duplicate_organization_name_is_refused(client, people):
    login(client, people["coordinator"].email)
    response = client.post("/organizations/new", data={**PROFILE, "name": "human rights action forum"})
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_unknown_organization_ids_give_404(client, people):
    login(client, people["coordinator"].email)
    for path in ("/organizations/999999", "/organizations/999999/edit", "/organizations/999999/invite"):
        assert client.get(path).status_code == 404
