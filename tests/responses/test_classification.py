"""Classification after submission (issue 27, #4): copied into the submitted recommendations, shown in the
reader's language on the dossier (page, PDF, CSV, JSON) and the recommendation's page, filtered on by the
tracker in SQL, and the submission's statistics broken down by UNTOC provision, SDG target and group."""
import csv
import io
import json
import re
import subprocess
from datetime import timedelta

import pytest
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy import event, select

from app.accounts.models import User
from app.choices import GROUPS, SDG_TARGETS, UNTOC_PROVISIONS
from app.declarations import services as declarations
from app.declarations.models import Declaration, Recommendation
from app.extensions import db
from app.responses import queries
from app.responses import services as responses
from app.submissions.models import Submission, SubmittedRecommendation
from app.time import utcnow
from tests.helpers import QueryCounter, login, sign, submit, the_submission

# The classification of make_declaration's three recommendations (the third has none).
CLASSIFICATION = [
    {"untoc": ["tip", "tip-5"], "sdg_targets": ["8.7", "16.3"], "groups": []},
    {"untoc": ["tip-6"], "sdg_targets": ["8.7", "16.2"], "groups": ["women", "children", "victims_witnesses"]},
    {"untoc": [], "sdg_targets": [], "groups": []},
]


@pytest.fixture
def classified(app, client, people, make_declaration):
    """A public declaration whose recommendations are classified as above, signed by the representative and
    submitted by the coordinator to the reviewer's institution. Returns (declaration ids, submission)."""
    d = make_declaration("drafting", visibility="public")
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, d.id)
        for recommendation_id, chosen in zip(d.recommendations, CLASSIFICATION, strict=True):
            recommendation = db.session.get(Recommendation, recommendation_id)
            current = recommendation.current
            declarations.edit_recommendation(
                coordinator, recommendation, base_revision_id=current.id, text=current.text_source,
                pillar=current.pillar, themes=current.themes, addressees=current.addressees, **chosen)
        declarations.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=7))
        declarations.change_phase(coordinator, declaration, "revision")
        declarations.change_phase(coordinator, declaration, "signon")
        db.session.commit()
    login(client, people["representative"].email)
    assert sign(client, d.id).status_code == 303
    client.post("/logout")
    login(client, people["coordinator"].email)
    assert submit(client, d.id, [people["reviewer"].institution_id]).status_code == 303
    client.post("/logout")
    return d, the_submission(app, d.id)


def _label(vocabulary, key, language="en") -> str:
    with force_locale(language):
        return str(escape(vocabulary[key]))


def _answer_and_publish(app, people, submission, positions: dict[int, str], draft: dict[int, str] | None = None):
    """The reviewer answers (recommendation id → position), publishes, then drafts the `draft` ones unpublished."""
    with app.test_request_context():
        reviewer = db.session.get(User, people["reviewer"].id)
        stored = db.session.get(Submission, submission.id)
        responses.acknowledge(reviewer, stored, stored.declaration)
        for recommendation_id, position in positions.items():
            responses.save_answer(reviewer, stored, recommendation_id, position=position,
                                  explanation="Because the ministry has reasons it gives here.",
                                  lead_institution_id=reviewer.institution_id,
                                  target_date=utcnow().date() + timedelta(days=90))
        responses.publish(reviewer, stored, stored.declaration)
        for recommendation_id, position in (draft or {}).items():
            responses.save_answer(reviewer, stored, recommendation_id, position=position,
                                  explanation="A draft that changes the position, not yet published.",
                                  lead_institution_id=reviewer.institution_id,
                                  target_date=utcnow().date() + timedelta(days=90))
        db.session.commit()


