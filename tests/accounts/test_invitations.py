import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Invitation, User
from app.audit.models import AuditEntry
from app.extensions import db
from app.time import utcnow
from tests.helpers import login, without_bdi


def invite(client, email, **fields):
    data = {"email": email, "capacity": "member", **fields}
    return client.post("/invitations/new", data=data)


def link_in(mailbox, email, path):
    [message] = mailbox.to(email)
    return re.search(rf"http://localhost({path}/\S+)", message["body"]).group(1)


def accept(client, link, **fields):
    data = {"name": "New Person", "designation": "Researcher", "password": "a long new password",
            "confirm": "a long new password", "language": "en", "gender": "", "province": "", **fields}
    return client.post(link, data=data)


def test_coordinator_invites_a_member_who_accepts_and_is_logged_in(app, client, people, mailbox):
    login(client, people["coordinator"].email)
    organization_id = people["member"].organization_id  # typed by name, found whatever the case
    response = invite(client, "New@Example.org ", organization="human rights action forum", capacity="member")
    assert response.status_code == 302
    [message] = mailbox.to("new@example.org")
    assert "Invitation to" in message["subject"] and "Human Rights Action Forum" in message["body"]
    link = link_in(mailbox, "new@example.org", "/invite")

    client.post("/logout")
    assert "Accept your invitation" in client.get(link).get_data(as_text=True)
    assert accept(client, link).status_code == 302
    assert "Welcome, New Person" in without_bdi(client.get("/"))
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new@example.org"))
        assert user.organization_id == organization_id and user.org_role == "member"
        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"invitation_sent", "invitation_accepted"} <= actions


def test_an_invitation_link_works_only_once(client, people, mailbox):
    login(client, people["coordinator"].email)
    invite(client, "once@example.org", capacity="expert")
    link = link_in(mailbox, "once@example.org", "/invite")
    client.post("/logout")
    assert accept(client, link).status_code == 302
    client.post("/logout")
    response = accept(client, link, name="Someone Else")
    assert response.status_code == 404
    assert "This link no longer works" in response.get_data(as_text=True)


def test_an_invitation_expires_after_seven_days(app, client, people, mailbox):
    login(client, people["coordinator"].email)
    invite(client, "late@example.org", capacity="expert")
    link = link_in(mailbox, "late@example.org", "/invite")
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == "late@example.org"))
        assert timedelta(days=6, hours=23) < invitation.expires_at - invitation.created_at <= timedelta(days=7)
        invitation.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    client.post("/logout")
    assert client.get(link).status_code == 404
    assert accept(client, link).status_code == 404


def test_a_revoked_invitation_no_longer_works(app, client, people, mailbox):
    login(client, people["coordinator"].email)
    invite(client, "revoked@example.org", capacity="expert")
    link = link_in(mailbox, "revoked@example.org", "/invite")
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id).where(Invitation.email == "revoked@example.org"))
    assert client.post(f"/invitations/{invitation_id}/revoke").status_code == 302
    client.post("/logout")
    assert client.get(link).status_code == 404


def test_a_representative_invites_a_colleague_into_their_own_organization(app, client, people, mailbox):
    rep = people["representative"]
    login(client, rep.email)
    response = client.post(f"/organizations/{rep.organization_id}/invite",
                           data={"email": "colleague@example.org", "capacity": "member",
                                 "organization": str(rep.organization_id)})
    assert response.status_code == 302
    assert mailbox.to("colleague@example.org")


def test_a_representative_cannot_invite_into_another_organization(client, people, make_organization, mailbox):
    other = make_organization("Another Organization")
    login(client, people["representative"].email)
    response = client.post(f"/organizations/{other.id}/invite",
                           data={"email": "x@example.org", "capacity": "member", "organization": str(other.id)})
    assert response.status_code == 403
    assert not mailbox.messages


def test_a_representative_cannot_smuggle_another_organization_into_the_form(app, client, people, make_organization):
    other = make_organization("Another Organization")
    rep = people["representative"]
    login(client, rep.email)
    client.post(f"/organizations/{rep.organization_id}/invite",
                data={"email": "x@example.org", "capacity": "member", "organization": str(other.id)})
    with app.app_context():
        assert db.session.scalar(select(Invitation).where(Invitation.organization_id == other.id)) is None


def test_a_member_cannot_invite(client, people):
    member = people["member"]
    login(client, member.email)
    assert client.get(f"/organizations/{member.organization_id}/invite").status_code == 403


def test_only_an_admin_may_invite_a_coordinator(client, people, mailbox):
    login(client, people["coordinator"].email)
    response = invite(client, "boss@example.org", capacity="coordinator")
    assert response.status_code == 422  # not a choice the coordinator has
    assert not mailbox.messages
    client.post("/logout")
    login(client, people["admin"].email)
    assert invite(client, "boss@example.org", capacity="coordinator").status_code == 302
    assert mailbox.to("boss@example.org")


def test_an_admin_invites_a_reviewer_into_an_institution(app, client, people, mailbox):
    login(client, people["admin"].email)
    institution_id = people["reviewer"].institution_id
    response = invite(client, "gov@example.org", capacity="reviewer", institution=str(institution_id))
    assert response.status_code == 302
    link = link_in(mailbox, "gov@example.org", "/invite")
    client.post("/logout")
    accept(client, link)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "gov@example.org"))
        assert user.platform_role == "reviewer" and user.institution_id == institution_id


def test_inviting_an_existing_account_is_refused_with_a_message(client, people, mailbox):
    login(client, people["coordinator"].email)
    response = invite(client, "member@example.org", capacity="expert")
    assert response.status_code == 422
    assert "already has an account" in response.get_data(as_text=True)
    assert not mailbox.messages


def test_an_invalid_acceptance_keeps_what_was_typed(client, people, mailbox):
    login(client, people["coordinator"].email)
    invite(client, "typo@example.org", capacity="expert")
    link = link_in(mailbox, "typo@example.org", "/invite")
    client.post("/logout")
    response = accept(client, link, name="Amina Typed This", confirm="something else")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The two passwords differ." in body and 'value="Amina Typed This"' in body
    assert accept(client, link).status_code == 302  # the link still works after a failed attempt


@pytest.mark.parametrize("field,value", [("name", "x" * 121), ("designation", "y" * 121)])
def test_overlong_input_gets_a_field_error_and_keeps_the_text(client, people, mailbox, field, value):
    login(client, people["coordinator"].email)
    invite(client, "long@example.org", capacity="expert")
    link = link_in(mailbox, "long@example.org", "/invite")
    client.post("/logout")
    response = accept(client, link, **{field: value})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert value in body and "121 characters; the limit is 120." in body


def test_a_representative_is_not_told_who_already_has_an_account(app, client, people, make_user, mailbox):
    rep = people["representative"]
    login(client, rep.email)
    response = client.post(f"/organizations/{rep.organization_id}/invite",
                           data={"email": "expert@example.org", "capacity": "member",
                                 "organization": str(rep.organization_id)})
    assert response.status_code == 302  # the same answer as for a new address
    [notice] = mailbox.to("expert@example.org")
    assert "already have an account" in notice["body"]
    with app.app_context():
        assert db.session.scalar(select(Invitation).where(Invitation.email == "expert@example.org")) is None


def test_unverified_organizations_answer_404_not_403_to_outsiders(client, people, make_organization):
    pending = make_organization("Pending Council", verified=False)
    login(client, people["representative"].email)
    assert client.get(f"/organizations/{pending.id}/invite").status_code == 404
    assert client.get(f"/organizations/{pending.id}/edit").status_code == 404
