from sqlalchemy import select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.extensions import db
from app.institutions.models import Institution
from tests.helpers import login


def roles(**fields):
    return {"platform_role": "", "organization": "", "org_role": "", "institution": "", "active": "y", **fields}


def test_an_admin_makes_a_member_a_coordinator_and_it_is_audited(app, client, people):
    login(client, people["admin"].email)
    member = people["member"]
    response = client.post(f"/admin/users/{member.id}", data=roles(
        platform_role="coordinator", organization="Human Rights Action Forum", org_role="member"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, member.id).platform_role == "coordinator"
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "roles_changed"))
        assert entry.details["before"]["platform_role"] is None
        assert entry.details["after"]["platform_role"] == "coordinator"


def test_deactivating_a_person_logs_them_out(app, people):
    member_client, admin_client = app.test_client(), app.test_client()
    login(member_client, people["member"].email)
    login(admin_client, people["admin"].email)
    admin_client.post(f"/admin/users/{people['member'].id}", data=roles(
        organization="Human Rights Action Forum", org_role="member", active=""))
    assert member_client.get("/account").status_code == 302


def test_an_admin_cannot_remove_their_own_admin_role(app, client, people):
    admin = people["admin"]
    login(client, admin.email)
    response = client.post(f"/admin/users/{admin.id}", data=roles(platform_role="coordinator"))
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(User, admin.id).platform_role == "admin"


def test_a_reviewer_needs_an_institution(app, client, people):
    login(client, people["admin"].email)
    response = client.post(f"/admin/users/{people['expert'].id}", data=roles(platform_role="reviewer"))
    assert response.status_code == 422
    assert "recipient institution" in response.get_data(as_text=True)


def test_an_admin_manages_recipient_institutions(app, client, people):
    login(client, people["admin"].email)
    response = client.post("/admin/institutions/new", data={"name": "Anti-Narcotics Force", "acronym": "ANF",
                                                            "description": ""})
    assert response.status_code == 302
    with app.app_context():
        institution = db.session.scalar(select(Institution).where(Institution.acronym == "ANF"))
    client.post(f"/admin/institutions/{institution.id}", data={"name": "Anti-Narcotics Force (HQ)", "acronym": "ANF"})
    with app.app_context():
        assert db.session.get(Institution, institution.id).name == "Anti-Narcotics Force (HQ)"
    page = client.get(f"/admin/institutions/{people['reviewer'].institution_id}").get_data(as_text=True)
    assert people["reviewer"].name in page and "Invite a reviewer" in page


def test_the_people_list_filters_by_role(client, people):
    login(client, people["admin"].email)
    page = client.get("/admin/users?role=reviewer").get_data(as_text=True)
    assert "reviewer@example.org" in page and "member@example.org" not in page
    assert "member@example.org" in client.get("/admin/users?q=member").get_data(as_text=True)
