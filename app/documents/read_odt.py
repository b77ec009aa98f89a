"""Reading an OpenDocument text (.odt) into pieces (pieces.py), from content.xml and styles.xml as intake.py
opened them: headings (text:h, or a paragraph whose style is a heading's), list items with their numbers from
the list styles, tables, bold and italics from the automatic styles, links and footnotes.

Left out and counted, as for Word (read_docx.py): images, text boxes and other frames, comments, and tracked
changes not yet accepted — an insertion is left out and a deletion put back where it was."""
import re

from app.documents.blocks import Run
from app.documents.pieces import (
    MAX_LEVEL,
    MONOSPACE,
    Counters,
    Piece,
    Reading,
    formatted,
    length_cm,
    whole_bold,
    whole_number,
)

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
XLINK = "{http://www.w3.org/1999/xlink}"
INLINE_SKIPPED = (f"{OFFICE}annotation-end", f"{TEXT}bookmark-start", f"{TEXT}bookmark-end", f"{TEXT}bookmark",
                  f"{TEXT}soft-page-break", f"{TEXT}reference-mark-start", f"{TEXT}reference-mark-end",
                  f"{TEXT}sequence-ref")
NUMBER_FORMATS = {"1": "decimal", "a": "lower-letter", "A": "upper-letter", "i": "lower-roman", "I": "upper-roman"}
SKIPPED = (f"{TEXT}tracked-changes", f"{TEXT}sequence-decls", f"{TEXT}variable-decls", f"{TEXT}user-field-decls",
           f"{OFFICE}forms", f"{TEXT}table-of-content", f"{TEXT}alphabetical-index", f"{TEXT}soft-page-break")


class _Styles:
    """Text and paragraph styles (automatic and named): bold, italic, direction, parent; list styles' levels."""

    def __init__(self, *roots):
        self.styles, self.lists = {}, {}
        for root in roots:
            if root is None:
                continue
            for style in root.iter(f"{STYLE}style"):
                text = style.find(f"{STYLE}text-properties")
                paragraph = style.find(f"{STYLE}paragraph-properties")
                self.styles[style.get(f"{STYLE}name")] = {
                    "parent": style.get(f"{STYLE}parent-style-name"),
                    "display": (style.get(f"{STYLE}display-name") or style.get(f"{STYLE}name") or "").lower(),
                    "outline": style.get(f"{STYLE}default-outline-level"),
                    "list": style.get(f"{STYLE}list-style-name"),
                    "bold": _weight(text), "italic": _italic(text),
                    "code": bool(MONOSPACE.search(text.get(f"{STYLE}font-name") or text.get(f"{FO}font-family") or ""))
                    if text is not None and (text.get(f"{STYLE}font-name") or text.get(f"{FO}font-family")) else None,
                    "rtl": (paragraph.get(f"{STYLE}writing-mode") or "").startswith("rl")
                    if paragraph is not None and paragraph.get(f"{STYLE}writing-mode") else None,
                    "indent": _start_margin(paragraph)}
            for list_style in root.iter(f"{TEXT}list-style"):
                levels = {}
                for level in list_style:
                    depth = whole_number(level.get(f"{TEXT}level", "1"), None, 10)  # ODF's ten levels
                    if depth is None:
                        continue
                    if level.tag == f"{TEXT}list-level-style-number":
                        levels[depth] = (NUMBER_FORMATS.get(level.get(f"{STYLE}num-format") or "", "bullet"),
                                         whole_number(level.get(f"{TEXT}start-value"), 1))
                    else:
                        levels[depth] = ("bullet", 1)
                self.lists[list_style.get(f"{STYLE}name")] = levels

    def chain(self, name):
        seen = set()
        while name in self.styles and name not in seen:
            seen.add(name)
            yield self.styles[name]
            name = self.styles[name]["parent"]

    def first(self, name, key):
        return next((style[key] for style in self.chain(name) if style[key] is not None), None)


