"""A text's stored HTML becomes the document's own structure: bold, italics, links, lists at two levels with their
numbers, quotations, tables; the words exactly as written, Urdu right-to-left."""
import io

from docx import Document
from docx.oxml.ns import qn

from app.documents.blocks import html_blocks
from app.documents.compose import write_html
from app.documents.docx import DocxWriter
from app.documents.odt import OdtWriter
from app.markup import render_markdown
from tests.documents.reading import docx_is_rtl, odt_content_xml, odt_paragraphs

BODY = """We **demand** action and *care*; see [the convention](https://www.unodc.org/untoc).

1. Protect victims
2. Prosecute traffickers
    - in every province
    - with trained judges
3. Prevent

> A quotation.

| Province | Shelters |
|---|---|
| Sindh | **4** |
"""


def test_markdown_becomes_paragraphs_lists_quotations_and_tables():
    kinds = [(b.kind, b.level, b.marker, b.quote, b.text) for b in html_blocks(render_markdown(BODY))]
    assert kinds == [
        ("p", 0, "", False, "We demand action and care; see the convention."),
        ("item", 1, "1.", False, "Protect victims"), ("item", 1, "2.", False, "Prosecute traffickers"),
        ("item", 2, "•", False, "in every province"), ("item", 2, "•", False, "with trained judges"),
        ("item", 1, "3.", False, "Prevent"), ("p", 0, "", True, "A quotation."), ("table", 0, "", False, ""),
    ]
    assert [b.text for b in html_blocks(render_markdown("One line  \nand the next"))] == ["One line\nand the next"]


def test_the_docx_keeps_bold_italics_the_link_the_list_numbers_and_the_table():
    writer = DocxWriter("A text", "en")
    write_html(writer, render_markdown(BODY), "en", base_level=1)
    document = Document(io.BytesIO(writer.finish()))
    first = document.paragraphs[0]
    assert [r.text for r in first.runs if r.bold] == ["demand"]
    assert [r.text for r in first.runs if r.italic] == ["care"]
    links = first._p.findall(qn("w:hyperlink"))
    assert len(links) == 1 and first.part.rels[links[0].get(qn("r:id"))].target_ref == "https://www.unodc.org/untoc"
    texts = [p.text for p in document.paragraphs]
    assert "2.\u00a0Prosecute traffickers" in texts and "•\u00a0with trained judges" in texts
    nested = next(p for p in document.paragraphs if p.text.endswith("in every province"))
    top = next(p for p in document.paragraphs if p.text.endswith("Protect victims"))
    assert nested.paragraph_format.left_indent > top.paragraph_format.left_indent
    table = document.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [["Province", "Shelters"], ["Sindh", "4"]]


def test_an_urdu_body_is_right_to_left_in_both_formats_with_its_words_exact():
    urdu = "ہم **مطالبہ** کرتے ہیں۔\n\n1. متاثرین کا تحفظ\n2. مجرموں کے خلاف کارروائی"
    docx = DocxWriter("عنوان", "ur")
    write_html(docx, render_markdown(urdu), "ur", base_level=1)
    paragraphs = Document(io.BytesIO(docx.finish())).paragraphs
    assert [p.text for p in paragraphs] == ["ہم مطالبہ کرتے ہیں۔", "1.\u00a0متاثرین کا تحفظ",
                                            "2.\u00a0مجرموں کے خلاف کارروائی"]
    assert all(docx_is_rtl(p) for p in paragraphs)
    odt = OdtWriter("عنوان", "ur")
    write_html(odt, render_markdown(urdu), "ur", base_level=1)
    odt.footer("ورژن 1", "ur")
    body = odt.finish()
    assert [(d, t) for _parent, d, _level, t in odt_paragraphs(body)] == [
        ("rtl", "ہم مطالبہ کرتے ہیں۔"), ("rtl", "1.\u00a0متاثرین کا تحفظ"), ("rtl", "2.\u00a0مجرموں کے خلاف کارروائی")]
    assert 'style:language-complex="ur"' in odt_content_xml(body)
