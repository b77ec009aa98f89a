"""Reading a Word document (.docx) into pieces (pieces.py), from the parts intake.py opened with a hardened
XML parser: the body's paragraphs and tables in order, headings from their styles (or outline levels), list
items with their numbers worked out from numbering.xml as Word shows them, bold, italics and links, footnotes.

Left out and counted, for the preview: images, text boxes, charts and embedded objects, comments, and tracked
changes not yet accepted — the text is read as it stood before them (an insertion not accepted is left out, a
deletion not accepted is kept), which is the text everyone has agreed on so far."""
import re

from app.documents.blocks import Run
from app.documents.pieces import MAX_LEVEL, MONOSPACE, Counters, Piece, Reading, formatted, whole_bold, whole_number

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
V = "{urn:schemas-microsoft-com:vml}"
NUMBER_FORMATS = {"decimal": "decimal", "decimalZero": "decimal", "lowerLetter": "lower-letter",
                  "upperLetter": "upper-letter", "lowerRoman": "lower-roman", "upperRoman": "upper-roman"}
OFF = ("0", "false", "off")


def _on(element) -> bool:
    return element is not None and element.get(f"{W}val", "true") not in OFF


class _Styles:
    """Paragraph styles by id: name, the style it is based on, its outline level and list numbering."""

    def __init__(self, root):
        self.styles = {}
        for style in (root.iter(f"{W}style") if root is not None else ()):
            name = style.find(f"{W}name")
            based = style.find(f"{W}basedOn")
            ppr = style.find(f"{W}pPr")
            rpr = style.find(f"{W}rPr")
            self.styles[style.get(f"{W}styleId")] = {
                "name": (name.get(f"{W}val") if name is not None else "").lower(),
                "based": based.get(f"{W}val") if based is not None else None,
                "outline": _outline(ppr), "numbering": _numbering(ppr),
                "bold": _on(rpr.find(f"{W}b")) if rpr is not None and rpr.find(f"{W}b") is not None else None,
                "italic": _on(rpr.find(f"{W}i")) if rpr is not None and rpr.find(f"{W}i") is not None else None}

    def chain(self, style_id):
        seen = set()
        while style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            yield self.styles[style_id]
            style_id = self.styles[style_id]["based"]

    def first(self, style_id, key):
        return next((style[key] for style in self.chain(style_id) if style[key] is not None), None)


def _formats(rpr, bold: bool, italic: bool) -> tuple[bool, bool]:
    """A run's bold and italics: its own (or its complex-script ones, which Urdu text carries), or a character
    style's, or the paragraph's."""
    for tags, current in (((f"{W}b", f"{W}bCs"), bold), ((f"{W}i", f"{W}iCs"), italic)):
        found = next((rpr.find(tag) for tag in tags if rpr.find(tag) is not None), None)
        if tags[0] == f"{W}b":
            bold = _on(found) if found is not None else current
        else:
            italic = _on(found) if found is not None else current
    style = rpr.find(f"{W}rStyle")
    name = (style.get(f"{W}val") or "").lower() if style is not None else ""
    return bold or name in ("strong", "strongemphasis"), italic or name == "emphasis"


def _indent(ppr) -> float:
    """The paragraph's own indentation at its start (w:ind w:start, or w:left as older files write it), in cm."""
    ind = ppr.find(f"{W}ind") if ppr is not None else None
    value = (ind.get(f"{W}start") or ind.get(f"{W}left")) if ind is not None else None
    return (whole_number(value, 0, 56_700) or 0) / 567


def _table_of_contents(sdt) -> bool:
    """A content control holding a table of contents (Sanad makes its own from the headings)."""
    gallery = sdt.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
    return gallery is not None and "contents" in (gallery.get(f"{W}val") or "").lower()


def _outline(ppr):
    level = ppr.find(f"{W}outlineLvl") if ppr is not None else None
    value = whole_number(level.get(f"{W}val")) if level is not None else None
    return value + 1 if value is not None and value < MAX_LEVEL else None


def _numbering(ppr):
    numpr = ppr.find(f"{W}numPr") if ppr is not None else None
    if numpr is None:
        return None
    num, ilvl = numpr.find(f"{W}numId"), numpr.find(f"{W}ilvl")
    return (num.get(f"{W}val") if num is not None else None,
            whole_number(ilvl.get(f"{W}val"), 0, MAX_LEVEL - 1) if ilvl is not None else 0)


