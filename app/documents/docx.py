"""An exported document as Word's .docx, with python-docx: the built-in styles (Title, Heading 1–6, Normal,
Footer, Table Grid), so that the text stays editable and restylable in Word and LibreOffice.

Urdu paragraphs are right-to-left (w:bidi), their runs marked w:rtl, with Noto Naskh Arabic (Debian's
fonts-noto-core) as the complex-script font and Urdu as the bidirectional language."""
import io

from docx import Document
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from app.documents.blocks import Run
from app.formatting import language_direction

URDU_FONT = "Noto Naskh Arabic"
CODE_FONT = "Courier New"
INDENT = Cm(0.9)
LANGUAGE_TAGS = {"en": "en-GB", "ur": "ur-PK"}
LINK_BLUE = RGBColor(0x1F, 0x4E, 0x9A)
# What may follow w:bidi in a paragraph's properties, and w:bidiVisual in a table's (ECMA-376's order, which
# Word holds to: an element out of order is a damaged file to Word).
AFTER_BIDI = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
              "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
              "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
AFTER_BIDI_VISUAL = ("w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing",
                     "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                     "w:tblCaption", "w:tblDescription", "w:tblPrChange")


class DocxWriter:
    """Lays out what compose.py hands it into one .docx."""

    def __init__(self, title: str, language: str):
        self.document = Document()
        self.document.core_properties.title = title
        self.document.core_properties.language = LANGUAGE_TAGS.get(language, language)
        self.started = False

    # -- what compose.py calls --
    def title(self, text: str, language: str) -> None:
        self._paragraph("Title", [Run(text)], language)

    def heading(self, text: str, level: int, language: str) -> None:
        self._paragraph(f"Heading {max(1, min(level, 6))}", [Run(text)], language)

    def paragraph(self, runs: list[Run], language: str, *, indent: int = 0, marker: str = "",
                  code: bool = False) -> None:
        if marker:
            runs = [Run(f"{marker}\u00a0"), *runs]
        paragraph = self._paragraph("Normal", runs, language)
        if indent:  # w:ind's start side, which Word and LibreOffice take as the right in a w:bidi paragraph
            paragraph.paragraph_format.left_indent = INDENT * indent
        if code:
            for run in paragraph.runs:
                run.font.name = CODE_FONT

    def table(self, rows: list[list[tuple[bool, list[Run]]]], language: str) -> None:
        columns = max(len(row) for row in rows)
        table = self.document.add_table(rows=len(rows), cols=columns)
        table.style = "Table Grid"
        if language_direction(language) == "rtl":
            table._tbl.tblPr.insert_element_before(OxmlElement("w:bidiVisual"), *AFTER_BIDI_VISUAL)
        for row, cells in zip(table.rows, rows, strict=True):
            for cell, (header, runs) in zip(row.cells, cells, strict=False):
                paragraph = cell.paragraphs[0]
                self._fill(paragraph, [Run(r.text, r.bold or header, r.italic, r.code, r.href) for r in runs],
                           language)
        self.started = True

    def page_break(self) -> None:
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def footer(self, text: str, language: str) -> None:
        paragraph = self.document.sections[0].footer.paragraphs[0]
        paragraph.style = self.document.styles["Footer"]
        self._fill(paragraph, [Run(text)], language)
        for run in paragraph.runs:
            run.font.size = Pt(8)

    def finish(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    # -- laying out --
    def _paragraph(self, style: str, runs: list[Run], language: str):
        paragraph = self.document.add_paragraph(style=style)
        self._fill(paragraph, runs, language)
        self.started = True
        return paragraph

    def _fill(self, paragraph, runs: list[Run], language: str) -> None:
        rtl = language_direction(language) == "rtl"
        if rtl:
            paragraph._p.get_or_add_pPr().insert_element_before(OxmlElement("w:bidi"), *AFTER_BIDI)
        for run in runs:
            if run.href:
                self._link(paragraph, run, language, rtl)
            else:
                self._run(paragraph.add_run(run.text), run, language, rtl)

    def _run(self, made, run: Run, language: str, rtl: bool) -> None:
        made.bold = run.bold or None
        made.italic = run.italic or None
        if run.code:
            made.font.name = CODE_FONT
        _mark_language(made._r, language, rtl)
        if rtl and run.bold:
            made._r.get_or_add_rPr().get_or_add_bCs()
        if rtl and run.italic:
            made._r.get_or_add_rPr().get_or_add_iCs()

    def _link(self, paragraph, run: Run, language: str, rtl: bool) -> None:
        """A hyperlink Word and LibreOffice follow: w:hyperlink around a run in the Hyperlink look."""
        relationship = paragraph.part.relate_to(run.href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), relationship)
        made = paragraph.add_run(run.text)
        self._run(made, run, language, rtl)
        made.font.underline = True
        made.font.color.rgb = LINK_BLUE
        link.append(made._r)
        paragraph._p.append(link)


def _mark_language(r, language: str, rtl: bool) -> None:
    """The run's language, and for right-to-left text its direction and a font with Urdu glyphs."""
    properties = r.get_or_add_rPr()
    if rtl:
        fonts = properties.get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attribute), URDU_FONT)
        properties.get_or_add_rtl()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE_TAGS["en"])
    if rtl:
        lang.set(qn("w:bidi"), LANGUAGE_TAGS.get(language, language))
    properties.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