def _start_margin(paragraph) -> float | None:
    """A paragraph style's indentation at the start of its lines, in cm (the right margin of a right-to-left one)."""
    if paragraph is None:
        return None
    rtl = (paragraph.get(f"{STYLE}writing-mode") or "").startswith("rl")
    value = paragraph.get(f"{FO}margin-right" if rtl else f"{FO}margin-left")
    return length_cm(value) if value else None


def _weight(properties):
    if properties is None:
        return None
    weight = properties.get(f"{FO}font-weight") or properties.get(f"{STYLE}font-weight-complex")
    return None if weight is None else weight == "bold" or (weight.isdigit() and int(weight) >= 600)


def _italic(properties):
    if properties is None:
        return None
    style = properties.get(f"{FO}font-style") or properties.get(f"{STYLE}font-style-complex")
    return None if style is None else style in ("italic", "oblique")


class OdtReader:
    def __init__(self, package):
        self.package = package
        content, styles = package.xml("content.xml"), package.xml("styles.xml")
        self.content = content
        self.styles = _Styles(styles, content)
        self.reading = Reading()
        self.changes = {}  # change id → ("insertion" | "deletion", the deleted text)
        self.counters: dict[str, Counters] = {}
        self.last_list_style = None
        self.skipping: str | None = None  # inside an insertion not accepted: its change id
        self.code = False  # the text being read is set in a monospace font

    def read(self) -> Reading:
        body = self.content.find(f"{OFFICE}body")
        text = body.find(f"{OFFICE}text") if body is not None else None
        if text is None:
            return self.reading
        for changes in text.iter(f"{TEXT}tracked-changes"):
            for region in changes.iter(f"{TEXT}changed-region"):
                ident = region.get(f"{TEXT}id") or region.get("{http://www.w3.org/XML/1998/namespace}id")
                if region.find(f"{TEXT}insertion") is not None:
                    self.changes[ident] = ("insertion", "")
                    self.reading.dropped["insertion"] += 1
                elif region.find(f"{TEXT}deletion") is not None:
                    deleted = region.find(f"{TEXT}deletion")
                    words = " ".join("".join(p.itertext()) for p in deleted if p.tag in (f"{TEXT}p", f"{TEXT}h"))
                    self.changes[ident] = ("deletion", words)
                    self.reading.dropped["deletion"] += 1
        self._blocks(text, list_style=None, depth=0)
        return self.reading

    def _blocks(self, parent, list_style, depth) -> None:
        for element in parent:
            tag = element.tag
            if tag in SKIPPED:
                continue
            if tag == f"{TEXT}h":
                self._heading(element)
            elif tag == f"{TEXT}p":
                self._paragraph(element, list_style, depth, item=False)
            elif tag == f"{TEXT}list":
                self._list(element, list_style, depth)
            elif tag == f"{TABLE}table":
                self._table(element)
            elif tag in (f"{TEXT}section", f"{TEXT}index-body"):
                self._blocks(element, list_style, depth)
            elif tag == f"{TEXT}change-start":
                self._change_start(element)
            elif tag == f"{TEXT}change-end":
                self._change_end(element)
            elif tag == f"{DRAW}frame":
                self._drop_frame(element)

    def _list(self, element, inherited, depth) -> None:
        style = element.get(f"{TEXT}style-name") or inherited
        depth += 1
        if depth == 1 and style is not None:
            continues = element.get(f"{TEXT}continue-numbering") == "true" or element.get(f"{TEXT}continue-list")
            if not continues:
                self.counters[style] = Counters()
        for item in element:
            if item.tag not in (f"{TEXT}list-item", f"{TEXT}list-header"):
                continue
            first = True
            for child in item:
                if child.tag == f"{TEXT}p" and first:
                    numbered = item.tag == f"{TEXT}list-item"
                    start = whole_number(item.get(f"{TEXT}start-value"))
                    if start is not None and style is not None:
                        self.counters.setdefault(style, Counters()).set(depth, start)
                    self._paragraph(child, style, depth, item=numbered)
                    first = False
                elif child.tag == f"{TEXT}list":
                    self._list(child, style, depth)
                elif child.tag == f"{TEXT}h":
                    self._heading(child)
                    first = False
                elif child.tag == f"{TEXT}p":
                    self._paragraph(child, style, depth, item=False, continued=True)

    def _heading(self, element) -> None:
        level = element.get(f"{TEXT}outline-level")
        runs, notes = self._inline(element)
        piece = Piece("heading", runs, level=whole_number(level, 1, MAX_LEVEL) or 1, notes=notes,
                      rtl=bool(self.styles.first(element.get(f"{TEXT}style-name"), "rtl")))
        if self._is_title(element.get(f"{TEXT}style-name")):
            piece.kind, piece.level = "title", 0
        piece.bold = whole_bold(runs)
        if piece.text:
            self.reading.pieces.append(piece)

    def _heading_style(self, name) -> int | None:
        """A paragraph in a style named "Heading 2" (as a file converted from HTML or Word may have it, without
        an outline level) is a heading of that level."""
        found = next((re.fullmatch(r"heading[ _]*(\d)", style["display"]) for style in self.styles.chain(name)
                      if re.fullmatch(r"heading[ _]*(\d)", style["display"])), None)
        return int(found.group(1)) if found and int(found.group(1)) else None

    def _is_title(self, name) -> bool:
        return any(style["display"] == "title" for style in self.styles.chain(name))

    def _paragraph(self, element, list_style, depth, item, continued=False) -> None:
        name = element.get(f"{TEXT}style-name")
        runs, notes = self._inline(element, bold=bool(self.styles.first(name, "bold")),
                                   italic=bool(self.styles.first(name, "italic")))
        piece = Piece("p", runs, notes=notes, rtl=bool(self.styles.first(name, "rtl")),
                      indent=self.styles.first(name, "indent") or 0.0)
        outline = whole_number(self.styles.first(name, "outline"), None, MAX_LEVEL) or self._heading_style(name)
        if self._is_title(name):
            piece.kind = "title"
        elif outline:
            piece.kind, piece.level = "heading", outline
        elif depth:
            levels = self.styles.lists.get(list_style, {})
            kind, start = levels.get(depth, ("bullet", 1))
            piece.kind, piece.level = "item", depth
            if item and kind != "bullet":
                value = self.counters.setdefault(list_style, Counters()).next(depth, start)
                piece.ordered, piece.number = True, formatted(value, kind)
            elif continued:
                piece.kind = "p"
        piece.bold = whole_bold(runs)
        if piece.text:
            self.reading.pieces.append(piece)

    def _change_start(self, element) -> None:
        ident = element.get(f"{TEXT}change-id")
        if self.changes.get(ident, ("",))[0] == "insertion":
            self.skipping = ident

    def _change_end(self, element) -> None:
        if element.get(f"{TEXT}change-id") == self.skipping:
            self.skipping = None

    def _inline(self, parent, *, bold=False, italic=False, href=None, code=False) -> tuple[list[Run], list]:
        runs: list[Run] = []
        notes: list[tuple[int, str]] = []
        self.code = code
        self._text(runs, parent.text, bold, italic, href)
        for child in parent:
            self._inline_child(child, runs, notes, bold, italic, href)
            self.code = code
            self._text(runs, child.tail, bold, italic, href)
        return runs, notes

    def _text(self, runs, words, bold, italic, href) -> None:
        if words and self.skipping is None:
            runs.append(Run(words, bold, italic, self.code, href))

    def _inline_child(self, child, runs, notes, bold, italic, href) -> None:
        tag = child.tag
        if tag in (f"{TEXT}span", f"{TEXT}a"):
            name = child.get(f"{TEXT}style-name")
            inner, inner_notes = self._inline(
                child, bold=self._or(self.styles.first(name, "bold"), bold),
                italic=self._or(self.styles.first(name, "italic"), italic),
                href=child.get(f"{XLINK}href") if tag == f"{TEXT}a" else href,
                code=self._or(self.styles.first(name, "code"), self.code))
            runs.extend(inner)
            notes.extend(inner_notes)
        elif tag == f"{TEXT}s":
            self._text(runs, " " * whole_number(child.get(f"{TEXT}c"), 1, 100), bold, italic, href)
        elif tag in (f"{TEXT}tab", f"{TEXT}line-break"):
            self._text(runs, " " if tag == f"{TEXT}tab" else "\n", bold, italic, href)
        elif tag == f"{TEXT}note":
            self._note(child, runs, notes, bold, italic)
        elif tag == f"{OFFICE}annotation":
            self.reading.dropped["comment"] += 1
        elif tag == f"{DRAW}frame":
            self._drop_frame(child)
        elif tag == f"{TEXT}change-start":
            self._change_start(child)
        elif tag == f"{TEXT}change-end":
            self._change_end(child)
        elif tag == f"{TEXT}change":
            kind, words = self.changes.get(child.get(f"{TEXT}change-id"), ("", ""))
            if kind == "deletion":
                self._text(runs, words, bold, italic, href)
        elif tag not in INLINE_SKIPPED:
            inner, inner_notes = self._inline(child, bold=bold, italic=italic, href=href)
            runs.extend(inner)
            notes.extend(inner_notes)

    def _note(self, note, runs, notes, bold, italic) -> None:
        """A footnote: its number in the text where it was called, its words kept for the end of the part."""
        body = note.find(f"{TEXT}note-body")
        if self.skipping is not None or body is None:
            return
        words = " ".join(" ".join("".join(p.itertext()).split()) for p in body.iter(f"{TEXT}p"))
        if words:
            number = self.reading.note(words)
            notes.append((number, words))
            runs.append(Run(f"[{number}]", bold, italic))

    @staticmethod
    def _or(value, inherited):
        return inherited if value is None else value

    def _drop_frame(self, frame) -> None:
        tags = {element.tag for element in frame.iter()}
        if f"{DRAW}text-box" in tags:
            self.reading.dropped["text_box"] += 1
        elif f"{DRAW}image" in tags:
            self.reading.dropped["image"] += 1
        else:
            self.reading.dropped["object"] += 1

    def _table(self, element) -> None:
        """A table's rows of cells; a cell covered by a merged one above or to its left holds the merged cell's
        text, so that the columns stay in line (as a person reads them). Its footnotes go with it."""
        rows, notes, above, down = [], [], {}, {}  # down: column → rows a merged cell above still covers
        for row in element.iter(f"{TABLE}table-row"):
            cells: list[list[Run]] = []
            across = 0  # cells a merged cell to the left still covers in this row
            for cell in row:
                column = len(cells)
                if cell.tag == f"{TABLE}covered-table-cell":
                    if across:
                        cells.append([])  # covered from the left: the merged cell's text is said once
                        across -= 1
                        continue
                    cells.append(list(above.get(column, [])) if down.get(column, 0) > 0 else [])
                    down[column] = down.get(column, 0) - 1
                    continue
                if cell.tag != f"{TABLE}table-cell":
                    continue
                runs: list[Run] = []
                for paragraph in _cell_paragraphs(cell):
                    found, found_notes = self._inline(paragraph)
                    notes.extend(found_notes)
                    if found and runs:
                        runs.append(Run("\n"))
                    runs.extend(found)
                cells.append(runs)
                above[column] = runs
                down[column] = (whole_number(cell.get(f"{TABLE}number-rows-spanned"), 1, 1000) or 1) - 1
                across = (whole_number(cell.get(f"{TABLE}number-columns-spanned"), 1, 64) or 1) - 1
            if any("".join(r.text for r in cell).strip() for cell in cells):
                rows.append(cells)
        if rows:
            header = element.find(f"{TABLE}table-header-rows") is not None
            self.reading.pieces.append(Piece("table", rows=rows, notes=notes, bold=header))


def _cell_paragraphs(element, depth: int = 0):
    """A cell's paragraphs and headings, in lists too, but not a footnote's (read with its call) or a frame's."""
    for child in element:
        if child.tag in (f"{TEXT}p", f"{TEXT}h"):
            yield child
        elif child.tag not in (f"{TEXT}note", f"{DRAW}frame", f"{OFFICE}annotation") and depth < 20:
            yield from _cell_paragraphs(child, depth + 1)


def read(package) -> Reading:
    return OdtReader(package).read()
