"""A recommendation's classification (issue 27, #4; app/declarations/classification.py): chosen on the form from
the controlled lists and refused when not in them, shown in the reader's language, frozen in the version only
when there is one (earlier versions and hashes unchanged), compared between versions, the same in both languages
of a bilingual declaration, and a filter of the declarations list."""
import re
from datetime import timedelta

import pytest
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.accounts.models import User
from app.amendments import services as amendments
from app.choices import GROUPS, SDG_TARGETS, UNTOC_PROVISIONS
from app.declarations import services
from app.declarations.classification import checked
from app.declarations.models import Declaration, Recommendation, RecommendationRevision, Version
from app.demo import classification as demo  # the demo's own table, read to name what the test expects
from app.demo.signatures import TITLE as SIGNON_TITLE
from app.errors import RuleError
from app.extensions import db
from app.submissions.models import SubmittedRecommendation
from app.time import utcnow
from tests.helpers import login, make_bilingual

CLASSIFIED = {"untoc": ["tip-6", "tip"], "sdg_targets": ["16.2", "8.7"], "groups": ["children", "victims_witnesses"]}


def _form(recommendation: Recommendation | None = None, **changes) -> MultiDict:
    """The recommendation form as a coordinator sends it: the first recommendation of make_declaration's, with
    the classification above unless changed."""
    data = MultiDict({"text": "Create specialised prosecution units.", "pillar": "pursue", "convention_articles": ""})
    if recommendation is not None:
        data["base_revision_id"] = str(recommendation.current_revision_id)
    data.setlist("themes", ["trafficking"])
    for name, keys in {**CLASSIFIED, **changes}.items():
        data.setlist(name, keys)
    return data


def _recommendation(app, recommendation_id) -> Recommendation:
    with app.app_context():
        recommendation = db.session.get(Recommendation, recommendation_id)
        db.session.refresh(recommendation)
        return recommendation


def _labels(vocabulary, keys, language="en") -> list[str]:
    with force_locale(language):
        return [str(escape(vocabulary[key])) for key in keys]


def test_the_form_saves_a_classification_in_the_lists_order(app, client, people, make_declaration):
    d = make_declaration("drafting")
    login(client, people["coordinator"].email)
    first = _recommendation(app, d.recommendations[0])
    url = f"/declarations/{d.id}/recommendation/{first.id}/edit"
    assert client.post(url, data=_form(first)).status_code == 302
    with app.app_context():
        current = db.session.get(Recommendation, first.id).current
        # Kept in each list's own order (app/choices.py), whatever the order sent.
        assert (current.untoc, current.sdg_targets, current.groups) == (["tip", "tip-6"], ["8.7", "16.2"],
                                                                       ["children", "victims_witnesses"])
    page = client.get(url).get_data(as_text=True)
    for name, keys in CLASSIFIED.items():  # the edit form shows them ticked
        for key in keys:
            assert re.search(rf'<input checked id="{name}-\d+" name="{name}" type="checkbox" value="{re.escape(key)}"',
                             page), (name, key)
    # A new recommendation with none: nothing is required.
    response = client.post(f"/declarations/{d.id}/recommendation/new",
                           data=_form(untoc=[], sdg_targets=[], groups=[]))
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["untoc", "sdg_targets", "groups"])
def test_a_key_not_in_its_list_is_refused_with_the_text_kept(app, client, people, make_declaration, name):
    d = make_declaration("drafting")
    login(client, people["coordinator"].email)
    first = _recommendation(app, d.recommendations[0])
    data = _form(first, **{name: [CLASSIFIED[name][0], "not-a-key"]})
    data["text"] = "Words the coordinator typed and must not lose."
    response = client.post(f"/declarations/{d.id}/recommendation/{first.id}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“not-a-key” is not in the list. Choose from the list shown." in page
    assert "Words the coordinator typed and must not lose." in page
    with app.app_context():  # nothing saved
        assert db.session.get(Recommendation, first.id).current_revision_id == first.current_revision_id


def test_the_service_refuses_a_key_not_in_its_list(app, people, make_declaration):
    d = make_declaration("drafting")
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, d.id)
        with pytest.raises(RuleError, match="SDG targets: “99.9” is not in the list"):
            services.add_recommendation(coordinator, declaration, text="Act.", pillar="protect", themes=["victims"],
                                        addressees=[], sdg_targets=["8.7", "99.9"])


