"""Nothing that is not public on the site appears in the open data: every list and item of the API, every
submission's signatories, and the feeds are walked on a site that holds members-only declarations and dossiers,
a declaration in drafting, draft answers and signers in every tier; no id or name of those may appear."""
import json

from sqlalchemy import select

from app.extensions import db
from app.opendata.resources import API_RESOURCES
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.signatures.models import Signature
from app.submissions.models import SubmittedRecommendation
from tests.opendata.test_api import walk


def _hidden_ids(app, site) -> dict[str, set[int]]:
    """The ids, per list, of what a visitor may not see."""
    with app.app_context():
        members_items = select(SubmittedRecommendation.id).where(
            SubmittedRecommendation.submission_id == site.members_submission_id)
        return {
            "declarations": {site.members.id, site.drafting.id},
            "submissions": {site.members_submission_id},
            "recommendations": set(site.members.recommendations) | set(site.drafting.recommendations),
            "answers": set(db.session.scalars(select(Answer.id).where(
                (Answer.item_id.in_(members_items)) | Answer.published_at.is_(None)))),
            "updates": set(db.session.scalars(select(ImplementationUpdate.id).where(
                ImplementationUpdate.item_id.in_(members_items)))),
            "assessments": set(db.session.scalars(select(Assessment.id).where(Assessment.item_id.in_(members_items)))),
            "signatories": set(db.session.scalars(select(Signature.id).where(Signature.visibility != "public"))),
        }


def _everything(client, site) -> dict[str, list[dict]]:
    found = {}
    for resource in API_RESOURCES:
        found[resource] = walk(client, f"/api/v1/{resource}?limit=2")
        found[f"{resource} items"] = [client.get(f"/api/v1/{resource}/{r['id']}").get_json()["data"]
                                      for r in found[resource]]
    found["signatories"] = [s for submission in found["submissions"]
                            for s in walk(client, f"/api/v1/submissions/{submission['id']}/signatories?limit=1")]
    return found


def test_no_list_item_or_feed_shows_anything_that_is_not_public(app, open_site):
    client = app.test_client()
    found = _everything(client, open_site)
    assert found["answers"] and found["signatories"] and found["lines items"][0]["entries"]  # the walk saw data
    hidden = _hidden_ids(app, open_site)
    assert hidden["answers"] and hidden["signatories"]  # and there was something to leave out
    for resource, ids in hidden.items():
        shown = {record["id"] for record in found[resource]}
        assert not shown & ids, (resource, shown & ids)
    text = json.dumps(found, ensure_ascii=False)
    text += client.get("/feeds/answers.atom").get_data(as_text=True)
    text += client.get(f"/feeds/answers.atom?institution={open_site.institution_id}").get_data(as_text=True)
    text += client.get(f"/declarations/{open_site.declaration.id}/feed.atom").get_data(as_text=True)
    for words in open_site.never:
        assert words not in text, words
    line_ids = {e["recommendation"]["id"] for e in found["lines items"][0]["entries"] if e["source"] == "sanad"}
    assert not line_ids & hidden["recommendations"]


def test_the_members_only_and_drafting_declarations_have_no_items_and_no_feeds(app, open_site):
    client = app.test_client()
    for declaration in (open_site.members, open_site.drafting):
        assert client.get(f"/api/v1/declarations/{declaration.id}").status_code == 404
        assert client.get(f"/declarations/{declaration.id}/feed.atom").status_code == 404
        assert client.get(f"/api/v1/versions?declaration={declaration.id}").get_json()["data"] == []
        for recommendation_id in declaration.recommendations:
            assert client.get(f"/api/v1/recommendations/{recommendation_id}").status_code == 404
    assert client.get(f"/api/v1/submissions/{open_site.members_submission_id}").status_code == 404


def test_signatories_are_named_as_the_public_extract_names_them(app, open_site):
    client = app.test_client()
    signatories = walk(client, f"/api/v1/submissions/{open_site.submission_id}/signatories")
    extract = client.get(f"/submissions/{open_site.submission_id}/dossier.json").get_json()["dossier"]
    named = extract["signatories"]["organizations"] + extract["signatories"]["individuals"]
    assert sorted(s["name"] for s in signatories) == sorted(s["name"] for s in named)
    assert all(s["designation"] is None for s in signatories if s["capacity"] == "organization")
