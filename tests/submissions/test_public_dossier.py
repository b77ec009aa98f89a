"""The submitted dossier of a public declaration is public, as an extract that names only the signatories who
chose "public": visitors read its page and download its PDF, JSON and CSV files (the CSV files are public too,
with the same redaction); signers who chose "alliance and government" or "coordinators only" are counted, not
named, and who signed for an organization is left out. Members-only dossiers stay closed. The complete dossier
is unchanged for those who had it."""
import csv
import io
import json
import subprocess

import pytest

from app.declarations.services import canonical_json, content_hash
from app.extensions import db
from app.submissions.extract import public_extract
from app.submissions.models import DossierPdf, Submission
from tests.helpers import login, sign, submit, the_submission

NAMED = ("Open Voice Trust", "Dr Public Expert")
# Signers at risk, who signed for an organization, and email addresses: never in what a visitor gets.
HIDDEN = ("Quiet Partners Network", "Safe Haven Society", "Dr Alliance Expert", "Amina Signatory",
          "Bilal Signatory", "@example.org")


@pytest.fixture
def public_dossier(app, client, people, make_declaration, make_user, make_organization):
    """A public declaration signed by a public organization, an "alliance and government" organization, a
    "coordinators only" one, a public expert and an "alliance and government" expert; submitted."""
    return _signed_and_submitted(app, client, people, make_declaration, make_user, make_organization, "public")


def _signed_and_submitted(app, client, people, make_declaration, make_user, make_organization, visibility):
    declaration = make_declaration("signon", visibility=visibility, title="Declaration on shelters")
    signers = [
        (make_organization("Open Voice Trust", acronym="OVT"), "Amina Signatory", "public"),
        (make_organization("Quiet Partners Network", acronym="QPN"), "Bilal Signatory", "alliance"),
        (make_organization("Safe Haven Society", acronym="SHS"), "Chand Signatory", "coordinators"),
    ]
    for n, (organization, name, tier) in enumerate(signers):
        rep = make_user(organization=organization, org_role="representative", name=name,
                        designation="Director", email=f"signer{n}@example.org")
        login(client, rep.email)
        assert sign(client, declaration.id, visibility=tier).status_code == 303
        client.post("/logout")
    for name, tier in (("Dr Public Expert", "public"), ("Dr Alliance Expert", "alliance")):
        expert = make_user(expert=True, name=name, designation="Professor", email=f"{tier}-expert@example.org")
        login(client, expert.email)
        assert sign(client, declaration.id, capacity="individual", visibility=tier).status_code == 303
        client.post("/logout")
    login(client, people["coordinator"].email)
    assert submit(client, declaration.id, [people["reviewer"].institution_id]).status_code == 303
    client.post("/logout")
    return declaration, the_submission(app, declaration.id)