def test_the_classification_is_copied_into_the_submitted_recommendations(app, classified):
    d, submission = classified
    with app.app_context():
        items = db.session.scalars(select(SubmittedRecommendation).where(
            SubmittedRecommendation.submission_id == submission.id).order_by(SubmittedRecommendation.number)).all()
        assert [{"untoc": i.untoc, "sdg_targets": i.sdg_targets, "groups": i.groups} for i in items] == CLASSIFICATION
        # From the signed version's content, which holds the same keys (none for the third).
        text = db.session.get(Submission, submission.id).content["text"]["recommendations"]
        assert [r.get("sdg_targets") for r in text] == [["8.7", "16.3"], ["8.7", "16.2"], None]


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_dossier_and_the_recommendation_page_show_the_labels(app, client, people, classified, language):
    d, submission = classified
    client.get(f"/?lang={language}")
    with app.test_request_context():
        expected = [_label(UNTOC_PROVISIONS, "tip-5", language), _label(SDG_TARGETS, "16.3", language)]
        second = [_label(SDG_TARGETS, "16.2", language), _label(GROUPS, "victims_witnesses", language)]
    dossier = client.get(f"/submissions/{submission.id}").get_data(as_text=True)  # the public extract
    assert f'<html lang="{language}"' in dossier
    assert all(label in dossier for label in expected + second)
    page = client.get(f"/recommendations/{d.recommendations[1]}").get_data(as_text=True)
    assert all(label in page for label in second) and expected[0] not in page
    assert 'class="rec-meta rec-classification"' not in client.get(
        f"/recommendations/{d.recommendations[2]}").get_data(as_text=True)


def test_the_dossier_pdf_shows_the_labels(client, people, classified, tmp_path):
    d, submission = classified
    login(client, people["reviewer"].email)
    response = client.get(f"/submissions/{submission.id}/dossier.pdf")
    assert response.status_code == 200
    path = tmp_path / "dossier.pdf"
    path.write_bytes(response.data)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Trafficking in Persons Protocol art. 5: criminalization" in text
    assert "Victims and witnesses" in text


