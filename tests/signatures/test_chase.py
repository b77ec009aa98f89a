from types import SimpleNamespace

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.signatures.models import SignatureReminder
from app.time import local_date, utcnow
from tests.helpers import login, sign


@pytest.fixture
def alliance(people, make_organization, make_user):
    """Besides the representative's organization: one with two representatives, one with none."""
    two = make_organization("Sindh Legal Aid Network")
    first = make_user(organization=two, org_role="representative", email="zainab@example.org")
    second = make_user(organization=two, org_role="representative", email="ali@example.org")
    make_user(organization=two, org_role="member", email="not-a-rep@example.org")
    none = make_organization("Coastal Fisherfolk Forum")
    return SimpleNamespace(two=two, none=none, reps=[first, second])


def test_chase_list_shows_unsigned_member_organizations_and_their_representatives(client, people, signon, alliance):
    login(client, "rep@example.org")
    sign(client, signon.id)
    client.post("/logout")
    login(client, "coordinator@example.org")
    page = client.get(f"/declarations/{signon.id}/chase").get_data(as_text=True)
    assert "Human Rights Action Forum" not in page  # signed
    assert "Sindh Legal Aid Network" in page and "zainab@example.org" in page and "ali@example.org" in page
    assert "not-a-rep@example.org" not in page
    assert "Coastal Fisherfolk Forum" in page and "No representative" in page
    assert "2 organizations have not signed" in page


def test_reminders_go_to_representatives_at_most_once_a_day(app, client, people, signon, alliance, mailbox):
    login(client, "coordinator@example.org")
    url = f"/declarations/{signon.id}/chase"
    data = {"organization_id": [str(alliance.two.id), str(alliance.none.id)]}
    response = client.post(url, data=data, follow_redirects=True)
    assert "Reminders sent to 1 organization; 1 skipped" in response.get_data(as_text=True)
    for rep in alliance.reps:
        [message] = mailbox.wait_for(rep.email, containing="Please sign")
        assert f"/declarations/{signon.id}/sign" in message["body"]
    assert mailbox.to("not-a-rep@example.org") == []
    response = client.post(url, data=data, follow_redirects=True)
    assert "Reminders sent to 0 organizations; 2 skipped" in response.get_data(as_text=True)
    assert len(mailbox.to("zainab@example.org")) == 1
    assert "today" in client.get(url).get_data(as_text=True)


def test_the_database_allows_one_reminder_per_organization_per_day(app, people, signon, alliance):
    with app.app_context():
        values = dict(declaration_id=signon.id, organization_id=alliance.two.id, sent_on=local_date(utcnow()),
                      sent_by_id=people["coordinator"].id)
        db.session.add(SignatureReminder(**values))
        db.session.commit()
        db.session.add(SignatureReminder(**values))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_choosing_nothing_sends_nothing(client, people, signon, alliance, mailbox):
    login(client, "coordinator@example.org")
    response = client.post(f"/declarations/{signon.id}/chase", data={"organization_id": ["x", ""]},
                           follow_redirects=True)
    assert "Choose at least one organization" in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["representative", "member", "reviewer", "admin"])
def test_only_coordinators_chase_export_and_see_statistics(client, people, signon, who):
    login(client, people[who].email)
    for url in ("chase", "signatories.csv", "signatories.json", "signatures/statistics"):
        assert client.get(f"/declarations/{signon.id}/{url}").status_code == 403, url
    assert client.post(f"/declarations/{signon.id}/chase", data={"organization_id": "1"}).status_code == 403