def _pdf_text(response, tmp_path, name) -> str:
    path = tmp_path / name
    path.write_bytes(response.data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_a_visitor_reads_the_public_extract_of_the_dossier(app, public_dossier):
    declaration, submission = public_dossier
    visitor = app.test_client()
    response = visitor.get(f"/submissions/{submission.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for part in NAMED + ("public extract", submission.sha256, submission.text_sha256,
                         "Create specialised prosecution units.", "Annex 3: Consultation record",
                         "2 further organizations signed and asked not to be named publicly",
                         "1 further individual signed and asked not to be named publicly",
                         "3 of them asked not to be named publicly"):
        assert part in page, part
    for hidden in HIDDEN:
        assert hidden not in page, hidden
    # Nothing a visitor cannot use: no reviewer or coordinator actions, no page that would ask them to log in.
    for action in ("Acknowledge receipt", "/respond", "/statistics", "/close", 'method="post" action="/submissions'):
        assert action not in page, action


def test_the_declarations_page_leads_a_visitor_to_the_dossier(app, public_dossier):
    declaration, submission = public_dossier
    page = app.test_client().get(f"/declarations/{declaration.id}").get_data(as_text=True)
    assert f'href="/submissions/{submission.id}"' in page


def test_a_visitor_downloads_the_public_extract_as_json_that_says_what_it_is(app, public_dossier):
    declaration, submission = public_dossier
    response = app.test_client().get(f"/submissions/{submission.id}/dossier.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "public-extract" in response.headers["Content-Disposition"]
    body = response.get_data()
    for hidden in HIDDEN:
        assert hidden.encode() not in body, hidden
    parsed = json.loads(body)
    assert canonical_json(parsed) == body
    assert parsed["extract"] == "public" and "public extract" in parsed["about"]
    assert parsed["dossier_sha256"] == submission.sha256 != parsed["extract_sha256"]
    assert content_hash(parsed["dossier"]) == parsed["extract_sha256"]
    assert "sha256" not in parsed  # the extract never passes for the dossier itself
    # The alliance-and-government signers are withheld here; the coordinators-only one is unnamed everywhere.
    assert parsed["withheld"] == {"organizations": 1, "individuals": 1}
    signatories = parsed["dossier"]["signatories"]
    assert [s["name"] for s in signatories["organizations"]] == ["Open Voice Trust"]
    assert [s["name"] for s in signatories["individuals"]] == ["Dr Public Expert"]
    assert "signer" not in signatories["organizations"][0] and "designation" not in signatories["organizations"][0]
    assert signatories["unnamed"] == {"organizations": 2, "individuals": 1}
    assert signatories["counts"] == submission.content["signatories"]["counts"] == {
        "organizations": 3, "individuals": 2, "total": 5}


def test_a_visitor_downloads_the_public_pdf_never_the_kept_complete_one(app, client, people, public_dossier,
                                                                         tmp_path):
    declaration, submission = public_dossier
    login(client, people["member"].email)
    complete = client.get(f"/submissions/{submission.id}/dossier.pdf")  # made first, and kept
    assert complete.status_code == 200 and "Quiet Partners Network" in _pdf_text(complete, tmp_path, "full.pdf")
    visitor = app.test_client()
    response = visitor.get(f"/submissions/{submission.id}/dossier.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF") and response.data != complete.data
    assert "public-extract" in response.headers["Content-Disposition"]
    text = _pdf_text(response, tmp_path, "public.pdf")
    for part in NAMED + ("public extract", submission.sha256):
        assert part in text, part
    for hidden in HIDDEN:
        assert hidden not in text, hidden
    assert "2 further organizations signed and asked not to be named" in " ".join(text.split())
    assert visitor.get(f"/submissions/{submission.id}/dossier.pdf").data == response.data  # kept too
    with app.app_context():
        assert sorted(p.language for p in db.session.query(DossierPdf)) == ["en2", "p:en2"]


def test_the_csv_files_are_public_with_the_same_redaction(app, public_dossier):
    declaration, submission = public_dossier
    visitor = app.test_client()
    signatories = visitor.get(f"/submissions/{submission.id}/signatories.csv")
    assert signatories.status_code == 200 and signatories.mimetype == "text/csv"
    text = signatories.get_data(as_text=True)
    for hidden in HIDDEN:
        assert hidden not in text, hidden
    rows = _rows(signatories)
    assert [row[1] for row in rows[1:]] == [
        "Open Voice Trust", "2 further signatories who asked not to be named publicly",
        "Dr Public Expert", "1 further signatory who asked not to be named publicly"]
    assert rows[1][5] == "" and rows[1][6] == ""  # who signed for the organization, and as what
    assert all(row[-1] == submission.sha256 for row in rows[1:])
    recommendations = visitor.get(f"/submissions/{submission.id}/recommendations.csv")
    assert recommendations.status_code == 200 and len(_rows(recommendations)) == 4


def test_an_alliance_member_still_gets_the_complete_dossier(app, client, people, public_dossier):
    declaration, submission = public_dossier
    login(client, people["member"].email)
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    for part in ("Quiet Partners Network", "Dr Alliance Expert", "Amina Signatory", "Bilal Signatory",
                 "1 further organization signed and asked not to be named.", "Response statistics"):
        assert part in page, part
    assert "public extract" not in page and "Safe Haven Society" not in page
    body = client.get(f"/submissions/{submission.id}/dossier.json").get_data()
    parsed = json.loads(body)
    assert "extract" not in parsed and content_hash(parsed["dossier"]) == parsed["sha256"] == submission.sha256
    names = [row[1] for row in _rows(client.get(f"/submissions/{submission.id}/signatories.csv"))]
    assert "Quiet Partners Network" in names and "Dr Alliance Expert" in names


def test_a_reviewer_of_another_institution_reads_only_the_public_extract(app, client, make_user, public_dossier):
    declaration, submission = public_dossier
    login(client, make_user("reviewer").email)
    page = client.get(f"/submissions/{submission.id}")
    assert page.status_code == 200 and "public extract" in page.get_data(as_text=True)
    assert "Quiet Partners Network" not in page.get_data(as_text=True)
    assert json.loads(client.get(f"/submissions/{submission.id}/dossier.json").get_data())["extract"] == "public"
    assert client.get(f"/submissions/{submission.id}/statistics").status_code == 404  # the complete one's pages


def test_a_members_only_dossier_stays_closed(app, client, people, make_declaration, make_user, make_organization):
    declaration, submission = _signed_and_submitted(app, client, people, make_declaration, make_user,
                                                    make_organization, "members")
    visitor = app.test_client()
    for path in ("", "/dossier.json", "/dossier.pdf", "/signatories.csv", "/recommendations.csv"):
        response = visitor.get(f"/submissions/{submission.id}{path}")
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    assert visitor.get("/submissions/999999").status_code == 404
    login(client, make_user("reviewer").email)  # another institution's reviewer
    assert client.get(f"/submissions/{submission.id}").status_code == 404
    assert client.get(f"/submissions/{submission.id}/dossier.json").status_code == 404
    page = visitor.post("/verify", data={"sha256": submission.sha256}).get_data(as_text=True)
    assert "It matches." in page and f'href="/submissions/{submission.id}"' not in page


def test_verify_links_a_visitor_to_the_public_dossier(app, public_dossier):
    declaration, submission = public_dossier
    visitor = app.test_client()
    for value in (submission.sha256, submission.text_sha256):
        page = visitor.post("/verify", data={"sha256": value}).get_data(as_text=True)
        assert "It matches." in page and f'href="/submissions/{submission.id}"' in page
        assert "Read the dossier's public extract" in page


def test_an_uploaded_public_extract_is_recognised_as_such(app, public_dossier):
    declaration, submission = public_dossier
    visitor = app.test_client()
    body = visitor.get(f"/submissions/{submission.id}/dossier.json").get_data()

    def check(content: bytes) -> str:
        response = visitor.post("/verify", data={"dossier": (io.BytesIO(content), "extract.json")},
                                content_type="multipart/form-data")
        assert response.status_code == 200
        return response.get_data(as_text=True)
    page = check(body)
    assert "It matches: this is a public extract." in page and submission.sha256 in page
    assert f'href="/submissions/{submission.id}"' in page and "changed after it was downloaded" not in page
    # A name added to the extract: it still says whose extract it claims to be, and that it was changed.
    tampered = json.loads(body)
    tampered["dossier"]["signatories"]["individuals"].append({"name": "Someone Else", "visibility": "public"})
    page = check(canonical_json(tampered))
    assert "No submission matches." in page and "Declaration on shelters" in page
    assert "changed after it was downloaded" in page
    # Passed off as the complete dossier (the marker removed): no submission has its hash.
    del tampered["extract"]
    assert "No submission matches." in check(canonical_json(tampered))


def test_the_submit_page_says_what_will_happen_and_submits_nothing_by_itself(app, client, people,
                                                                             make_declaration):
    declaration = make_declaration("signon", visibility="public")
    login(client, people["representative"].email)
    assert sign(client, declaration.id).status_code == 303
    client.post("/logout")
    login(client, people["coordinator"].email)
    page = client.get(f"/declarations/{declaration.id}/submit").get_data(as_text=True)
    for part in ("What will be submitted", "What happens when you submit", "can never be changed or deleted",
                 "cannot be reopened", "signatures can no longer be withdrawn", "Who will be told",
                 "1 reviewer is emailed", "anyone can read and download a public extract",
                 "1 signature that counts", "Submit version 3"):
        assert part in page, part
    with app.app_context():
        assert db.session.query(Submission).count() == 0


def test_the_extract_counts_the_organizations_that_took_part_but_does_not_name_them(public_dossier, app):
    _declaration, submission = public_dossier
    with app.app_context():
        content = dict(submission.content)
    content["consultation"] = dict(content["consultation"], organizations=["Quiet Partners Network"],
                                   organization_count=1)
    extract = public_extract(content)
    assert extract["consultation"]["organizations"] == [] and extract["consultation"]["organization_count"] == 1
    assert content["consultation"]["organizations"] == ["Quiet Partners Network"]  # the dossier itself unchanged