def test_the_recommendations_csv_has_the_keys_and_labels_and_the_json_the_keys(app, client, people, classified):
    d, submission = classified
    login(client, people["reviewer"].email)
    csv_text = client.get(f"/submissions/{submission.id}/recommendations.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))
    header = rows[0]
    # The columns a dossier always had come first, in their places; the classification after them.
    assert header[:7] == ["Number", "Pillar", "Themes", "Addressees", "Convention articles", "Recommendation",
                          "SHA-256"]
    assert header[7:] == ["UNTOC provisions (keys)", "UNTOC provisions", "SDG targets (keys)", "SDG targets",
                          "Groups concerned (keys)", "Groups concerned"]
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    second = by_number["2"]
    assert second["SDG targets (keys)"] == "8.7; 16.2"
    assert second["Groups concerned (keys)"] == "women; children; victims_witnesses"
    assert second["Groups concerned"] == "Women and girls; Children; Victims and witnesses"
    assert by_number["1"]["UNTOC provisions"] == ("Trafficking in Persons Protocol; Trafficking in Persons Protocol "
                                                   "art. 5: criminalization")
    assert [by_number["3"][h] for h in header[7:]] == [""] * 6
    dossier = json.loads(client.get(f"/submissions/{submission.id}/dossier.json").get_data(as_text=True))
    assert dossier["dossier"]["text"]["recommendations"][1]["groups"] == ["women", "children", "victims_witnesses"]


def test_a_dossier_without_classification_keeps_its_csv_columns(client, people, submitted):
    d, submission = submitted
    login(client, people["reviewer"].email)
    header = client.get(f"/submissions/{submission.id}/recommendations.csv").get_data(as_text=True).lstrip(
        "\ufeff").splitlines()[0]
    assert header == "Number,Pillar,Themes,Addressees,Convention articles,Recommendation,SHA-256"


# --- the tracker ---------------------------------------------------------------------------

def _tracked(client, query: str) -> tuple[list[int], str]:
    page = client.get(f"/tracker?{query}").get_data(as_text=True)
    return sorted(int(n) for n in re.findall(r">Recommendation (\d+)</a>", page)), page


def test_the_tracker_filters_by_provision_target_and_group(app, client, people, classified, submitted):
    login(client, people["coordinator"].email)
    everything, _page = _tracked(client, "")
    assert everything == [1, 1, 2, 2, 3, 3]  # both submissions
    assert _tracked(client, "untoc=tip-5")[0] == [1]
    assert _tracked(client, "untoc=tip")[0] == [1]  # "tip" is its own key, not a prefix of "tip-6"
    assert _tracked(client, "sdg=8.7")[0] == [1, 2]
    assert _tracked(client, "sdg=16.2")[0] == [2]
    assert _tracked(client, "group=children")[0] == [2]
    assert _tracked(client, "sdg=16.3&group=children")[0] == []
    found, page = _tracked(client, "untoc=tip-6&sdg=8.7&group=women&pillar=protect")
    assert found == [2]
    for name, key in (("untoc", "tip-6"), ("sdg", "8.7"), ("group", "women")):  # the form keeps the filter
        assert re.search(rf'<select id="{name}" name="{name}">.*?<option value="{re.escape(key)}" selected>', page,
                         re.S), name
    # A key not in its list is ignored, as an unknown pillar is.
    assert _tracked(client, "sdg=99.9&group=nobody&untoc=x")[0] == everything


def test_the_tracker_filters_in_sql_without_a_list_of_ids(app, client, people, classified, submitted):
    login(client, people["coordinator"].email)
    statements = []

    def keep(_connection, _cursor, statement, *_rest):
        statements.append(" ".join(statement.split()))
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        assert _tracked(client, "sdg=16.2&group=children")[0] == [2]
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    filtered = [s for s in statements if "submitted_recommendations.sdg_targets" in s]
    assert filtered, "the tracker's query filters on the column"
    for statement in filtered:
        assert re.search(r"CAST\(submitted_recommendations\.sdg_targets AS \w+\) LIKE", statement)
        assert re.search(r"CAST\(submitted_recommendations\.groups AS \w+\) LIKE", statement)
        assert " IN (" not in statement.upper().replace(" IN (SELECT", "")


# --- statistics ----------------------------------------------------------------------------

def test_the_statistics_break_the_published_positions_down_by_classification(app, client, people, classified):
    d, submission = classified
    first, second, third = d.recommendations
    _answer_and_publish(app, people, submission, {first: "supported", second: "noted", third: "not_supported"},
                        draft={first: "not_supported"})
    with app.test_request_context():
        stored = db.session.get(Submission, submission.id)
        with QueryCounter(app) as counter:
            breakdown = queries.by_classification(stored)
        assert counter.count == 2  # whatever the number of recommendations and answers
    rows = {name: {row["key"]: (row["recommendations"], row["positions"]) for row in listed}
            for name, listed in breakdown.items()}
    none = {"supported": 0, "partially": 0, "noted": 0, "not_supported": 0}
    assert rows["sdg_targets"] == {"8.7": (2, {**none, "supported": 1, "noted": 1}),
                                   "16.2": (1, {**none, "noted": 1}), "16.3": (1, {**none, "supported": 1})}
    assert list(rows["untoc"]) == ["tip", "tip-5", "tip-6"]  # the list's order; keys no recommendation has: none
    assert rows["groups"]["children"] == (1, {**none, "noted": 1})
    # The third recommendation has no classification: its "not supported" is in no row; the draft counts nowhere.
    assert not any(positions["not_supported"] for listed in rows.values() for _n, positions in listed.values())
    login(client, people["coordinator"].email)
    page = client.get(f"/submissions/{submission.id}/statistics").get_data(as_text=True)
    assert "Positions by SDG target" in page and "Positions by group concerned" in page
    row = re.search(r"<tr><th scope=\"row\">" + re.escape(_label_in(app, SDG_TARGETS, "8.7")) + r"</th>(.*?)</tr>",
                    page, re.S)
    assert re.findall(r'<td class="num">(\d+)</td>', row.group(1)) == ["2", "1", "0", "1", "0"]


def _label_in(app, vocabulary, key) -> str:
    with app.test_request_context():
        return _label(vocabulary, key)


def test_the_statistics_say_nothing_of_classification_when_there_is_none(app, client, people, submitted):
    d, submission = submitted
    login(client, people["coordinator"].email)
    page = client.get(f"/submissions/{submission.id}/statistics").get_data(as_text=True)
    assert "Positions by classification" not in page