def test_an_edit_that_leaves_the_classification_out_keeps_it(app, people, make_declaration):
    """Callers that change only the words (the demo, imports) keep what the recommendation had."""
    d = make_declaration("drafting")
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        recommendation = db.session.get(Recommendation, d.recommendations[0])
        services.edit_recommendation(coordinator, recommendation, base_revision_id=recommendation.current_revision_id,
                                     text="First words.", pillar="pursue", themes=["trafficking"], addressees=[],
                                     **CLASSIFIED)
        services.edit_recommendation(coordinator, recommendation, base_revision_id=recommendation.current_revision_id,
                                     text="Second words.", pillar="pursue", themes=["trafficking"], addressees=[])
        assert recommendation.current.text_source == "Second words."
        assert _classification(recommendation.current) == (["tip", "tip-6"], ["8.7", "16.2"],
                                                           ["children", "victims_witnesses"])


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_reading_page_shows_the_labels_in_the_readers_language(app, client, people, make_declaration, language):
    d = make_declaration("drafting")
    login(client, people["coordinator"].email)
    first = _recommendation(app, d.recommendations[0])
    assert client.post(f"/declarations/{d.id}/recommendation/{first.id}/edit", data=_form(first)).status_code == 302
    page = client.get(f"/declarations/{d.id}?lang={language}").get_data(as_text=True)
    assert f'<html lang="{language}"' in page
    with app.test_request_context():
        expected = (_labels(UNTOC_PROVISIONS, CLASSIFIED["untoc"], language)
                    + _labels(SDG_TARGETS, CLASSIFIED["sdg_targets"], language)
                    + _labels(GROUPS, CLASSIFIED["groups"], language))
    for text in expected:
        assert text in page, text
    # The other recommendations have none: no classification line for them.
    assert page.count('class="rec-meta rec-classification"') == 1


def test_a_version_holds_the_classification_only_when_there_is_one(app, people, make_declaration):
    """Versions frozen before (and texts without) a classification keep exactly their content and hash; once a
    recommendation is classified, its keys are in the next version's content and hash."""
    d = make_declaration("consultation")
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, d.id)
        before = db.session.scalar(select(Version).where(Version.declaration_id == d.id))
        before_id, frozen = before.id, (before.sha256, services.canonical_json(before.content))
        assert services.content_hash(before.content) == before.sha256
        # The same text without classification hashes as it always did: the content has the keys it had.
        live = services.canonical_content(declaration)
        assert services.content_hash(live) == before.sha256
        assert {tuple(sorted(r)) for r in live["recommendations"]} == {
            ("addressees", "convention_articles", "id", "number", "pillar", "text", "themes")}
        services.change_phase(coordinator, declaration, "revision")
        recommendation = db.session.get(Recommendation, d.recommendations[1])
        services.edit_recommendation(coordinator, recommendation, base_revision_id=recommendation.current_revision_id,
                                     text=recommendation.current.text_source, pillar="protect",
                                     themes=["victims", "trafficking"], addressees=recommendation.current.addressees,
                                     untoc=["untoc-25"], sdg_targets=["16.2"], groups=[])
        version = services.change_phase(coordinator, declaration, "consultation",
                                        deadline=declaration.consultation_deadline)
        classified = [r for r in version.content["recommendations"] if r["id"] == recommendation.id][0]
        assert (classified["untoc"], classified["sdg_targets"]) == (["untoc-25"], ["16.2"])
        assert "groups" not in classified  # an empty list is left out
        assert all("untoc" not in r for r in version.content["recommendations"] if r["id"] != recommendation.id)
        assert services.content_hash(version.content) == version.sha256 != before.sha256
        db.session.commit()
    with app.app_context():
        again = db.session.get(Version, before_id)
        assert (again.sha256, services.canonical_json(again.content)) == frozen


