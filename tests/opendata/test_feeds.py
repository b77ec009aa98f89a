"""The Atom feeds of answers and implementation updates: valid RFC 4287 XML whatever the text holds, the same facts
as the recommendation pages they link to, per institution and per declaration, only of public dossiers; and the
pages that name them in their head."""
import re
import xml.etree.ElementTree as ET
from datetime import date

from app.accounts.models import User
from app.extensions import db
from app.opendata import feeds
from app.responses import services as responses
from app.submissions.models import Submission
from tests.helpers import login

NS = {"atom": "http://www.w3.org/2005/Atom"}


def _feed(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.get_data())


def _entries(feed: ET.Element) -> list[dict]:
    return [{"id": e.findtext("atom:id", namespaces=NS), "title": e.findtext("atom:title", namespaces=NS),
             "updated": e.findtext("atom:updated", namespaces=NS),
             "author": e.findtext("atom:author/atom:name", namespaces=NS),
             "link": e.find("atom:link[@rel='alternate']", NS).get("href"),
             "term": e.find("atom:category", NS).get("term"), "content": e.findtext("atom:content", namespaces=NS)}
            for e in feed.findall("atom:entry", NS)]


def test_the_feed_is_atom_with_every_required_element(app, open_site):
    feed = _feed(app.test_client(), "/feeds/answers.atom")
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    for tag in ("id", "title", "updated", "author/atom:name"):
        assert feed.findtext(f"atom:{tag}", namespaces=NS), tag
    assert feed.find("atom:link[@rel='self']", NS).get("href") == "http://localhost/feeds/answers.atom"
    entries = _entries(feed)
    assert len(entries) == 3  # two published answers and one update of the public dossier, nothing else
    for entry in entries:
        assert entry["id"] and entry["title"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z",
                                                               entry["updated"]) and entry["author"]
    assert [e["updated"] for e in entries] == sorted((e["updated"] for e in entries), reverse=True)


def test_each_entry_says_what_its_recommendation_page_says(app, open_site):
    client = app.test_client()
    for entry in _entries(_feed(client, "/feeds/answers.atom")):
        page = client.get(entry["link"].removeprefix("http://localhost")).get_data(as_text=True)
        record = client.get(entry["id"].removeprefix("http://localhost")).get_json()["data"]
        assert entry["author"] in page  # the institution's name
        label = (record.get("position") or record.get("status"))["label"]["en"]
        assert entry["term"] == (record.get("position") or record.get("status"))["key"]
        assert label in page and label in entry["content"]
        said = record.get("explanation") or record.get("evidence")
        assert said in entry["content"] and said in page


def test_the_feed_of_an_institution_and_of_a_declaration(app, open_site, make_user):
    client = app.test_client()
    mine = _entries(_feed(client, f"/feeds/answers.atom?institution={open_site.institution_id}"))
    assert len(mine) == 3
    other = make_user("reviewer")
    assert _entries(_feed(client, f"/feeds/answers.atom?institution={other.institution_id}")) == []
    for institution in ("999999", "4294967296", "abc", ""):
        assert client.get(f"/feeds/answers.atom?institution={institution}").status_code == 404, institution
    assert client.get("/declarations/4294967296/feed.atom").status_code == 404
    declaration = _entries(_feed(client, f"/declarations/{open_site.declaration.id}/feed.atom"))
    assert {e["id"] for e in declaration} == {e["id"] for e in mine}
    assert _entries(_feed(client, f"/declarations/{open_site.consultation.id}/feed.atom")) == []
    assert client.get(f"/declarations/{open_site.members.id}/feed.atom").status_code == 404


def test_any_text_makes_valid_xml(app, open_site, people):
    tricky = 'Shelters <b>&amp; "safe" houses</b> \u0001\u000b opened ]]> — پناہ گاہیں'
    with app.app_context():
        reviewer = db.session.get(User, people["reviewer"].id)
        responses.post_update(reviewer, db.session.get(Submission, open_site.submission_id),
                              open_site.declaration.recommendations[0], status="in_progress", evidence=tricky,
                              happened_on=date.today())
        db.session.commit()
    entries = _entries(_feed(app.test_client(), "/feeds/answers.atom"))
    shown = next(e for e in entries if "Shelters" in e["content"])
    assert 'Shelters <b>&amp; "safe" houses</b>  opened ]]> — پناہ گاہیں' in shown["content"]


def test_the_feed_holds_the_newest_and_no_more(app, open_site, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 2)
    client = app.test_client()
    entries = _entries(_feed(client, "/feeds/answers.atom"))
    assert len(entries) == 2
    api = [*client.get("/api/v1/answers").get_json()["data"], *client.get("/api/v1/updates").get_json()["data"]]
    newest = sorted(api, key=lambda r: r.get("published_at") or r["created_at"], reverse=True)[:2]
    assert {e["updated"] for e in entries} == {r.get("published_at") or r["created_at"] for r in newest}


def test_the_feed_is_in_the_readers_language_and_answers_304(app, open_site):
    client = app.test_client()
    urdu = _feed(client, "/feeds/answers.atom?lang=ur")
    assert urdu.get("{http://www.w3.org/XML/1998/namespace}lang") == "ur"
    response = client.get("/feeds/answers.atom", headers={"Accept-Language": "en"})
    etag, weak = response.get_etag()
    assert not weak
    assert client.get("/feeds/answers.atom", headers={"If-None-Match": f'"{etag}"', "Accept-Language": "en"}
                      ).status_code == 304


def _feed_links(html: str) -> list[str]:
    return re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">', html)


def test_the_tracker_and_a_public_dossiers_pages_name_their_feeds(app, open_site, people):
    client = app.test_client()
    assert _feed_links(client.get("/tracker").get_data(as_text=True)) == ["/feeds/answers.atom"]
    assert _feed_links(client.get(f"/tracker?institution={open_site.institution_id}").get_data(as_text=True)) == [
        f"/feeds/answers.atom?institution={open_site.institution_id}", "/feeds/answers.atom"]
    declaration_feed = f"/declarations/{open_site.declaration.id}/feed.atom"
    for path in (f"/submissions/{open_site.submission_id}", f"/declarations/{open_site.declaration.id}",
                 f"/recommendations/{open_site.declaration.recommendations[0]}"):
        assert _feed_links(client.get(path).get_data(as_text=True)) == [declaration_feed], path
    login(client, people["coordinator"].email)
    members_dossier = client.get(f"/submissions/{open_site.members_submission_id}")
    assert members_dossier.status_code == 200 and _feed_links(members_dossier.get_data(as_text=True)) == []
    assert _feed_links(client.get(f"/declarations/{open_site.consultation.id}").get_data(as_text=True)) == []
