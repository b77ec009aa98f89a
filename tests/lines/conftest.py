"""Fixtures of the lines tests: an answered submission, earlier years imported through the pages, and helpers to
import a CSV and to carry a recommendation forward as a coordinator would."""
import csv
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.declarations import services as declarations
from app.declarations.models import Declaration, Recommendation
from app.extensions import db
from app.institutions.models import Institution
from app.responses import services as responses
from app.responses.models import Assessment
from app.submissions.models import Submission, SubmittedRecommendation
from app.time import utcnow
from tests.helpers import login

# Two earlier years: recommendation 1 of 2022 asked again as 4 of 2023 (label "units") and joined to a Sanad
# recommendation ({join}); shelters asked in Urdu both years (label "shelters"). {inst}: an institution's acronym.
HEADER = ["year", "declaration_title", "submitted_on", "number", "text", "language", "pillar", "themes",
          "institution", "position", "explanation", "answered_on", "assessment", "line"]
EARLIER_ROWS = [
    ["2022", "Declaration 2022", "2022-11-30", "1", "Create specialised prosecution units in every province.", "en",
     "pursue", "trafficking", "{inst}", "noted", "We will study it.", "2023-01-15", "no_evidence", "{join}"],
    ["2022", "Declaration 2022", "2022-11-30", "2", "ہر صوبے میں پناہ گاہیں کھولی جائیں۔", "ur", "protect", "victims",
     "{inst}", "not_supported", "Provinces decide.", "2023-01-15", "", "shelters"],
    ["2023", "Declaration 2023", "2023-12-01", "4", "Create specialised prosecution units in all provinces.", "en",
     "pursue", "trafficking", "{inst}", "noted", "Still studying.", "2024-02-01", "not_started", "{join}"],
    ["2023", "Declaration 2023", "2023-12-01", "5", "ہر صوبے میں متاثرین کے لیے پناہ گاہیں کھولی جائیں۔", "ur",
     "protect", "victims", "", "", "", "", "limited", "shelters"],
]


def csv_of(header, rows, delimiter=",", **values) -> str:
    """A CSV as a spreadsheet writes it, each cell's {placeholders} filled in from values."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[cell.format(**values) for cell in row] for row in rows])
    return out.getvalue()


def preview(client, data, filename="earlier.csv"):
    """Upload a CSV (text or bytes) to the import's preview, as the page's form sends it."""
    body = data.encode("utf-8") if isinstance(data, str) else data
    return client.post("/lines/import", data={"csv_file": (io.BytesIO(body), filename)},
                       content_type="multipart/form-data")


def confirm_fields(html: str) -> dict:
    """The hidden fields of the preview's confirmation form (the file, its SHA-256 and name)."""
    form = re.search(r'<form method="post" action="/lines/import/confirm".*?</form>', html, re.S)
    assert form, "the preview has no confirmation form"
    return {name: value for name, value in re.findall(r'name="(content|sha256|filename)" type="hidden" value="([^"]*)"',
                                                      form.group(0))}


def import_csv(client, data, filename="earlier.csv"):
    """Preview and confirm, as a coordinator does; returns the confirmation's response."""
    shown = preview(client, data, filename)
    assert shown.status_code == 200, shown.get_data(as_text=True)[:3000]
    return client.post("/lines/import/confirm", data=confirm_fields(shown.get_data(as_text=True)),
                       content_type="multipart/form-data")


def institution_acronym(app, institution_id) -> str:
    with app.app_context():
        return db.session.get(Institution, institution_id).acronym


def carry(client, recommendation_id, kind, source_id):
    return client.post(f"/lines/carry/{recommendation_id}", data={"kind": kind, "source_id": str(source_id)})


def line_of(app, recommendation_id):
    with app.app_context():
        return db.session.get(Recommendation, recommendation_id).line_id


@pytest.fixture
def answered(app, people, submitted):
    """The submitted public declaration, acknowledged; its first recommendation answered "noted" by the reviewer's
    institution (published), with an implementation update and the alliance's assessment on the completion scale."""
    declaration, submission = submitted
    with app.app_context():
        reviewer = db.session.get(User, people["reviewer"].id)
        sub, decl = db.session.get(Submission, submission.id), db.session.get(Declaration, declaration.id)
        responses.acknowledge(reviewer, sub, decl)
        responses.save_answer(reviewer, sub, declaration.recommendations[0], position="noted",
                              explanation="The units need a budget first.", lead_institution_id=None, target_date=None)
        responses.publish(reviewer, sub, decl)
        responses.post_update(reviewer, sub, declaration.recommendations[0], status="in_progress",
                              evidence="A circular went to the provinces.", happened_on=date(2026, 1, 10))
        item = db.session.scalar(select(SubmittedRecommendation.id).where(
            SubmittedRecommendation.recommendation_id == declaration.recommendations[0]))
        db.session.add(Assessment(item_id=item, rating="limited", notes="One unit so far.",
                                  author_id=people["coordinator"].id, created_at=utcnow()))
        db.session.commit()
    return declaration, submission


@pytest.fixture
def earlier(app, client, people, answered):
    """2022 and 2023 imported through the pages, recommendation 1 and 4 joined to the submitted one's line."""
    declaration, _submission = answered
    csv_text = csv_of(HEADER, EARLIER_ROWS, inst=institution_acronym(app, people["reviewer"].institution_id),
                      join=f"recommendation:{declaration.recommendations[0]}")
    login(client, people["coordinator"].email)
    response = import_csv(client, csv_text)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    client.post("/logout")
    return declaration, line_of(app, declaration.recommendations[0])


@pytest.fixture
def draft_carrying(app, client, people, make_declaration, earlier):
    """A members-only draft whose first recommendation carries the submitted one forward (made while drafting,
    then opened for consultation to the alliance)."""
    declaration, line_id = earlier
    draft = make_declaration("drafting", visibility="members", title="Declaration on prosecution 2027")
    login(client, people["coordinator"].email)
    assert carry(client, draft.recommendations[0], "sanad", declaration.recommendations[0]).status_code == 303
    client.post("/logout")
    with app.app_context():
        declarations.change_phase(db.session.get(User, people["coordinator"].id),
                                  db.session.get(Declaration, draft.id), "consultation",
                                  deadline=utcnow() + timedelta(days=7))
        db.session.commit()
    assert line_of(app, draft.recommendations[0]) == line_id
    return draft, line_id