def test_the_comparison_shows_a_classification_added_and_removed(app, client, people, make_declaration):
    d = make_declaration("consultation")
    login(client, people["coordinator"].email)
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, d.id)
        services.change_phase(coordinator, declaration, "revision")  # version 2
        db.session.commit()
    first = _recommendation(app, d.recommendations[0])
    assert client.post(f"/declarations/{d.id}/recommendation/{first.id}/edit",
                       data=_form(first, untoc=["tip-5"], sdg_targets=["16.3"], groups=[])).status_code == 302
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, d.id)
        services.change_phase(coordinator, declaration, "consultation", deadline=declaration.consultation_deadline)
        services.change_phase(coordinator, declaration, "revision")  # versions 3 and 4
        db.session.commit()
    page = client.get(f"/declarations/{d.id}/compare?from=2&to=3").get_data(as_text=True)
    assert "1 item changed" in page
    added = _labels(UNTOC_PROVISIONS, ["tip-5"])[0]
    assert re.search(r"UNTOC provisions: <del>—</del> → <ins>" + re.escape(added) + "</ins>", page)
    assert "SDG targets: <del>—</del> → <ins>" + _labels(SDG_TARGETS, ["16.3"])[0] + "</ins>" in page
    first = _recommendation(app, d.recommendations[0])
    assert client.post(f"/declarations/{d.id}/recommendation/{first.id}/edit",
                       data=_form(first, untoc=[], sdg_targets=["16.3"], groups=[])).status_code == 302
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, d.id)
        services.change_phase(coordinator, declaration, "consultation", deadline=declaration.consultation_deadline)
        db.session.commit()
    page = client.get(f"/declarations/{d.id}/compare?from=4&to=5").get_data(as_text=True)
    assert "UNTOC provisions: <del>" + added + "</del> → <ins>—</ins>" in page  # removed: the key left the content
    assert "SDG targets" not in page


def test_the_conflict_page_shows_their_classification_and_keeps_mine(app, people, make_declaration):
    d = make_declaration("drafting")
    alice, bob = app.test_client(), app.test_client()
    login(alice, people["coordinator"].email)
    login(bob, people["coordinator"].email)
    first = _recommendation(app, d.recommendations[0])
    url = f"/declarations/{d.id}/recommendation/{first.id}/edit"
    assert alice.post(url, data=_form(first, untoc=["tip-5"], sdg_targets=[], groups=[])).status_code == 302
    response = bob.post(url, data=_form(first, untoc=[], sdg_targets=["5.2"], groups=["women"]))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert _labels(UNTOC_PROVISIONS, ["tip-5"])[0] in page  # theirs, shown
    assert re.search(r'<input checked id="sdg_targets-\d+" name="sdg_targets" type="checkbox" value="5.2"', page)
    assert re.search(r'<input checked id="groups-\d+" name="groups" type="checkbox" value="women"', page)
    assert not re.search(r'<input checked id="untoc-\d+"', page)  # mine: none


# --- both languages ----------------------------------------------------------------------

@pytest.fixture
def translated(app, people, make_declaration):
    """A draft in English and Urdu, every part translated, its first recommendation classified before."""
    d = make_declaration("drafting")
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        recommendation = db.session.get(Recommendation, d.recommendations[0])
        services.edit_recommendation(coordinator, recommendation, base_revision_id=recommendation.current_revision_id,
                                     text=recommendation.current.text_source, pillar="pursue",
                                     themes=["trafficking"], addressees=[], **CLASSIFIED)
        db.session.commit()
    make_bilingual(app, people, d, phase="drafting")
    return d


def _classification(revision: RecommendationRevision) -> tuple:
    return revision.untoc, revision.sdg_targets, revision.groups


