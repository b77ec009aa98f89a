"""A dossier downloads as .docx and .odt with the same visibility rules as its page and PDF: complete for the
alliance, the coordinators and its recipients, the public extract (public signatories only) for anyone else; its
recommendations grouped by pillar, the dossier's SHA-256 in the footer, both languages of a bilingual text."""
import pytest

from tests.documents.reading import docx_footer, docx_is_rtl, docx_paragraphs, odt_footer, odt_paragraphs
from tests.helpers import login
from tests.submissions.test_bilingual_dossier import RECOMMENDATIONS_UR, TITLE_UR, submit_bilingual
from tests.submissions.test_public_dossier import HIDDEN, NAMED, _signed_and_submitted

AT_RISK = ("Safe Haven Society", "Chand Signatory")  # "coordinators only": counted, never named


@pytest.fixture
def public_dossier(app, client, people, make_declaration, make_user, make_organization):
    return _signed_and_submitted(app, client, people, make_declaration, make_user, make_organization, "public")


def _docx_text(body: bytes) -> str:
    return "\n".join(p.text for p in docx_paragraphs(body))


def test_a_visitor_gets_the_public_extract_naming_only_public_signatories(client, public_dossier):
    _declaration, submission = public_dossier
    for kind in ("docx", "odt"):
        response = client.get(f"/submissions/{submission.id}/dossier.{kind}")
        assert response.status_code == 200
        assert response.headers["X-Dossier-Extract"] == "public"
        assert response.headers["X-Dossier-SHA256"] == submission.sha256
        assert "public-extract" in response.headers["Content-Disposition"]
        if kind == "docx":
            text, footer = _docx_text(response.data), docx_footer(response.data)
        else:
            text = "\n".join(p[3] for p in odt_paragraphs(response.data))
            footer = odt_footer(response.data)
        assert all(name in text for name in NAMED)
        assert not [name for name in HIDDEN + AT_RISK if name in text]
        assert "2 further signatories who asked not to be named publicly" in text  # the organizations
        assert "1 further signatory who asked not to be named publicly" in text  # the expert
        assert footer == f"Public extract of the dossier SHA-256 {submission.sha256} · version 3"


def test_the_alliance_gets_the_complete_dossier_by_pillar_with_its_hash(client, people, public_dossier):
    _declaration, submission = public_dossier
    login(client, people["coordinator"].email)
    response = client.get(f"/submissions/{submission.id}/dossier.odt")
    assert response.status_code == 200 and "X-Dossier-Extract" not in response.headers
    paragraphs = odt_paragraphs(response.data)
    texts = [p[3] for p in paragraphs]
    assert paragraphs[0] == ("Title", "ltr", None, "Declaration on shelters")
    version = submission.content["version"]
    assert f"Version {version['number']}, SHA-256 {version['sha256']}" in texts
    pillars = [text for parent, _dir, level, text in paragraphs if level == 2 and text in ("Prevent", "Pursue",
                                                                                            "Protect")]
    assert pillars == ["Prevent", "Pursue", "Protect"]
    assert texts.index("3. Publish asset declarations.") == texts.index("Prevent") + 1
    assert texts.index("1. Create specialised prosecution units.") == texts.index("Pursue") + 1
    assert "Quiet Partners Network (QPN) — Bilal Signatory, Director" in " ".join(texts)
    assert "Dr Alliance Expert" in " ".join(texts)
    assert not [name for name in AT_RISK if name in " ".join(texts)]
    assert odt_footer(response.data) == f"Dossier SHA-256 {submission.sha256} · version 3"
    docx = client.get(f"/submissions/{submission.id}/dossier.docx")
    assert docx.status_code == 200 and "Dr Alliance Expert" in _docx_text(docx.data)
    assert docx_footer(docx.data) == f"Dossier SHA-256 {submission.sha256} · version 3"


def test_a_members_only_dossier_sends_a_visitor_to_log_in(app, client, people, make_declaration, make_user,
                                                          make_organization):
    _declaration, submission = _signed_and_submitted(app, client, people, make_declaration, make_user,
                                                     make_organization, "members")
    for kind in ("docx", "odt"):
        response = client.get(f"/submissions/{submission.id}/dossier.{kind}")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/submissions/999999/dossier.docx").status_code == 404


def test_a_bilingual_dossier_has_both_texts_or_each_alone_urdu_right_to_left(app, client, people, make_declaration,
                                                                               make_user, make_organization):
    _declaration, submission = submit_bilingual(app, client, people, make_declaration, make_user, make_organization)
    login(client, people["coordinator"].email)
    both = docx_paragraphs(client.get(f"/submissions/{submission.id}/dossier.docx").data)
    texts = [p.text for p in both]
    assert texts[0] == "Declaration on trafficking" and TITLE_UR in texts
    urdu = [p for p in both[texts.index(TITLE_UR):] if p.text]
    urdu_texts = [p.text for p in urdu]
    for number, text in enumerate(RECOMMENDATIONS_UR.values(), start=1):
        assert f"{number}. {text}" in urdu_texts
    # The Urdu part is right-to-left up to the annex of signatories, which is in the dossier's first language.
    annex = urdu_texts.index("Signatories")
    assert all(docx_is_rtl(p) for p in urdu[:annex])
    alone = odt_paragraphs(client.get(f"/submissions/{submission.id}/dossier.odt?language=ur").data)
    assert alone[0] == ("Title", "rtl", None, TITLE_UR)
    assert "Declaration on trafficking" not in [p[3] for p in alone]
    assert ("Heading_20_1", "rtl", 1, "دستخط کنندگان") in alone


def test_the_dossier_page_links_its_documents(client, people, public_dossier):
    _declaration, submission = public_dossier
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    for kind in ("docx", "odt"):
        assert f'href="/submissions/{submission.id}/dossier.{kind}"' in page
