import csv
import io
import json
import re
import subprocess

import pytest

from app.declarations.services import canonical_json
from tests.helpers import QueryCounter, confirmed, login, sign, submit, the_submission


def test_web_dossier_has_every_part_and_honours_visibility(client, submitted, people):
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    for part in ("Contents", "Recommendations by pillar", "Annex 1: Organizations that signed",
                 "Annex 2: Individuals who signed", "Annex 3: Consultation record", submission.sha256,
                 submission.text_sha256, "Human Rights Action Forum", "Create specialised prosecution units.",
                 "1 further organization signed and asked not to be named"):
        assert part in page, part
    assert "Safe Haven Society" not in page  # coordinators only: counted, not named
    assert "Acknowledge receipt" in page


def test_the_dossier_page_costs_the_same_few_queries_whatever_its_size(app, client, submitted, people):
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    with QueryCounter(app) as counter:
        assert client.get(f"/submissions/{submission.id}").status_code == 200
    assert counter.count <= 15, counter.count  # bench/dossier.py checks it against a 500-recommendation dossier


def test_csv_files_carry_the_hash_and_neutralise_formulas(app, client, people, make_declaration, make_user,
                                                           make_organization):
    declaration = make_declaration("signon")
    risky = make_organization("=HYPERLINK(\"http://evil\")", acronym="EVIL")
    rep = make_user(organization=risky, org_role="representative", name="+cmd|' /C calc'!A0")
    login(client, rep.email)
    sign(client, declaration.id)
    client.post("/logout")
    login(client, people["coordinator"].email)
    submit(client, declaration.id, [people["reviewer"].institution_id])
    submission = the_submission(app, declaration.id)
    signatories = client.get(f"/submissions/{submission.id}/signatories.csv")
    assert signatories.headers["X-Dossier-SHA256"] == submission.sha256
    rows = list(csv.reader(io.StringIO(signatories.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][1].startswith("'=HYPERLINK") and rows[1][5].startswith("'+cmd")
    assert all(row[-1] == submission.sha256 for row in rows[1:])
    recommendations = client.get(f"/submissions/{submission.id}/recommendations.csv").get_data(as_text=True)
    rec_rows = list(csv.reader(io.StringIO(recommendations.lstrip("\ufeff"))))
    assert [r[0] for r in rec_rows[1:]] == ["1", "2", "3"] and rec_rows[1][5] == "Create specialised prosecution units."


def test_pdf_carries_the_hash_and_the_text_in_both_languages(client, submitted, people, tmp_path):
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    for language in ("en", "ur"):
        client.post("/language", data={"language": language})
        response = client.get(f"/submissions/{submission.id}/dossier.pdf")
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        path = tmp_path / f"dossier-{language}.pdf"
        path.write_bytes(response.data)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert submission.sha256 in text and "Create specialised prosecution units." in text
        assert "Safe Haven Society" not in text
        assert text.count(submission.sha256) >= text.count("\f")  # on the cover and in every page's footer
    assert client.get(f"/submissions/{submission.id}/dossier.pdf").data == response.data  # made once, kept


def test_verify_by_hash_and_by_json(client, submitted, people):
    declaration, submission = submitted
    login(client, people["coordinator"].email)
    body = client.get(f"/submissions/{submission.id}/dossier.json").get_data()
    client.post("/logout")
    by_hash = client.post("/verify", data={"sha256": submission.sha256.upper()})
    assert by_hash.status_code == 200 and "It matches." in by_hash.get_data(as_text=True)
    by_text = client.post("/verify", data={"sha256": submission.text_sha256}).get_data(as_text=True)
    assert "hash of the signed text" in by_text
    by_file = client.post("/verify", data={"dossier": (io.BytesIO(body), "dossier.json")},
                          content_type="multipart/form-data")
    assert "It matches." in by_file.get_data(as_text=True)
    # A pretty-printed copy is the same dossier: the hash is over the canonical form.
    pretty = json.dumps(json.loads(body), indent=2, ensure_ascii=False).encode()
    assert "It matches." in client.post("/verify", data={"dossier": (io.BytesIO(pretty), "d.json")},
                                        content_type="multipart/form-data").get_data(as_text=True)
    tampered = json.loads(body)
    tampered["dossier"]["signatories"]["counts"]["total"] = 300
    changed = client.post("/verify", data={"dossier": (io.BytesIO(canonical_json(tampered)), "d.json")},
                          content_type="multipart/form-data").get_data(as_text=True)
    assert "No submission matches." in changed and "changed after it was downloaded" in changed


def test_verify_answers_bad_input_clearly(client):
    not_hex = client.post("/verify", data={"sha256": "hello"})
    assert not_hex.status_code == 422 and "64 characters" in not_hex.get_data(as_text=True)
    assert "hello" in not_hex.get_data(as_text=True)  # the text is kept
    unknown = client.post("/verify", data={"sha256": "a" * 64})
    assert unknown.status_code == 200 and "No submission matches." in unknown.get_data(as_text=True)
    for content in (b"\xff\xfe not json", b"[1, 2]", b'{"something": "else"}',
                    b'{"dossier": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"):
        response = client.post("/verify", data={"dossier": (io.BytesIO(content), "x.json")},
                               content_type="multipart/form-data")
        assert response.status_code == 422, content
    # Nesting deep enough to fail either in decoding or, a little shallower, in encoding it again for the hash.
    for depth in range(900, 1060):
        nested = b'{"format": "sanad-dossier/1", "x": ' + b'{"a": ' * depth + b"1" + b"}" * (depth + 1)
        response = client.post("/verify", data={"dossier": (io.BytesIO(nested), "x.json")},
                               content_type="multipart/form-data")
        assert response.status_code in (200, 422), depth
    empty = client.post("/verify", data={})
    assert empty.status_code == 422 and "Enter a hash" in empty.get_data(as_text=True)


def test_verify_takes_a_dossier_larger_than_other_forms_with_csrf_on(make_app):
    """A large dossier's JSON is bigger than the site's usual body limit; the check still reads it, with the
    CSRF check (which parses the form first) switched on as in production."""
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"',
                      client.get("/verify").get_data(as_text=True)).group(1)
    big = json.dumps({"dossier": {"format": "sanad-dossier/1", "padding": "x" * (3 * 1024 * 1024)}}).encode()
    response = client.post("/verify", data={"csrf_token": token, "dossier": (io.BytesIO(big), "dossier.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and "No submission matches." in response.get_data(as_text=True)
    too_big = client.post("/verify", data={"csrf_token": token,
                                           "dossier": (io.BytesIO(b"x" * (21 * 1024 * 1024)), "dossier.json")},
                          content_type="multipart/form-data")
    assert too_big.status_code == 413


@pytest.mark.parametrize("reference", ['<img src="http://example.org/logo.png" alt="logo">',
                                       '<link rel="stylesheet" href="https://example.org/style.css">',
                                       '<p style="background: url(file:///etc/passwd)">text</p>',
                                       '<img src="data:image/png;base64,iVBORw0KGgo=">'])
def test_a_pdf_whose_html_refers_to_a_resource_still_renders_and_fetches_nothing(app, reference):
    """WeasyPrint asks its fetcher for every image or stylesheet the HTML names; the fetcher refuses them
    all (nothing leaves the server, no local file is read) and the PDF is made without them."""
    from app.submissions.dossier import render_pdf
    with app.test_request_context():
        pdf = render_pdf(f"<html><body><h1>Dossier</h1>{reference}<p>The text stands.</p></body></html>")
    assert pdf.startswith(b"%PDF")


def test_every_csv_says_its_charset_once_and_names_the_addressees(client, people, submitted):
    declaration, submission = submitted
    login(client, people["coordinator"].email)
    for path in (f"/submissions/{submission.id}/recommendations.csv", f"/submissions/{submission.id}/signatories.csv",
                 f"/declarations/{declaration.id}/comments.csv", f"/declarations/{declaration.id}/signatories.csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8", (path, response.headers["Content-Type"])
    rows = client.get(f"/submissions/{submission.id}/recommendations.csv").get_data(as_text=True).splitlines()[1:]
    assert rows and all(row.split(",")[3] for row in rows)  # the Addressees column is filled



def test_the_consultation_record_counts_what_moderators_and_authors_took_out_of_the_threads(
        app, client, people, make_declaration):
    from app.accounts.models import User
    from app.declarations import services
    from app.declarations.models import Declaration
    from app.extensions import db
    from tests.comments.test_comments import _comment, post, thread_url
    from tests.comments.test_moderation import _moderate

    declaration = make_declaration()
    login(client, people["member"].email)
    for body in ("Kept", "Hidden", "Withdrawn"):
        post(client, thread_url(declaration), body)
    confirmed(client, f"/comments/{_comment(app, 'Withdrawn').id}/delete")
    client.post("/logout")
    login(client, people["coordinator"].email)
    _moderate(client, _comment(app, "Hidden").id, "hide", "Off topic")
    with app.app_context():
        coordinator, text = db.session.get(User, people["coordinator"].id), db.session.get(Declaration, declaration.id)
        services.change_phase(coordinator, text, "revision")
        services.change_phase(coordinator, text, "signon")
        db.session.commit()
    client.post("/logout")
    login(client, people["representative"].email)
    sign(client, declaration.id)
    client.post("/logout")
    login(client, people["coordinator"].email)
    assert submit(client, declaration.id, [people["reviewer"].institution_id]).status_code == 303
    submission = the_submission(app, declaration.id)
    assert submission.content["consultation"]["comments"] == {
        "received": 3, "published": 1, "hidden": 1, "rejected": 0, "withdrawn": 1, "waiting": 0}
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "3 comments received, 1 published, 1 hidden by a moderator, 1 withdrawn by its author" in page
