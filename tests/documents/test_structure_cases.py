"""The cases an outside probe of the import found, each built as an alliance would type it (python-docx, and
Word's own XML where python-docx has no call for it): ordinary text stays text as written, headings styled by
hand, more than one recommendations heading, tables without a header or with merged cells, Word's field links,
a table of contents, and files whose numbers are not numbers."""
import io
import re
import zipfile
from html import unescape

import pytest
from docx import Document
from docx.oxml import parse_xml

from app.documents import assembly, intake, reading
from app.markup import render_markdown

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _draft(app, data: bytes, name="draft.docx"):
    with app.test_request_context():
        [upload] = reading.read_file(name, data)
        return upload, assembly.assemble(upload.units)


def test_ordinary_paragraphs_that_start_like_a_list_stay_text_as_written(app):
    lines = ["M. Ali Jinnah founded the nation.", "A. Q. Khan was a scientist.",
             "5 - 10 children are trafficked daily.", "1990. was the year the first law passed.",
             "Q: What is trafficking?", "۱۔ ایک جملہ اردو میں۔", "AT&T &amp; others."]
    document = Document()
    document.add_paragraph("Declaration", style="Title")
    document.add_heading("Background", 1)
    for line in lines:
        document.add_paragraph(line)
    _upload, draft = _draft(app, _saved(document))
    body = draft.sections[0]["body"]
    html = render_markdown(body)
    assert "<ol>" not in html and "<ul>" not in html
    shown = [unescape(re.sub(r"<[^>]+>", "", paragraph)) for paragraph in re.findall(r"<p>.*?</p>", html)]
    assert shown == lines  # every one as typed: no number lost, no backslash, "&amp;" its five characters


def test_bold_lines_ending_with_a_colon_are_headings_and_their_numbers_recommendations(app):
    document = Document()
    for text in ("KARACHI DECLARATION 2025", "BACKGROUND:"):
        document.add_paragraph().add_run(text).bold = True
    document.add_paragraph("Trafficking is rising.")
    document.add_paragraph().add_run("RECOMMENDATIONS:").bold = True
    document.add_paragraph().add_run("Prevent:").bold = True
    document.add_paragraph("1. Fund shelters.")
    document.add_paragraph("2. Train police.")
    _upload, draft = _draft(app, _saved(document))
    assert draft.title == "KARACHI DECLARATION 2025"
    assert [s["heading"] for s in draft.sections] == ["BACKGROUND:"]
    assert [(r["number"], r["text"], r["pillar"]) for r in draft.recommendations] == [
        ("1", "Fund shelters.", "prevent"), ("2", "Train police.", "prevent")]


def test_two_recommendations_headings_keep_their_recommendations_apart(app):
    document = Document()
    document.add_paragraph("Declaration", style="Title")
    document.add_heading("Key Recommendations", 1)
    document.add_heading("Protect", 2)
    for text in ("(a) Protect victims.", "(b) Open shelters."):
        document.add_paragraph(text)
    document.add_heading("Policy asks", 1)
    for text in ("R1. Fund shelters.", "Recommendation 2: Train police."):
        document.add_paragraph(text)
    document.add_heading("Annex", 1)
    document.add_paragraph("Who we are.")
    _upload, draft = _draft(app, _saved(document))
    assert [(r["number"], r["text"]) for r in draft.recommendations] == [
        ("a", "Protect victims."), ("b", "Open shelters."), ("1", "Fund shelters."), ("2", "Train police.")]
    assert draft.recommendations[1]["pillar"] == "protect"
    assert draft.recommendations[2]["pillar"] == ""  # not carried over from the other heading's pillar
    assert draft.problems == ["Choose the pillar of recommendation 3.", "Choose the pillar of recommendation 4."]
    assert [s["heading"] for s in draft.sections] == ["Annex"]


def test_a_recommendations_heading_that_names_a_pillar_still_opens_them(app):
    document = Document()
    document.add_paragraph("Declaration", style="Title")
    document.add_heading("Recommendations to protect victims", 1)
    document.add_paragraph("Open shelters.", style="List Number")
    _upload, draft = _draft(app, _saved(document))
    assert [r["text"] for r in draft.recommendations] == ["Open shelters."]


def _table(document, rows, bold_header=False):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            run = table.cell(r, c).paragraphs[0].add_run(value)
            run.bold = bold_header and r == 0
    return table


