"""The chase list is a page of the organizations that have not signed, chosen and cut in SQL; reminders look
up only the organizations ticked, and keep the once-a-day rule and the mail budget."""
import html
import re

import pytest
from sqlalchemy import event, func, select

from app.accounts.models import User
from app.extensions import db
from app.organizations.models import Organization
from app.signatures.models import SignatureReminder
from app.signatures.reminders import CHASE_PAGE_SIZE
from tests.helpers import login, password_hash, sign
from tests.mail.test_budgets import _limited

MORE = CHASE_PAGE_SIZE + 10  # "Network 000" … besides the people's organization (Human Rights Action Forum)


@pytest.fixture
def many(app, make_user):
    """More unsigned organizations than a page holds; the last one's representative is on the second page."""
    with app.app_context():
        db.session.add_all(Organization(name=f"Network {n:03d}", acronym="", type="ngo", verified=True)
                           for n in range(MORE))
        db.session.commit()
        ids = dict(db.session.execute(select(Organization.name, Organization.id)).all())
    last = make_user(organization=_organization(app, ids[f"Network {MORE - 1:03d}"]), org_role="representative",
                     email="last-rep@example.org")
    first = make_user(organization=_organization(app, ids["Network 000"]), org_role="representative",
                      email="first-rep@example.org")
    return {"ids": ids, "last": last, "first": first}


def _organization(app, organization_id):
    with app.app_context():
        organization = db.session.get(Organization, organization_id)
        db.session.expunge(organization)
        return organization


def _listed(page: str) -> list[str]:
    return re.findall(r'<label for="org-\d+">([^<]+)</label>', page)


def _links(page: str) -> dict[str, str]:
    return {rel: html.unescape(href) for href, rel in re.findall(r'<a href="([^"]+)" rel="(prev|next)"', page)}


def _reminders(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SignatureReminder))


def test_the_chase_list_shows_a_page_and_counts_every_unsigned_organization(client, people, signon, many):
    login(client, "coordinator@example.org")
    url = f"/declarations/{signon.id}/chase"
    first = client.get(url).get_data(as_text=True)
    everyone = ["Human Rights Action Forum (HRAF)"] + [f"Network {n:03d}" for n in range(MORE)]
    assert _listed(first) == everyone[:CHASE_PAGE_SIZE]
    assert f"{MORE + 1} organizations have not signed" in first and "Page 1 of 2" in first
    assert "The ticked boxes apply to this page only" in first
    # Representatives are read for the page shown only.
    assert "first-rep@example.org" in first and "last-rep@example.org" not in first
    second = client.get(_links(first)["next"]).get_data(as_text=True)
    assert _listed(second) == everyone[CHASE_PAGE_SIZE:]
    assert "last-rep@example.org" in second and "first-rep@example.org" not in second
    assert f"{MORE + 1} organizations have not signed" in second


def test_an_organization_that_signs_leaves_the_list_and_the_count(client, people, signon, many):
    login(client, "rep@example.org")
    sign(client, signon.id)
    client.post("/logout")
    login(client, "coordinator@example.org")
    page = client.get(f"/declarations/{signon.id}/chase").get_data(as_text=True)
    assert f"{MORE} organizations have not signed" in page
    assert _listed(page)[0] == "Network 000" and "Human Rights Action Forum" not in page


def test_the_name_filter_narrows_the_page_and_the_pager_keeps_it(client, people, signon, many):
    login(client, "coordinator@example.org")
    url = f"/declarations/{signon.id}/chase"
    page = client.get(f"{url}?q=network+05").get_data(as_text=True)
    assert _listed(page) == [f"Network 05{n}" for n in range(MORE - 50)]
    assert f"{MORE + 1} organizations have not signed" in page and f"{MORE - 50} match the name" in page
    page = client.get(f"{url}?q=network").get_data(as_text=True)
    next_link = _links(page)["next"]
    assert next_link.startswith(url) and "q=network" in next_link and "page=2" in next_link
    assert _listed(client.get(next_link).get_data(as_text=True)) == [
        f"Network {n:03d}" for n in range(CHASE_PAGE_SIZE, MORE)]
    page = client.get(f"{url}?q=nobody").get_data(as_text=True)
    assert _listed(page) == [] and "No organization that has not signed matches this name." in page
    page = client.get(f"{url}?q=" + "x" * 101).get_data(as_text=True)
    assert _listed(page) == [] and "101 characters; the limit is 100." in page