def test_a_translation_carries_the_originals_classification(app, people, translated):
    with app.app_context():
        recommendation = db.session.get(Recommendation, translated.recommendations[0])
        assert recommendation.translation.language == "ur"
        assert _classification(recommendation.translation) == _classification(recommendation.current) == (
            ["tip", "tip-6"], ["8.7", "16.2"], ["children", "victims_witnesses"])
        assert recommendation.needs_translation is None


def test_changing_the_classification_keeps_both_languages_in_step_without_new_translation_work(
        app, client, people, translated):
    login(client, people["coordinator"].email)
    first = _recommendation(app, translated.recommendations[0])
    urdu_base = first.translation_revision_id
    response = client.post(f"/declarations/{translated.id}/recommendation/{first.id}/edit",
                           data=_form(first, untoc=["tip-5"], sdg_targets=["16.3"], groups=[]))
    assert response.status_code == 302
    with app.app_context():
        recommendation = db.session.get(Recommendation, first.id)
        urdu = recommendation.translation
        assert _classification(urdu) == _classification(recommendation.current) == (["tip-5"], ["16.3"], [])
        assert urdu.id != urdu_base
        assert urdu.text_source == db.session.get(RecommendationRevision, urdu_base).text_source
        assert recommendation.needs_translation is None  # the words did not change: nothing to translate
        declaration = db.session.get(Declaration, translated.id)
        # One classification in the version's content, none in the translation's part.
        content = services.canonical_content(declaration)
        assert [r.get("untoc") for r in content["recommendations"]][0] == ["tip-5"]
        assert all(set(r) == {"id", "number", "text"} for r in content["translation"]["recommendations"])
    # The translator's form opened before the change still saves: only the classification moved.
    login(client, people["member"].email)
    response = client.post(f"/declarations/{translated.id}/translate/recommendation/{first.id}",
                           data={"base_revision_id": str(urdu_base), "text": "خصوصی استغاثہ یونٹ قائم کیے جائیں۔"})
    assert response.status_code == 302
    with app.app_context():
        recommendation = db.session.get(Recommendation, first.id)
        assert recommendation.translation.text_source == "خصوصی استغاثہ یونٹ قائم کیے جائیں۔"
        assert _classification(recommendation.translation) == (["tip-5"], ["16.3"], [])


def test_changing_the_words_and_the_classification_asks_for_translation(app, client, people, translated):
    login(client, people["coordinator"].email)
    first = _recommendation(app, translated.recommendations[0])
    data = _form(first, groups=["women"])
    data["text"] = "Create specialised prosecution units in every province."
    assert client.post(f"/declarations/{translated.id}/recommendation/{first.id}/edit", data=data).status_code == 302
    with app.app_context():
        recommendation = db.session.get(Recommendation, first.id)
        assert recommendation.needs_translation == "ur"
        assert recommendation.translation.groups == recommendation.current.groups == ["women"]


def test_an_amendment_on_the_urdu_text_is_accepted_after_a_change_of_classification(app, people, translated):
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, translated.id)
        services.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=7))
        recommendation = db.session.get(Recommendation, translated.recommendations[0])
        amendment = amendments.propose(db.session.get(User, people["member"].id), declaration, recommendation,
                                       text="ہر صوبے میں خصوصی استغاثہ یونٹ قائم کیے جائیں۔", rationale="ہر صوبہ۔",
                                       language="ur")
        services.change_phase(coordinator, declaration, "revision")
        services.edit_recommendation(coordinator, recommendation, base_revision_id=recommendation.current_revision_id,
                                     text=recommendation.current.text_source, pillar="pursue", themes=["trafficking"],
                                     addressees=[], untoc=["tip-5"], sdg_targets=[], groups=[])
        assert not amendments.moved_on(amendment)  # the Urdu words it replaces are the same
        revision = amendments.accept(coordinator, amendment)
        assert (revision.language, revision.text_source) == ("ur", "ہر صوبے میں خصوصی استغاثہ یونٹ قائم کیے جائیں۔")
        assert _classification(revision) == (["tip-5"], [], [])  # carried over from the original
        assert recommendation.needs_translation == "en"