def test_a_table_without_header_or_numbers_keeps_its_first_row(app):
    document = Document()
    document.add_paragraph("Declaration", style="Title")
    document.add_heading("Recommendations", 1)
    _table(document, [["Prevent", "Fund shelters in every district."], ["Protect", "Open shelters for survivors."],
                      ["Pursue", "Special courts."]])
    _upload, draft = _draft(app, _saved(document))
    assert [(r["text"], r["pillar"]) for r in draft.recommendations] == [
        ("Fund shelters in every district.", "prevent"), ("Open shelters for survivors.", "protect"),
        ("Special courts.", "pursue")]


def test_a_bold_header_names_an_extra_column_once_and_a_merged_pillar_covers_its_rows(app):
    document = Document()
    document.add_paragraph("Declaration", style="Title")
    document.add_heading("Recommendations", 1)
    table = _table(document, [["Pillar", "No.", "Recommendation", "Responsible ministry"],
                              ["Prevent", "1", "Fund shelters.", "Ministry of Law"],
                              ["", "2", "Train police.", "Ministry of Interior"]], bold_header=True)
    table.cell(1, 0).merge(table.cell(2, 0))  # the pillar cell spans both rows (w:vMerge)
    _upload, draft = _draft(app, _saved(document))
    assert [(r["number"], r["pillar"], r["text"]) for r in draft.recommendations] == [
        ("1", "prevent", "Fund shelters.\n\n**Responsible ministry:** Ministry of Law"),
        ("2", "prevent", "Train police.\n\n**Responsible ministry:** Ministry of Interior")]


def _with_body_xml(xml: str) -> bytes:
    """A python-docx document whose body holds this WordprocessingML."""
    document = Document()
    document.add_paragraph("Declaration", style="Title")
    document.add_heading("Background", 1)
    body = document.element.body
    for element in parse_xml(f"<w:body {W}>{xml}</w:body>"):
        body.insert(len(body) - 1, element)
    return _saved(document)


def test_a_word_field_link_keeps_its_address_and_a_page_break_parts_words(app):
    data = _with_body_xml(
        '<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://www.unodc.org/report" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>the report</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> and read on</w:t></w:r>'
        '<w:r><w:br w:type="page"/><w:t>after.</w:t></w:r></w:p>')
    _upload, draft = _draft(app, data)
    assert draft.sections[0]["body"] == "See [the report](https://www.unodc.org/report) and read on after."


def test_a_table_of_contents_is_left_out(app):
    data = _with_body_xml(
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
        '<w:sdtContent><w:p><w:r><w:t>Contents</w:t></w:r></w:p><w:p><w:r><w:t>Recommendations 2</w:t></w:r></w:p>'
        '</w:sdtContent></w:sdt><w:p><w:r><w:t>The text.</w:t></w:r></w:p>')
    _upload, draft = _draft(app, data)
    assert draft.sections[0]["body"] == "The text."


def test_a_numbered_list_and_a_bulleted_list_after_it_stay_two_lists(app):
    document = Document()
    document.add_paragraph("Declaration", style="Title")
    document.add_heading("Background", 1)
    document.add_paragraph("first", style="List Number")
    document.add_paragraph("second", style="List Number")
    document.add_paragraph("a bullet", style="List Bullet")
    _upload, draft = _draft(app, _saved(document))
    html = render_markdown(draft.sections[0]["body"])
    assert re.sub(r"\s", "", html) == "<ol><li>first</li><li>second</li></ol><ul><li>abullet</li></ul>"


@pytest.mark.parametrize("attribute,value", [("w:ilvl", "²"), ("w:ilvl", "99999999999999999999"), ("w:ilvl", "x"),
                                              ("w:numId", "")])
