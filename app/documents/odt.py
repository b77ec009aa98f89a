"""An exported document as OpenDocument text (.odt), with odfpy: named styles (Title, Heading 1–6, Text body,
Footer) that LibreOffice and Word list as their own, so that the text stays editable and restylable.

Urdu paragraphs are right-to-left (style:writing-mode rl-tb, aligned to their start), with Noto Naskh Arabic
(Debian's fonts-noto-core) as the complex-script font and Urdu as the complex-script language."""
import io

from odf import teletype
from odf.dc import Title as MetaTitle
from odf.opendocument import OpenDocumentText
from odf.style import (
    FontFace,
    Footer,
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    Style,
    TableCellProperties,
    TextProperties,
)
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import A, H, P, Span

from app.documents.blocks import Run
from app.formatting import language_direction

URDU_FONT = "Noto Naskh Arabic"
CODE_FONT = "Liberation Mono"
INDENT_CM = 0.9
COUNTRIES = {"en": "GB", "ur": "PK"}
# Named styles: (name, shown name, font size, bold, outline level)
NAMED = [("Title", "Title", "20pt", True, None), ("Text_20_body", "Text body", "11pt", False, None),
         ("Footer", "Footer", "8pt", False, None)] + [
    (f"Heading_20_{n}", f"Heading {n}", size, True, n)
    for n, size in zip(range(1, 7), ("16pt", "14pt", "13pt", "12pt", "11pt", "11pt"), strict=True)]


