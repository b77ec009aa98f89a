"""Reading an exported .docx (python-docx) and .odt (odfpy) back, as the tests of app/documents need them."""
import io
import zipfile

from docx import Document
from docx.oxml.ns import qn
from odf import teletype
from odf.namespaces import STYLENS
from odf.opendocument import load
from odf.style import Style
from odf.text import H, P


def docx_paragraphs(body: bytes) -> list:
    return Document(io.BytesIO(body)).paragraphs


def docx_footer(body: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(body)).sections[0].footer.paragraphs)


def docx_is_rtl(paragraph) -> bool:
    """The paragraph is right-to-left, and each of its runs is too, in a font with Urdu glyphs."""
    properties = paragraph._p.pPr
    if properties is None or properties.find(qn("w:bidi")) is None:
        return False
    return all(r.find(qn("w:rPr")) is not None and r.find(qn("w:rPr")).find(qn("w:rtl")) is not None
               and r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:cs")) == "Noto Naskh Arabic"
               for r in paragraph._p.iter(qn("w:r")))


def docx_tables(body: bytes) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in Document(io.BytesIO(body)).tables]


def odt_paragraphs(body: bytes) -> list[tuple[str, str, int | None, str]]:
    """(style's parent, direction, outline level of a heading or None, text) of each paragraph and heading of the
    text, in order."""
    document = load(io.BytesIO(body))
    styles = {}
    for style in document.automaticstyles.getElementsByType(Style):
        mode = next((p.getAttrNS(STYLENS, "writing-mode") for p in style.childNodes
                     if p.qname[1] == "paragraph-properties"), None)
        styles[style.getAttribute("name")] = (style.getAttribute("parentstylename"), mode)
    found = []
    for element in document.text.childNodes:
        if element.qname[1] not in ("p", "h"):
            continue
        parent, mode = styles.get(element.getAttribute("stylename"), ("", None))
        level = int(element.getAttribute("outlinelevel")) if element.qname[1] == "h" else None
        found.append((parent, "rtl" if mode == "rl-tb" else "ltr", level, teletype.extractText(element)))
    return found


def odt_footer(body: bytes) -> str:
    document = load(io.BytesIO(body))
    return " ".join(teletype.extractText(p) for p in document.masterstyles.getElementsByType(P))


def odt_has_headings(body: bytes) -> bool:
    return bool(load(io.BytesIO(body)).text.getElementsByType(H))


def odt_content_xml(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return archive.read("content.xml").decode("utf-8")