def test_numbers_that_are_not_numbers_do_not_break_the_reading(app, attribute, value):
    document = Document()
    document.add_paragraph("Declaration", style="Title")
    document.add_heading("Recommendations", 1)
    document.add_paragraph("Fund shelters.", style="List Number")
    data = _saved(document)
    source = zipfile.ZipFile(io.BytesIO(data))
    xml = source.read("word/document.xml").decode()
    numbering = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'.replace(
        f'{attribute}="0"' if attribute == "w:ilvl" else f'{attribute} w:val="1"', f'{attribute} w:val="{value}"')
    xml = xml.replace('<w:pStyle w:val="ListNumber"/>', '<w:pStyle w:val="ListNumber"/>' + numbering)
    xml = xml.replace('<w:outlineLvl', '<w:outlineLvl').replace("<w:body>", "<w:body>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, xml.encode() if item.filename == "word/document.xml" else source.read(item))
    _upload, draft = _draft(app, out.getvalue())
    assert [r["text"] for r in draft.recommendations] == ["Fund shelters."]


def test_a_document_nested_past_any_real_depth_is_refused_as_damaged(app):
    source = zipfile.ZipFile(io.BytesIO(_with_body_xml("<w:p><w:r><w:t>DEEP</w:t></w:r></w:p>")))
    deep = "<w:sdt><w:sdtContent>" * 3000 + "<w:p><w:r><w:t>deep</w:t></w:r></w:p>" + "</w:sdtContent></w:sdt>" * 3000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "word/document.xml":
                content = content.replace(b"<w:p><w:r><w:t>DEEP</w:t></w:r></w:p>", deep.encode())
            target.writestr(item, content)
    data = out.getvalue()
    with app.test_request_context(), pytest.raises(intake.Refused, match="damaged"):
        reading.read_file("deep.docx", data)


def _recommendations_table(rows, bold_header=False):
    document = Document()
    document.add_paragraph("Declaration", style="Title")
    document.add_heading("Recommendations", 1)
    _table(document, rows, bold_header)
    return _saved(document)


def test_a_recommendation_that_mentions_a_pillar_is_text_not_a_pillar(app):
    _upload, draft = _draft(app, _recommendations_table([
        ["No", "Recommendation"], ["1", "Improve protection for victims in every district."],
        ["2", "Shelters for boys."]]))
    assert [(r["number"], r["text"]) for r in draft.recommendations] == [
        ("1", "Improve protection for victims in every district."), ("2", "Shelters for boys.")]


def test_a_table_of_short_recommendations_without_a_header_keeps_every_row(app):
    _upload, draft = _draft(app, _recommendations_table([["Fund shelters."], ["Train police."], ["Protect victims."]]))
    assert [r["text"] for r in draft.recommendations] == ["Fund shelters.", "Train police.", "Protect victims."]


def test_a_bold_header_that_names_a_pillar_word_is_still_the_header(app):
    _upload, draft = _draft(app, _recommendations_table(
        [["#", "Prevention measures"], ["1", "Fund shelters."], ["2", "Train police."]], bold_header=True))
    assert [r["text"] for r in draft.recommendations] == ["Fund shelters.", "Train police."]


def test_a_row_naming_a_pillar_gives_the_rows_under_it_that_pillar(app):
    document = Document()
    document.add_paragraph("Declaration", style="Title")
    document.add_heading("Recommendations", 1)
    table = _table(document, [["No.", "Recommendation", "Who"], ["Prevent", "", ""], ["1", "Fund shelters.", "MoI"],
                              ["Protect", "", ""], ["2", "Open shelters.", "MoHR"]], bold_header=True)
    for row in (1, 3):
        table.cell(row, 0).merge(table.cell(row, 2))
    _upload, draft = _draft(app, _saved(document))
    assert [(r["number"], r["text"], r["pillar"]) for r in draft.recommendations] == [
        ("1", "Fund shelters.\n\n**Who:** MoI", "prevent"), ("2", "Open shelters.\n\n**Who:** MoHR", "protect")]
    assert draft.problems == []


def test_a_titled_document_with_bold_lines_for_headings_and_addressees(app):
    document = Document()
    document.add_paragraph("Hyderabad Declaration", style="Title")
    document.add_paragraph("1. End trafficking.")  # the summary, as typed
    document.add_paragraph().add_run("Background:").bold = True
    document.add_paragraph("Trafficking is rising.")
    document.add_paragraph().add_run("Recommendations:").bold = True
    document.add_paragraph().add_run("To the Federal Government:").bold = True
    document.add_paragraph("1. Fund shelters.")
    document.add_paragraph().add_run("To the provinces:").bold = True
    document.add_paragraph("2. Train police.")
    document.add_paragraph().add_run("Annex:").bold = True
    document.add_paragraph("Who we are.")
    _upload, draft = _draft(app, _saved(document))
    assert draft.summary == "1. End trafficking."
    assert [r["text"] for r in draft.recommendations] == ["Fund shelters.", "Train police."]
    assert [s["heading"] for s in draft.sections][0] == "Background:"
    assert "Annex:" in [s["heading"] for s in draft.sections]


def test_a_table_of_contents_written_as_a_field_is_left_out(app):
    data = _with_body_xml(
        '<w:p><w:pPr><w:pStyle w:val="Contents1"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Background 1</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>Recommendations 2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        '<w:p><w:r><w:t>The text.</w:t></w:r></w:p>')
    _upload, draft = _draft(app, data)
    assert draft.sections[0]["body"] == "The text."