class _Numbering:
    """numbering.xml: each list's levels (format and start), and the counters as the document goes on."""

    def __init__(self, root):
        abstract = {}
        for element in (root.iter(f"{W}abstractNum") if root is not None else ()):
            abstract[element.get(f"{W}abstractNumId")] = {
                whole_number(level.get(f"{W}ilvl"), 0, MAX_LEVEL - 1): _level(level)
                for level in element.iter(f"{W}lvl")}
        self.lists = {}
        for element in (root.iter(f"{W}num") if root is not None else ()):
            reference = element.find(f"{W}abstractNumId")
            levels = dict(abstract.get(reference.get(f"{W}val") if reference is not None else None, {}))
            for override in element.iter(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                level = whole_number(override.get(f"{W}ilvl"), 0, MAX_LEVEL - 1)
                value = whole_number(start.get(f"{W}val")) if start is not None else None
                if value is not None:
                    levels[level] = (levels.get(level, ("decimal", 1))[0], value)
            self.lists[element.get(f"{W}numId")] = levels
        self.counters: dict[str, Counters] = {}

    def item(self, num_id, level: int) -> tuple[bool, str]:
        """Whether the item is numbered, and its number as shown."""
        if num_id in (None, "0") or num_id not in self.lists:
            return False, ""
        style, start = self.lists[num_id].get(level, ("bullet", 1))
        counters = self.counters.setdefault(num_id, Counters())
        value = counters.next(level, start)
        if style not in NUMBER_FORMATS.values():
            return False, ""
        return True, formatted(value, style)


def _level(element):
    fmt = element.find(f"{W}numFmt")
    start = element.find(f"{W}start")
    style = NUMBER_FORMATS.get(fmt.get(f"{W}val") if fmt is not None else "decimal", "bullet")
    return style, whole_number(start.get(f"{W}val"), 1) if start is not None else 1


class DocxReader:
    def __init__(self, package):
        self.package = package
        self.styles = _Styles(package.xml("word/styles.xml"))
        self.numbering = _Numbering(package.xml("word/numbering.xml"))
        self.links = {}
        rels = package.xml("word/_rels/document.xml.rels")
        for rel in (rels.iter(f"{RELS}Relationship") if rels is not None else ()):
            if rel.get("TargetMode") == "External":
                self.links[rel.get("Id")] = rel.get("Target")
        self.footnotes = self._notes("word/footnotes.xml", "footnote")
        self.endnotes = self._notes("word/endnotes.xml", "endnote")
        self.reading = Reading()
        self.fields: list[dict] = []  # the fields open where the reading is (_field)
        comments = package.xml("word/comments.xml")
        if comments is not None:
            self.reading.dropped["comment"] += sum(1 for _ in comments.iter(f"{W}comment"))

    def _notes(self, name: str, tag: str) -> dict[str, str]:
        root = self.package.xml(name)
        notes = {}
        for note in (root.iter(f"{W}{tag}") if root is not None else ()):
            if note.get(f"{W}type") in (None, "normal"):
                texts = [" ".join(self._plain(p).split()) for p in note.iter(f"{W}p")]
                notes[note.get(f"{W}id")] = " ".join(t for t in texts if t)
        return notes

    def _plain(self, paragraph) -> str:
        return "".join(element.text or "" for element in paragraph.iter()
                       if element.tag in (f"{W}t", f"{W}delText"))

    def read(self) -> Reading:
        body = self.package.xml("word/document.xml").find(f"{W}body")
        if body is not None:
            self._blocks(body)
        return self.reading

    def _blocks(self, parent) -> None:
        for element in parent:
            if element.tag == f"{W}p":
                self._paragraph(element)
            elif element.tag == f"{W}tbl":
                self._table(element)
            elif element.tag in (f"{W}sdt", f"{W}customXml") and not _table_of_contents(element):
                content = element.find(f"{W}sdtContent")
                self._blocks(content if content is not None else element)
            elif element.tag == f"{W}ins":  # whole paragraphs inserted and not accepted
                self.reading.dropped["insertion"] += 1
            elif element.tag == f"{W}del":
                self._blocks(element)

    def _paragraph(self, element) -> None:
        ppr = element.find(f"{W}pPr")
        style_id = None
        if ppr is not None and ppr.find(f"{W}pStyle") is not None:
            style_id = ppr.find(f"{W}pStyle").get(f"{W}val")
        names = [style["name"] for style in self.styles.chain(style_id)]
        numbering = _numbering(ppr) or self.styles.first(style_id, "numbering")
        notes: list[tuple[int, str]] = []
        contents = self._in_contents()
        runs = self._runs(element, notes, bold=bool(self.styles.first(style_id, "bold")),
                          italic=bool(self.styles.first(style_id, "italic")))
        piece = Piece("p", runs, notes=notes, rtl=ppr is not None and _on(ppr.find(f"{W}bidi")), indent=_indent(ppr))
        outline = _outline(ppr) or self.styles.first(style_id, "outline")
        heading = next((whole_number(name[8:], None, MAX_LEVEL) for name in names if name.startswith("heading ")), None)
        if any(re.fullmatch(r"(toc|contents) (heading|\d)", name) for name in names[:1]) or contents \
                or self._in_contents():
            return  # a table of contents: Sanad makes its own
        if names and names[0] == "title":
            piece.kind = "title"
        elif heading or outline:
            piece.kind, piece.level = "heading", heading or outline
        elif numbering is not None:
            num_id, level = numbering
            ordered, number = self.numbering.item(num_id, level)
            if num_id not in (None, "0"):
                # Word's "List Number 2", "List Bullet 3" are lists of their own, set deeper: a person sees a
                # second level
                deeper = next((int(name[-1]) for name in names if re.fullmatch(r"list (number|bullet) [2-9]", name)), 1)
                piece.kind, piece.level, piece.ordered, piece.number = "item", max(level + 1, deeper), ordered, number
        piece.bold = whole_bold(runs)
        if piece.text or piece.kind == "item":
            self.reading.pieces.append(piece)

    def _runs(self, parent, notes, *, bold=False, italic=False, href=None) -> list[Run]:
        runs: list[Run] = []
        for element in parent:
            tag = element.tag
            if tag == f"{W}r":
                runs.extend(self._run(element, notes, bold, italic, href))
            elif tag == f"{W}hyperlink":
                link = self.links.get(element.get(f"{R}id"))
                runs.extend(self._runs(element, notes, bold=bold, italic=italic, href=link))
            elif tag in (f"{W}ins", f"{W}moveTo"):
                self.reading.dropped["insertion"] += 1
            elif tag in (f"{W}del", f"{W}moveFrom"):
                self.reading.dropped["deletion"] += 1
                runs.extend(self._runs(element, notes, bold=bold, italic=italic, href=href))
            elif tag in (f"{W}smartTag", f"{W}fldSimple", f"{W}customXml", f"{W}bdo", f"{W}dir"):
                runs.extend(self._runs(element, notes, bold=bold, italic=italic, href=href))
            elif tag == f"{W}sdt":
                content = element.find(f"{W}sdtContent")
                if content is not None:
                    runs.extend(self._runs(content, notes, bold=bold, italic=italic, href=href))
            elif tag == f"{MC}AlternateContent":
                choice = element.find(f"{MC}Choice")
                if choice is not None:
                    runs.extend(self._runs(choice, notes, bold=bold, italic=italic, href=href))
        return runs

    def _run(self, element, notes, bold, italic, href, code=False) -> list[Run]:
        rpr = element.find(f"{W}rPr")
        if rpr is not None:
            if _on(rpr.find(f"{W}vanish")):  # hidden text
                return []
            bold, italic = _formats(rpr, bold, italic)
            fonts = rpr.find(f"{W}rFonts")
            code = code or (fonts is not None and bool(MONOSPACE.search(fonts.get(f"{W}ascii") or "")))
        runs = []
        for child in element:  # a field's instruction (w:instrText) is not text; its result (w:t) is
            tag = child.tag
            if tag in (f"{W}t", f"{W}delText"):
                runs.append(Run(child.text or "", bold, italic, code, href or self._field_link()))
            elif tag in (f"{W}fldChar", f"{W}instrText"):
                self._field(child)
            elif tag == f"{W}tab":
                runs.append(Run(" ", bold, italic, False, href))
            elif tag in (f"{W}br", f"{W}cr"):  # a page or column break inside a paragraph parts words too
                runs.append(Run(" " if child.get(f"{W}type") in ("page", "column") else "\n", bold, italic, False,
                                href))
            elif tag == f"{W}noBreakHyphen":
                runs.append(Run("-", bold, italic, False, href))
            elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
                runs.extend(self._note(child, notes, bold, italic))
            elif tag in (f"{W}drawing", f"{W}pict", f"{W}object"):
                self._drop_drawing(child)
            elif tag == f"{MC}AlternateContent":
                choice = child.find(f"{MC}Choice")
                self._drop_drawing(choice if choice is not None else child)
        return runs

    def _field(self, element) -> None:
        """Word's fields, begun, instructed, separated from their result and ended across runs: a HYPERLINK
        field's result is a link (a PAGE or TOC field's result is just its text)."""
        if element.tag == f"{W}instrText":
            if self.fields and self.fields[-1]["stage"] == "instruction":
                self.fields[-1]["instruction"] += element.text or ""
            return
        kind = element.get(f"{W}fldCharType")
        if kind == "begin" and len(self.fields) < 20:
            self.fields.append({"stage": "instruction", "instruction": ""})
        elif kind == "separate" and self.fields:
            self.fields[-1]["stage"] = "result"
        elif kind == "end" and self.fields:
            self.fields.pop()

    def _in_contents(self) -> bool:
        """Inside the result of a TOC field (a table of contents written without a content control)."""
        return any(field["stage"] == "result" and field["instruction"].strip().upper().startswith("TOC")
                   for field in self.fields)

    def _field_link(self) -> str | None:
        for field in reversed(self.fields):
            found = re.match(r'\s*HYPERLINK\s+"([^"]+)"', field["instruction"])
            if field["stage"] == "result" and found:
                return found.group(1)
        return None

    def _note(self, reference, notes, bold, italic) -> list[Run]:
        """A footnote or endnote: its number where it was called, its words kept for the end of the part."""
        found = (self.footnotes if reference.tag == f"{W}footnoteReference" else self.endnotes).get(
            reference.get(f"{W}id"))
        if not found:
            return []
        number = self.reading.note(found)
        notes.append((number, found))
        return [Run(f"[{number}]", bold, italic, False, None)]

    def _drop_drawing(self, element) -> None:
        tags = {e.tag for e in element.iter()}
        if f"{W}txbxContent" in tags or f"{V}textbox" in tags:
            self.reading.dropped["text_box"] += 1
        elif any(tag.endswith("}chart") for tag in tags):
            self.reading.dropped["chart"] += 1
        elif any(tag.endswith("}blip") or tag == f"{V}imagedata" for tag in tags):
            self.reading.dropped["image"] += 1
        else:
            self.reading.dropped["object"] += 1

    def _table(self, element) -> None:
        """A table's rows of cells: a cell merged down from the one above (w:vMerge) holds that cell's text, as a
        person reads it; one spanning columns (w:gridSpan) is followed by empty cells, so the columns stay in
        line. Its footnotes go with it."""
        rows, notes, above = [], [], {}
        for row in element.findall(f"{W}tr"):
            cells: list[list[Run]] = []
            for cell in row.findall(f"{W}tc"):
                properties = cell.find(f"{W}tcPr")
                span = merge = None
                if properties is not None:
                    span = properties.find(f"{W}gridSpan")
                    merge = properties.find(f"{W}vMerge")
                column = len(cells)
                if merge is not None and merge.get(f"{W}val", "continue") == "continue":
                    cells.append(list(above.get(column, [])))
                else:
                    cells.append(self._cell(cell, notes))
                above[column] = cells[-1]
                extra = (whole_number(span.get(f"{W}val"), 1, 64) if span is not None else 1) - 1
                cells.extend([] for _ in range(extra))
            if any("".join(r.text for r in cell).strip() for cell in cells):
                rows.append(cells)
        if rows:
            first = element.find(f"{W}tr/{W}trPr/{W}tblHeader")
            self.reading.pieces.append(Piece("table", rows=rows, notes=notes, bold=first is not None and _on(first)))

    def _cell(self, cell, notes) -> list[Run]:
        runs: list[Run] = []
        for paragraph in cell.iter(f"{W}p"):
            found = self._runs(paragraph, notes)
            if found and runs:
                runs.append(Run("\n"))
            runs.extend(found)
        return runs


def read(package) -> Reading:
    return DocxReader(package).read()