@pytest.mark.parametrize("number, first", [("abc", "Human Rights Action Forum (HRAF)"),
                                           ("0", "Human Rights Action Forum (HRAF)"),
                                           ("99999", f"Network {CHASE_PAGE_SIZE - 1:03d}")])
def test_a_bad_page_number_answers_a_page(client, people, signon, many, number, first):
    login(client, "coordinator@example.org")
    response = client.get(f"/declarations/{signon.id}/chase?page={number}")
    assert response.status_code == 200
    assert _listed(response.get_data(as_text=True))[0] == first


def test_reminding_from_a_later_page_comes_back_to_it(client, people, signon, many, mailbox):
    login(client, "coordinator@example.org")
    url = f"/declarations/{signon.id}/chase"
    last = many["ids"][f"Network {MORE - 1:03d}"]
    response = client.post(f"{url}?q=network&page=2", data={"organization_id": [str(last)]})
    assert response.status_code == 303
    assert "q=network" in response.location and "page=2" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "Reminders sent to 1 organization; 0 skipped" in page
    mailbox.wait_for("last-rep@example.org", containing="Please sign")


def test_organizations_signed_unknown_or_reminded_today_are_skipped_and_others_reminded(
        app, client, people, signon, many, make_declaration, mailbox):
    other = make_declaration("signon", title="Declaration on shelters")
    login(client, "rep@example.org")
    sign(client, signon.id)  # the people's organization has signed this one
    client.post("/logout")
    login(client, "coordinator@example.org")
    first = many["ids"]["Network 000"]
    # Reminded today for another declaration: still due for this one.
    client.post(f"/declarations/{other.id}/chase", data={"organization_id": [str(first)]})
    signed = people["representative"].organization_id
    response = client.post(f"/declarations/{signon.id}/chase", follow_redirects=True,
                           data={"organization_id": [str(first), str(signed), "987654"]})
    assert "Reminders sent to 1 organization; 2 skipped" in response.get_data(as_text=True)
    assert not [m for m in mailbox.to("rep@example.org") if "Please sign" in m["subject"] + m["body"]]
    response = client.post(f"/declarations/{signon.id}/chase", follow_redirects=True,
                           data={"organization_id": [str(first)]})
    assert "Reminders sent to 0 organizations; 1 skipped" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SignatureReminder)
                                 .where(SignatureReminder.declaration_id == signon.id)) == 1


def test_more_organizations_than_a_page_are_refused_whole(app, client, people, signon, many, mailbox):
    login(client, "coordinator@example.org")
    ids = [str(i) for i in many["ids"].values()]
    assert len(ids) > CHASE_PAGE_SIZE
    response = client.post(f"/declarations/{signon.id}/chase", data={"organization_id": ids},
                           follow_redirects=True)
    assert f"Choose at most {CHASE_PAGE_SIZE} organizations at a time." in response.get_data(as_text=True)
    assert _reminders(app) == 0


def test_reminders_beyond_the_mail_budget_are_refused_whole(make_app, people, signon, many, mailbox):
    app = _limited(make_app, signature_reminder=("1 per day", "5 per day", "100 per day"))
    client = app.test_client()
    login(client, "coordinator@example.org")
    ids = [str(many["ids"]["Network 000"]), str(many["ids"][f"Network {MORE - 1:03d}"])]
    response = client.post(f"/declarations/{signon.id}/chase", data={"organization_id": ids},
                           follow_redirects=True)
    assert "You have sent as many of these emails as you may for now" in response.get_data(as_text=True)
    assert _reminders(app) == 0
    assert mailbox.to("first-rep@example.org") == [] and mailbox.to("last-rep@example.org") == []