def test_an_amendment_on_the_original_carries_the_classification_over(app, people, make_declaration):
    d = make_declaration("consultation")
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, d.id)
        recommendation = db.session.get(Recommendation, d.recommendations[1])
        amendment = amendments.propose(db.session.get(User, people["member"].id), declaration, recommendation,
                                       text="Open shelters in every district.", rationale="Closer.")
        services.change_phase(coordinator, declaration, "revision")
        services.edit_recommendation(coordinator, recommendation, base_revision_id=recommendation.current_revision_id,
                                     text=recommendation.current.text_source, pillar="protect",
                                     themes=["victims", "trafficking"], addressees=[], **CLASSIFIED)
        revision = amendments.accept(coordinator, amendment)
        assert revision.text_source == "Open shelters in every district."
        assert _classification(revision) == (["tip", "tip-6"], ["8.7", "16.2"], ["children", "victims_witnesses"])


# --- the declarations list ------------------------------------------------------------

def test_the_declarations_list_filters_by_sdg_target_and_group_in_sql(app, client, people, make_declaration):
    classified = make_declaration("drafting", title="Declaration on shelters")
    make_declaration("drafting", title="Declaration on courts")
    login(client, people["coordinator"].email)
    first = _recommendation(app, classified.recommendations[0])
    assert client.post(f"/declarations/{classified.id}/recommendation/{first.id}/edit",
                       data=_form(first)).status_code == 302

    def titles(query):
        page = client.get(f"/declarations?{query}").get_data(as_text=True)
        return set(re.findall(r'dir="auto"><bdi lang="en" dir="auto">(Declaration on \w+)</bdi></a>', page)), page
    assert titles("sdg=8.7")[0] == {"Declaration on shelters"}
    assert titles("group=children")[0] == {"Declaration on shelters"}
    assert titles("sdg=8.7&group=women")[0] == set()
    found, page = titles("sdg=16.2&group=victims_witnesses")
    assert found == {"Declaration on shelters"}
    assert '<option value="16.2" selected>' in page and '<option value="victims_witnesses" selected>' in page
    # A key not in its list filters nothing, as an unknown pillar does.
    assert titles("sdg=99&group=nobody")[0] == {"Declaration on shelters", "Declaration on courts"}


# --- the demo --------------------------------------------------------------------------------

def test_the_demo_recommendations_are_classified_the_same_in_both_languages(app, runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        live = db.session.scalars(select(Recommendation).where(Recommendation.deleted_at.is_(None))).all()
        classified = [r for r in live if r.current.untoc or r.current.sdg_targets or r.current.groups]
        assert len(classified) >= len(live) - 4  # a few are about the process, not about crime
        for recommendation in live:
            if recommendation.translation is not None:  # the Urdu text carries the English text's classification
                assert _classification(recommendation.translation) == _classification(recommendation.current)
        # The survivors' shelters of the sign-on statement: the Protocol's victims article, SDG 8.7, the groups.
        signon = db.session.scalar(select(Declaration).where(Declaration.title == SIGNON_TITLE))
        shelters = services.live_recommendations(signon.id)[0]
        assert _classification(shelters.current) == _in_order(demo.SIGNON[0])
        assert "tip-6" in shelters.current.untoc and "8.7" in shelters.current.sdg_targets
        # The submitted recommendations carry theirs, as they were signed.
        submitted = db.session.scalars(select(SubmittedRecommendation).order_by(SubmittedRecommendation.number)).all()
        assert [_classification(s) for s in submitted] == [_in_order(row) for row in demo.SUBMISSION]


def _in_order(row) -> tuple:
    """A row of the demo's table as stored: each list in its vocabulary's order."""
    return tuple(checked(demo.fields(row)).values())