class OdtWriter:
    """Lays out what compose.py hands it into one .odt."""

    def __init__(self, title: str, language: str):
        self.document = OpenDocumentText()
        self.document.fontfacedecls.addElement(FontFace(name=URDU_FONT, fontfamily=f"'{URDU_FONT}'",
                                                        fontfamilygeneric="roman", fontpitch="variable"))
        self.document.fontfacedecls.addElement(FontFace(name=CODE_FONT, fontfamily=f"'{CODE_FONT}'",
                                                        fontfamilygeneric="modern", fontpitch="fixed"))
        for name, shown, size, bold, level in NAMED:
            style = Style(name=name, displayname=shown, family="paragraph",
                          **({"defaultoutlinelevel": str(level)} if level else {}))
            style.addElement(ParagraphProperties(margintop="0.2cm", marginbottom="0.2cm"))
            style.addElement(TextProperties(fontsize=size, fontsizecomplex=size,
                                            **({"fontweight": "bold", "fontweightcomplex": "bold"} if bold else {})))
            self.document.styles.addElement(style)
        self.document.meta.addElement(MetaTitle(text=title))
        self.language = language
        self.styles: dict[tuple, str] = {}
        self.break_next = False
        self.tables = 0

    # -- what compose.py calls --
    def title(self, text: str, language: str) -> None:
        self._add(P(stylename=self._style("Title", language)), [Run(text)], language)

    def heading(self, text: str, level: int, language: str) -> None:
        level = max(1, min(level, 6))
        self._add(H(outlinelevel=level, stylename=self._style(f"Heading_20_{level}", language)), [Run(text)],
                  language)

    def paragraph(self, runs: list[Run], language: str, *, indent: int = 0, marker: str = "",
                  code: bool = False) -> None:
        if marker:
            runs = [Run(f"{marker}\u00a0"), *runs]
        if code:
            runs = [Run(r.text, r.bold, r.italic, True, r.href) for r in runs]
        self._add(P(stylename=self._style("Text_20_body", language, indent)), runs, language)

    def table(self, rows: list[list[tuple[bool, list[Run]]]], language: str) -> None:
        self.tables += 1
        table = Table(name=f"Table{self.tables}")
        table.addElement(TableColumn(numbercolumnsrepeated=max(len(row) for row in rows)))
        cell_style = self._cell_style()
        for cells in rows:
            row = TableRow()
            for header, runs in cells:
                cell = TableCell(valuetype="string", stylename=cell_style)
                paragraph = P(stylename=self._style("Text_20_body", language))
                self._fill(paragraph, [Run(r.text, r.bold or header, r.italic, r.code, r.href) for r in runs])
                cell.addElement(paragraph)
                row.addElement(cell)
            table.addElement(row)
        self.document.text.addElement(table)

    def page_break(self) -> None:
        self.break_next = True

    def footer(self, text: str, language: str) -> None:
        layout = PageLayout(name="Page")
        layout.addElement(PageLayoutProperties(pagewidth="21cm", pageheight="29.7cm", margintop="2cm",
                                               marginbottom="1.5cm", marginleft="2cm", marginright="2cm"))
        self.document.automaticstyles.addElement(layout)
        master = MasterPage(name="Standard", pagelayoutname=layout)
        footer = Footer()
        paragraph = P(stylename=self._style("Footer", language, page_break=False))
        self._fill(paragraph, [Run(text)])
        footer.addElement(paragraph)
        master.addElement(footer)
        self.document.masterstyles.addElement(master)

    def finish(self) -> bytes:
        out = io.BytesIO()
        self.document.write(out)
        return out.getvalue()

    # -- laying out --
    def _add(self, element, runs: list[Run], language: str) -> None:
        self._fill(element, runs)
        self.document.text.addElement(element)

    def _fill(self, element, runs: list[Run]) -> None:
        for run in runs:
            target = element
            if run.href:
                target = A(href=run.href, type="simple")
                element.addElement(target)
            style = self._text_style(run)
            if style:
                span = Span(stylename=style)
                teletype.addTextToElement(span, run.text)
                target.addElement(span)
            else:
                teletype.addTextToElement(target, run.text)

    def _style(self, parent: str, language: str, indent: int = 0, page_break: bool | None = None) -> str:
        """An automatic paragraph style on a named one: the language and direction, the indent, and a page
        break before it when one was asked for."""
        if page_break is None:
            page_break, self.break_next = self.break_next, False
        rtl = language_direction(language) == "rtl"
        key = (parent, language, indent, page_break)
        if key not in self.styles:
            name = f"P{len(self.styles) + 1}"
            style = Style(name=name, family="paragraph", parentstylename=parent)
            paragraph = {"writingmode": "rl-tb" if rtl else "lr-tb", "textalign": "start"}
            if indent:
                paragraph["marginright" if rtl else "marginleft"] = f"{INDENT_CM * indent:.2f}cm"
            if page_break:
                paragraph["breakbefore"] = "page"
            style.addElement(ParagraphProperties(**paragraph))
            text = {"language": "en" if rtl else language, "country": "GB" if rtl else COUNTRIES.get(language, "")}
            if rtl:
                text.update(fontnamecomplex=URDU_FONT, fontname=URDU_FONT, languagecomplex=language,
                            countrycomplex=COUNTRIES.get(language, ""))
            style.addElement(TextProperties(**text))
            self.document.automaticstyles.addElement(style)
            self.styles[key] = name
        return self.styles[key]

    def _text_style(self, run: Run) -> str | None:
        key = ("text", run.bold, run.italic, run.code, bool(run.href))
        if not any(key[1:]):
            return None
        if key not in self.styles:
            name = f"T{len(self.styles) + 1}"
            properties = {}
            if run.bold:
                properties.update(fontweight="bold", fontweightcomplex="bold")
            if run.italic:
                properties.update(fontstyle="italic", fontstylecomplex="italic")
            if run.code:
                properties.update(fontname=CODE_FONT)
            if run.href:
                properties.update(color="#1f4e9a", textunderlinestyle="solid", textunderlinewidth="auto",
                                  textunderlinecolor="font-color")
            style = Style(name=name, family="text")
            style.addElement(TextProperties(**properties))
            self.document.automaticstyles.addElement(style)
            self.styles[key] = name
        return self.styles[key]

    def _cell_style(self) -> str:
        key = ("cell",)
        if key not in self.styles:
            style = Style(name="Cell", family="table-cell")
            style.addElement(TableCellProperties(border="0.5pt solid #000000", padding="0.1cm"))
            self.document.automaticstyles.addElement(style)
            self.styles[key] = "Cell"
        return self.styles[key]

