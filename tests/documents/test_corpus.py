"""The corpus of documents (corpus.py) is what it says it is, so it cannot quietly degrade: each document is built,
its words are all there, and the file keeps the features a reader has to cope with — Word's numbering, footnotes,
links, header rows, right-to-left Urdu, tracked changes, comments, images and text boxes — as LibreOffice or
python-docx wrote them."""
import io
import re
import zipfile

import pytest
from lxml import etree

from tests.documents import corpus
from tests.documents.corpus import DOCUMENTS, EXPECTED

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"

needs_libreoffice = pytest.mark.skipif(corpus.SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                                                      "scripts/system-deps.sh installs "
                                                                      "libreoffice-writer")


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("corpus")


def _part(body: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return archive.read(name).decode("utf-8")


def _names(body: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return archive.namelist()


def _paragraph_texts(body: bytes, kind: str) -> list[str]:
    """Each paragraph's words (the footnotes' too), a tracked insertion's and a deletion's alike."""
    if kind == "docx":
        parts = [name for name in ("word/document.xml", "word/footnotes.xml") if name in _names(body)]
        return ["".join(t.text or "" for t in p.iter(f"{W}t", f"{W}delText"))
                for name in parts for p in etree.fromstring(_part(body, name).encode()).iter(f"{W}p")]
    root = etree.fromstring(_part(body, "content.xml").encode())
    return ["".join(p.itertext()) for p in root.iter(f"{TEXT}p", f"{TEXT}h")]


def _expected_words(name: str) -> list[str]:
    expected = EXPECTED[name]
    words = [expected["title"], *(text for _, text in expected["headings"]), *expected["footnotes"],
             *(text for _, text in expected["bullets"]), *(cell for table in expected["tables"] for row in table
                                                          for cell in row),
             *(text for text, _ in expected["links"]), *expected["bold"], *expected["italic"], *expected["present"]]
    for recommendation in expected["recommendations"]:
        words += [recommendation["text"], *(point["text"] for point in recommendation["points"])]
    if name != "review":  # there a paragraph holds both versions of the changed words
        words += expected["paragraphs"]
    return words


def _assert_words(name: str, kind: str, body: bytes) -> None:
    paragraphs = _paragraph_texts(body, kind)
    text = "\n".join(paragraphs)
    for words in _expected_words(name):
        assert words in text, (name, kind, words)
    assert any(p.strip() == EXPECTED[name]["title"] for p in paragraphs), (name, kind)


def test_every_document_has_its_expectations():
    assert {name for name, _ in DOCUMENTS} == set(EXPECTED)
    for (name, kind) in DOCUMENTS:
        assert kind in EXPECTED[name]["kinds"]
    keys = set(EXPECTED["draft-en"])
    for name, expected in EXPECTED.items():
        assert keys <= set(expected), name
    assert corpus.png().startswith(b"\x89PNG\r\n\x1a\n")


def _docx_draft_features(body: bytes, rtl: bool) -> None:
    document = _part(body, "word/document.xml")
    for feature in ("<w:numPr>", "<w:footnoteReference", "<w:hyperlink", "<w:tblHeader", 'w:val="Title"',
                    'w:val="Heading1"', 'w:val="Heading2"', "<w:b/>", "<w:i/>"):
        assert feature in document, feature
    assert "UNODC" in _part(body, "word/footnotes.xml")
    assert "https://www.unodc.org/" in _part(body, "word/_rels/document.xml.rels")
    numbering = _part(body, "word/numbering.xml")
    assert 'w:val="lowerLetter"' in numbering and 'w:val="%2)"' in numbering
    # the five recommendations are one list (numbered on across the headings), their points at level 2
    root = etree.fromstring(document.encode())
    numbered = []
    for paragraph in root.iter(f"{W}p"):
        number = paragraph.find(f"{W}pPr/{W}numPr")
        if number is not None:
            numbered.append((number.find(f"{W}ilvl").get(f"{W}val"), number.find(f"{W}numId").get(f"{W}val")))
    recommendations = numbered[3:]  # after the three bullets
    assert [level for level, _ in recommendations] == ["0", "0", "1", "1", "0", "0", "0"]
    assert len({list_id for _, list_id in recommendations}) == 1
    assert numbered[0][1] != recommendations[0][1]
    if rtl:
        assert document.count('<w:bidi w:val="1"/>') >= 20
        assert '<w:rtl w:val="true"/>' in document and 'w:cs="Noto Naskh Arabic"' in document
        assert 'w:bidi="ur-PK"' in document
    else:
        assert '<w:bidi w:val="1"/>' not in document


def _odt_draft_features(body: bytes, rtl: bool) -> None:
    content = _part(body, "content.xml")
    styles = _part(body, "styles.xml") + content
    for feature in ("<text:list ", '<text:note text:id="', 'text:note-class="footnote"', "<text:a ",
                    'xlink:href="https://www.unodc.org/"', "<table:table-header-rows>", '<text:h ',
                    'text:outline-level="2"'):
        assert feature in content, feature
    assert len(re.findall(r'text:continue-(?:numbering="true"|list=)', content)) == 2
    assert re.search(r'<text:list-level-style-number text:level="2"[^>]*style:num-format="a"', styles)
    assert re.search(r'<text:list-level-style-number text:level="1"[^>]*style:num-format="1"', styles)
    if rtl:
        assert content.count('style:writing-mode="rl-tb"') >= 10
        assert 'style:language-complex="ur"' in content and 'style:country-complex="PK"' in content
        assert "Noto Naskh Arabic" in content
    else:
        assert 'style:writing-mode="rl-tb"' not in content


@needs_libreoffice
@pytest.mark.parametrize("kind", ["docx", "odt"])
@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_draft(corpus_dir, language, kind):
    body = corpus.draft(kind, language, corpus_dir)
    assert body is corpus.draft(kind, language, corpus_dir)  # built once
    _assert_words(f"draft-{language}", kind, body)
    (_docx_draft_features if kind == "docx" else _odt_draft_features)(body, rtl=language == "ur")


def test_the_draft_sources_are_flat_odf_with_automatic_numbering():
    for language in ("en", "ur"):
        source = corpus.draft_fodt(language)
        root = etree.fromstring(source)
        assert root.get("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}mimetype") == \
            "application/vnd.oasis.opendocument.text"
        assert b"<text:list-level-style-number" in source
        assert not re.search(r'<text:p[^>]*>\s*\d+[.)] ', source.decode())  # no typed numbers


@needs_libreoffice
@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_the_declaration_under_review(corpus_dir, kind):
    body = corpus.review(kind, corpus_dir)
    _assert_words("review", kind, body)
    if kind == "docx":
        document = _part(body, "word/document.xml")
        for feature in ("<w:ins ", "<w:del ", "<w:delText", "<w:commentReference", "<w:drawing>", "<pic:pic",
                        "txbxContent>", "<w:numPr>"):
            assert feature in document, feature
        assert re.search(r"<w:ins [^>]*>(?:(?!</w:ins>).)*newly inserted words", document)
        assert re.search(r"<w:del [^>]*>(?:(?!</w:del>).)*words proposed for deletion", document)
        assert "Check this figure" in _part(body, "word/comments.xml")
        assert "<w:trackRevisions/>" in _part(body, "word/settings.xml")
        assert any(name.startswith("word/media/") and name.endswith(".png") for name in _names(body))
    else:
        content = _part(body, "content.xml")
        for feature in ("<text:tracked-changes", "<text:insertion>", "<text:deletion>", "<text:change-start ",
                        "<text:change ", "<office:annotation ", "<dc:creator>Bilal Ahmed</dc:creator>",
                        "<draw:image ", "<draw:text-box", "<text:list "):
            assert feature in content, feature
        assert 'text:track-changes="false"' not in content  # still recording: the attribute's default is true
        deletion = re.search(r"<text:deletion>.*?</text:deletion>", content).group(0)
        assert "words proposed for deletion" in deletion
        assert any(name.startswith("Pictures/") and name.endswith(".png") for name in _names(body))


def test_the_recommendations_in_a_table():
    body = corpus.table_recommendations_docx()
    _assert_words("table-recommendations", "docx", body)
    document = _part(body, "word/document.xml")
    assert document.count("<w:tbl>") == 1 and "<w:tblHeader/>" in document
    assert 'w:val="Title"' in document and document.count('w:val="Heading1"') == 2
    assert "<w:numPr>" not in document


def test_the_hand_styled_declaration():
    body = corpus.hand_styled_docx()
    _assert_words("hand-styled", "docx", body)
    document = _part(body, "word/document.xml")
    assert "<w:pStyle" not in document  # Normal throughout: no heading, no title, no list style
    assert "<w:numPr>" not in document
    assert document.count("<w:b/>") == 4 and '<w:sz w:val="32"/>' in document
    for typed in EXPECTED["hand-styled"]["typed_numbers"]:
        assert typed in _paragraph_texts(body, "docx")


def test_the_declaration_numbered_by_word():
    body = corpus.numbered_docx()
    _assert_words("numbered", "docx", body)
    document = _part(body, "word/document.xml")
    assert document.count('<w:pStyle w:val="ListNumber"/>') == 4
    assert document.count('<w:pStyle w:val="ListNumber2"/>') == 1
    assert "<w:numPr>" not in document  # the numbering is the styles' own, in styles.xml and numbering.xml
    styles = _part(body, "word/styles.xml")
    for style, list_id in (("ListNumber", "5"), ("ListNumber2", "6")):
        definition = re.search(rf'<w:style [^>]*w:styleId="{style}">.*?</w:style>', styles, re.S).group(0)
        assert re.search(rf'<w:numId w:val="{list_id}"/>', definition), style
    assert re.search(r'<w:num w:numId="5">', _part(body, "word/numbering.xml"))
