"""The directory shows a page of organizations by name, counted and cut in SQL, with its filters kept."""
import html
import re

import pytest
from sqlalchemy import event

from app.extensions import db
from app.organizations.models import Organization
from app.organizations.views import DIRECTORY_PAGE_SIZE
from tests.helpers import login

MORE = DIRECTORY_PAGE_SIZE + 7


@pytest.fixture
def many(app):
    """More verified organizations than a page holds (half in Sindh), and a few awaiting verification."""
    with app.app_context():
        db.session.add_all(Organization(name=f"Forum {n:03d}", acronym="", type="ngo", verified=True,
                                        province="sindh" if n % 2 else "punjab", city="Hyderabad")
                           for n in range(MORE))
        db.session.add_all(Organization(name=f"Pending {n:03d}", acronym="", type="ngo", verified=False,
                                        province="sindh") for n in range(3))
        db.session.commit()


def _listed(page: str) -> list[str]:
    return re.findall(r'dir="auto">((?:Forum|Pending) \d{3})</a>', page)


def _links(page: str) -> dict[str, str]:
    return {rel: html.unescape(href) for href, rel in re.findall(r'<a href="([^"]+)" rel="(prev|next)"', page)}


def test_the_directory_shows_one_page_by_name_and_counts_them_all(client, many):
    first = client.get("/organizations").get_data(as_text=True)
    assert _listed(first) == [f"Forum {n:03d}" for n in range(DIRECTORY_PAGE_SIZE)]
    assert f"{MORE} organizations" in first and "Page 1 of 2" in first
    second = client.get(_links(first)["next"]).get_data(as_text=True)
    assert _listed(second) == [f"Forum {n:03d}" for n in range(DIRECTORY_PAGE_SIZE, MORE)]
    assert "Page 2 of 2" in second and "next" not in _links(second)


def test_each_filter_narrows_the_count_and_the_pager_keeps_them(client, many):
    sindh = [f"Forum {n:03d}" for n in range(MORE) if n % 2]
    page = client.get("/organizations?province=sindh&type=ngo").get_data(as_text=True)
    assert _listed(page) == sindh and f"{len(sindh)} organizations" in page
    assert "0 organizations" in client.get("/organizations?type=academic").get_data(as_text=True)
    page = client.get("/organizations?q=forum+00").get_data(as_text=True)
    assert _listed(page) == [f"Forum 00{n}" for n in range(10)]
    page = client.get("/organizations?q=hyderabad&type=ngo").get_data(as_text=True)
    next_link = _links(page)["next"]
    assert all(part in next_link for part in ("q=hyderabad", "type=ngo", "page=2"))
    assert _listed(client.get(next_link).get_data(as_text=True)) == [
        f"Forum {n:03d}" for n in range(DIRECTORY_PAGE_SIZE, MORE)]


@pytest.mark.parametrize("number", ["abc", "0", "-3", "", "1.5"])
def test_a_page_number_that_is_not_one_answers_the_first_page(client, many, number):
    response = client.get(f"/organizations?page={number}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _listed(page)[0] == "Forum 000" and "Page 1 of 2" in page


def test_a_page_past_the_end_shows_the_last_page(client, many):
    page = client.get("/organizations?page=99999").get_data(as_text=True)
    assert "Page 2 of 2" in page
    assert _listed(page) == [f"Forum {n:03d}" for n in range(DIRECTORY_PAGE_SIZE, MORE)]


def test_unverified_organizations_stay_hidden_from_those_who_may_not_verify(client, people, many):
    for who in (None, "member@example.org", "rep@example.org", "reviewer@example.org"):
        if who:
            login(client, who)
        for url in ("/organizations?state=unverified", "/organizations?q=pending",
                    "/organizations?state=unverified&page=2"):
            page = client.get(url).get_data(as_text=True)
            assert "Pending" not in "".join(_listed(page)), (who, url)
        client.post("/logout")


def test_a_coordinator_pages_through_those_awaiting_verification(client, people, many):
    login(client, "coordinator@example.org")
    page = client.get("/organizations?state=unverified&province=sindh").get_data(as_text=True)
    assert _listed(page) == ["Pending 000", "Pending 001", "Pending 002"] and "3 organizations" in page
    assert "Page 1" not in page  # one page: no pager


def test_a_long_search_is_refused_whole_and_lists_nothing(client, many):
    page = client.get("/organizations?q=" + "x" * 101).get_data(as_text=True)
    assert _listed(page) == [] and "0 organizations" in page


def test_the_directory_loads_one_page_of_organizations_whatever_the_total(app, client, many):
    loaded = []

    def count(target, context):
        loaded.append(target.id)
    event.listen(Organization, "load", count)
    try:
        page = client.get("/organizations").get_data(as_text=True)
    finally:
        event.remove(Organization, "load", count)
    assert len(loaded) == DIRECTORY_PAGE_SIZE and f"{MORE} organizations" in page