def test_the_chase_list_loads_one_page_of_organizations_and_their_people(client, people, signon, many):
    login(client, "coordinator@example.org")
    loaded = {Organization: 0, User: 0}

    def counter(model):
        def count(target, context):
            loaded[model] += 1
        return count
    listeners = [(model, counter(model)) for model in loaded]
    for model, listener in listeners:
        event.listen(model, "load", listener)
    try:
        page = client.get(f"/declarations/{signon.id}/chase").get_data(as_text=True)
    finally:
        for model, listener in listeners:
            event.remove(model, "load", listener)
    assert f"{MORE + 1} organizations have not signed" in page
    assert loaded[Organization] == CHASE_PAGE_SIZE
    assert loaded[User] <= 3  # the coordinator, and the representatives of the page's organizations


@pytest.fixture
def represented(app, people, many):
    """Every organization of `many` with a representative of its own."""
    with app.app_context():
        db.session.add_all(User(email=f"rep-{organization_id}@example.org", name=f"Rep {organization_id}",
                                password_hash=password_hash(), organization_id=organization_id,
                                org_role="representative")
                           for name, organization_id in many["ids"].items() if name.startswith("Network ")
                           and name not in ("Network 000", f"Network {MORE - 1:03d}"))
        db.session.commit()
    return many


def _reminded(app, declaration_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SignatureReminder)
                                 .where(SignatureReminder.declaration_id == declaration_id))


def test_remind_all_reminds_every_page_once_a_day(app, client, people, signon, represented, mailbox):
    login(client, "coordinator@example.org")
    url = f"/declarations/{signon.id}/chase"
    page = client.get(url).get_data(as_text=True)
    assert 'name="all" value="1"' in page and "Remind all organizations that have not signed" in page
    assert 'name="all"' not in client.get(f"{url}?q=network").get_data(as_text=True)
    response = client.post(url, data={"all": "1"}, follow_redirects=True)
    assert f"Reminders sent to {MORE + 1} organizations." in response.get_data(as_text=True)
    assert _reminded(app, signon.id) == MORE + 1
    mailbox.wait_for(f"rep-{represented['ids']['Network 030']}@example.org", containing="Please sign")
    response = client.post(url, data={"all": "1"}, follow_redirects=True)
    assert "Reminders sent to 0 organizations." in response.get_data(as_text=True)
    assert _reminded(app, signon.id) == MORE + 1


def test_remind_all_skips_those_that_signed_meanwhile(app, client, people, signon, represented):
    login(client, "rep@example.org")
    sign(client, signon.id)
    client.post("/logout")
    login(client, "coordinator@example.org")
    client.post(f"/declarations/{signon.id}/chase", data={"all": "1"})
    with app.app_context():
        reminded = set(db.session.scalars(select(SignatureReminder.organization_id)))
    assert people["representative"].organization_id not in reminded and len(reminded) == MORE


def test_remind_all_stops_at_the_mail_budget_after_whole_batches(make_app, people, signon, represented):
    app = _limited(make_app, signature_reminder=(f"{CHASE_PAGE_SIZE + 2} per day", "5 per day", "1000 per day"))
    client = app.test_client()
    login(client, "coordinator@example.org")
    response = client.post(f"/declarations/{signon.id}/chase", data={"all": "1"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert f"Reminders sent to {CHASE_PAGE_SIZE} organizations. The mail budget stopped the rest" in page
    assert _reminded(app, signon.id) == CHASE_PAGE_SIZE


def test_remind_all_with_no_room_for_a_batch_is_refused_whole(make_app, people, signon, represented):
    app = _limited(make_app, signature_reminder=("10 per day", "5 per day", "1000 per day"))
    client = app.test_client()
    login(client, "coordinator@example.org")
    response = client.post(f"/declarations/{signon.id}/chase", data={"all": "1"}, follow_redirects=True)
    assert "You have sent as many of these emails as you may for now" in response.get_data(as_text=True)
    assert _reminded(app, signon.id) == 0
