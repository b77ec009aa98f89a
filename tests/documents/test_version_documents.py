"""A version of a declaration downloads as .docx and .odt, in one language or both: title, summary, section
headings, body, recommendations numbered with their pillar, the version and its SHA-256 in the footer, Urdu
right-to-left in a font with Urdu glyphs; only for those who may read the declaration."""
import pytest

from app.declarations.models import Declaration
from app.extensions import db
from tests.documents.reading import (
    docx_footer,
    docx_is_rtl,
    docx_paragraphs,
    odt_content_xml,
    odt_footer,
    odt_paragraphs,
)
from tests.helpers import URDU_RECOMMENDATIONS, URDU_SECTIONS, login, make_bilingual

TITLE_UR = "انسانی اسمگلنگ پر اعلامیہ"


@pytest.fixture
def bilingual(app, people, make_declaration):
    """A members-only declaration in English and Urdu, in consultation: version 1."""
    declaration = make_declaration("drafting")
    make_bilingual(app, people, declaration)
    with app.app_context():
        version = db.session.get(Declaration, declaration.id).latest_version
        return declaration.id, version.number, version.sha256


def test_a_bilingual_version_as_docx_has_english_then_urdu_with_numbers_pillars_and_the_hash(client, people,
                                                                                               bilingual):
    declaration_id, number, sha256 = bilingual
    login(client, people["member"].email)
    response = client.get(f"/declarations/{declaration_id}/versions/{number}.docx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response.headers["X-Version-SHA256"] == sha256
    paragraphs = docx_paragraphs(response.data)
    styled = [(p.style.name, p.text) for p in paragraphs if p.text]
    assert styled[0] == ("Title", "Declaration on trafficking")
    assert ("Normal", "A summary.") in styled
    assert ("Heading 1", "Preamble") in styled and ("Heading 1", "Context") in styled
    assert ("Normal", "We, the organizations, demand action.") in styled
    bold = [r.text for p in paragraphs for r in p.runs if r.bold]
    assert "demand" in bold
    assert ("Heading 1", "Recommendations") in styled
    at = styled.index(("Normal", "1. Create specialised prosecution units."))
    assert styled[at + 1] == ("Normal", "Pillar: Pursue")
    assert ("Normal", "3. Publish asset declarations.") in styled
    # Then the Urdu: its title, headings, body and recommendations exactly, right-to-left in Noto Naskh Arabic.
    urdu_title = next(p for p in paragraphs if p.text == TITLE_UR)
    assert urdu_title.style.name == "Title" and docx_is_rtl(urdu_title)
    assert [p for p in paragraphs if p.text == "Declaration on trafficking"][0] is paragraphs[0]
    texts = [p.text for p in paragraphs]
    assert texts.index(TITLE_UR) > texts.index("3. Publish asset declarations.")
    urdu = {p.text: p for p in paragraphs[texts.index(TITLE_UR):] if p.text}
    assert urdu[URDU_SECTIONS[0][0]].style.name == "Heading 1"
    assert "ہم، تنظیمیں، کارروائی کا مطالبہ کرتے ہیں۔" in urdu
    for n, text in enumerate(URDU_RECOMMENDATIONS, start=1):
        assert f"{n}. {text}" in urdu and docx_is_rtl(urdu[f"{n}. {text}"])
    assert all(docx_is_rtl(p) for p in urdu.values())
    assert not any(docx_is_rtl(p) for p in paragraphs[:texts.index(TITLE_UR)] if p.text)
    assert docx_footer(response.data) == f"Version 1 · SHA-256 {sha256}"


def test_a_bilingual_version_as_odt_has_headings_numbers_pillars_urdu_right_to_left_and_the_hash(client, people,
                                                                                                  bilingual):
    declaration_id, number, sha256 = bilingual
    login(client, people["member"].email)
    response = client.get(f"/declarations/{declaration_id}/versions/{number}.odt")
    assert response.status_code == 200 and response.mimetype == "application/vnd.oasis.opendocument.text"
    paragraphs = odt_paragraphs(response.data)
    assert paragraphs[0] == ("Title", "ltr", None, "Declaration on trafficking")
    assert ("Heading_20_1", "ltr", 1, "Preamble") in paragraphs
    assert ("Heading_20_1", "ltr", 1, "Recommendations") in paragraphs
    texts = [p[3] for p in paragraphs]
    at = texts.index("1. Create specialised prosecution units.")
    assert texts[at + 1] == "Pillar: Pursue"
    assert ("Title", "rtl", None, TITLE_UR) in paragraphs
    urdu = paragraphs[texts.index(TITLE_UR):]
    assert all(direction == "rtl" for _parent, direction, _level, _text in urdu)
    assert ("Heading_20_1", "rtl", 1, URDU_SECTIONS[1][0]) in urdu
    for n, text in enumerate(URDU_RECOMMENDATIONS, start=1):
        assert ("Text_20_body", "rtl", None, f"{n}. {text}") in urdu
    assert 'style:font-name-complex="Noto Naskh Arabic"' in odt_content_xml(response.data)
    assert odt_footer(response.data) == f"Version 1 · SHA-256 {sha256}"


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_one_language_alone_leaves_the_other_out(client, people, bilingual, kind):
    declaration_id, number, sha256 = bilingual
    login(client, people["member"].email)
    english = client.get(f"/declarations/{declaration_id}/versions/{number}.{kind}?language=en")
    urdu = client.get(f"/declarations/{declaration_id}/versions/{number}.{kind}?language=ur")
    assert english.status_code == urdu.status_code == 200
    if kind == "docx":
        english_texts = [p.text for p in docx_paragraphs(english.data)]
        urdu_paragraphs = [p for p in docx_paragraphs(urdu.data) if p.text]
        urdu_texts = [p.text for p in urdu_paragraphs]
        assert all(docx_is_rtl(p) for p in urdu_paragraphs)
        footer = docx_footer(urdu.data)
    else:
        english_texts = [p[3] for p in odt_paragraphs(english.data)]
        urdu_texts = [p[3] for p in odt_paragraphs(urdu.data)]
        footer = odt_footer(urdu.data)
    assert "Declaration on trafficking" in english_texts and TITLE_UR not in english_texts
    assert urdu_texts[0] == TITLE_UR and "Declaration on trafficking" not in urdu_texts
    assert "Recommendations" not in urdu_texts and f"1. {URDU_RECOMMENDATIONS[0]}" in urdu_texts
    assert sha256 in footer and "Version" not in footer


def test_a_members_only_version_is_refused_to_a_visitor_and_an_unknown_one_is_not_found(client, people,
                                                                                        bilingual):
    declaration_id, number, _sha256 = bilingual
    for kind in ("docx", "odt"):
        response = client.get(f"/declarations/{declaration_id}/versions/{number}.{kind}")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(client, people["member"].email)
    assert client.get(f"/declarations/{declaration_id}/versions/9.docx").status_code == 404
    assert client.get(f"/declarations/{declaration_id}/versions/{number}.docx?language=fr").status_code == 404
    assert client.get(f"/declarations/{declaration_id}/versions/{number}.pdfx").status_code == 404


def test_a_text_in_english_alone_has_no_urdu_to_give_and_a_public_one_is_open_to_visitors(client, people,
                                                                                          make_declaration):
    declaration = make_declaration(visibility="public")
    response = client.get(f"/declarations/{declaration.id}/versions/1.docx")
    assert response.status_code == 200
    assert not any(docx_is_rtl(p) for p in docx_paragraphs(response.data) if p.text)
    assert client.get(f"/declarations/{declaration.id}/versions/1.odt?language=ur").status_code == 404


def test_the_history_page_links_each_version_as_a_document_in_each_language(client, people, bilingual):
    declaration_id, number, _sha256 = bilingual
    login(client, people["member"].email)
    page = client.get(f"/declarations/{declaration_id}/history").get_data(as_text=True)
    for kind in ("docx", "odt"):
        assert f"/declarations/{declaration_id}/versions/{number}.{kind}" in page
        assert f"/declarations/{declaration_id}/versions/{number}.{kind}?language=ur" in page
