"""The sanitized HTML Sanad keeps of a text (app/markup.py), read into the blocks a word processor has:
paragraphs, headings, list items, quotations, preformatted text and tables, each a list of runs.

Only the tags app/markup.ALLOWED_TAGS lets through can appear; anything else is read for its text alone."""
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass(frozen=True)
class Run:
    """A stretch of text with one format."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


@dataclass
class Block:
    """One paragraph-like thing. kind: "p", "heading", "item", "pre", "rule" or "table"."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 0  # a heading's level (1 is the text's top), a list item's depth (1 is the outer list)
    marker: str = ""  # a list item's "•" or "3."
    quote: bool = False
    rows: list[list[tuple[bool, list[Run]]]] = field(default_factory=list)  # a table: (is header, runs) per cell

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


_HEADINGS = {"h3": 1, "h4": 2, "h5": 3, "h6": 4}
_BOLD, _ITALIC, _CODE = frozenset({"strong", "b"}), frozenset({"em", "i"}), "code"
_BLOCK_TAGS = frozenset({"p", "blockquote", "pre", "ul", "ol", "li", "hr", *_HEADINGS})


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.formats: list[str] = []
        self.hrefs: list[str | None] = []
        self.lists: list[list] = []  # [ordered, next number] per open list
        self.quote = 0
        self.pre = 0
        self.table: Block | None = None
        self.cell: list[Run] | None = None
        self.header_cell = False

    # -- blocks --
    def _start(self, kind: str, **fields) -> Block:
        self._end()
        self.current = Block(kind, quote=self.quote > 0, **fields)
        return self.current

    def _end(self) -> None:
        block, self.current = self.current, None
        if block is not None and (block.text.strip() or block.kind == "rule"):
            block.runs = _trimmed(block.runs) if block.kind != "pre" else block.runs
            self.blocks.append(block)

    def _continuation(self) -> Block:
        """Text outside any block (after a nested list closes, or loose in a list item or quotation)."""
        if self.lists:
            return self._start("item", level=len(self.lists), marker="")
        return self._start("p")

    def _opens_item_text(self, tag: str) -> bool:
        """The <p> of a loose list's item ("- a" and "- b" a blank line apart): it holds the item's text, so the
        item goes on instead of a paragraph starting."""
        return tag == "p" and self.current is not None and self.current.kind == "item" and not self.current.text.strip()

    def handle_starttag(self, tag, attrs):
        if self.table is None and tag in _BLOCK_TAGS and not self._opens_item_text(tag):
            self._end()
            self._start_block(tag)
        elif tag == "table":
            self.table = Block("table", quote=self.quote > 0)
        elif tag == "tr" and self.table is not None:
            self.table.rows.append([])
        elif tag in ("td", "th") and self.table is not None and self.table.rows:
            self.cell, self.header_cell = [], tag == "th"
        elif tag == "br":
            self._text("\n")
        elif tag == "a":
            self.hrefs.append(dict(attrs).get("href"))
        self.formats.append(tag)

    def _start_block(self, tag: str) -> None:
        if tag == "p":
            self._start("p")
        elif tag in _HEADINGS:
            self._start("heading", level=_HEADINGS[tag])
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "pre":
            self.pre += 1
            self._start("pre")
        elif tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 1])
        elif tag == "li" and self.lists:
            ordered = self.lists[-1]
            marker = f"{ordered[1]}." if ordered[0] else "•"
            ordered[1] += 1
            self._start("item", level=len(self.lists), marker=marker)
        elif tag == "hr":
            self.blocks.append(Block("rule"))

    def handle_endtag(self, tag):
        if tag in self.formats:
            while self.formats and self.formats.pop() != tag:
                pass
        if tag == "a" and self.hrefs:
            self.hrefs.pop()
        elif tag in ("td", "th") and self.cell is not None and self.table is not None:
            self.table.rows[-1].append((self.header_cell, _trimmed(self.cell)))
            self.cell = None
        elif tag == "table" and self.table is not None:
            table, self.table = self.table, None
            table.rows = [row for row in table.rows if row]
            if table.rows:
                self.blocks.append(table)
        elif self.table is not None:
            return
        elif tag in ("p", "li", *_HEADINGS):
            self._end()
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self._end()
        elif tag in ("ul", "ol") and self.lists:
            self._end()
            self.lists.pop()
        elif tag == "blockquote":
            self._end()
            self.quote = max(0, self.quote - 1)

    def handle_data(self, data):
        self._text(data)

    def _text(self, data: str) -> None:
        if not data:
            return
        if not self.pre:
            data = " ".join(data.split("\n")) if data != "\n" else data
            runs = self.cell if self.cell is not None else self.current.runs if self.current is not None else []
            if runs and runs[-1].text.endswith("\n"):
                data = data.lstrip(" ")  # the HTML's own line break after a <br>
        formats = set(self.formats)
        run = Run(data, bold=bool(formats & _BOLD), italic=bool(formats & _ITALIC),
                  code=_CODE in formats or self.pre > 0, href=self.hrefs[-1] if self.hrefs else None)
        if self.cell is not None:
            self.cell.append(run)
            return
        if self.table is not None:
            return  # whitespace between rows and cells
        if self.current is None:
            if not data.strip():
                return
            self._continuation()
        self.current.runs.append(run)

    def close(self):
        super().close()
        self._end()


def _trimmed(runs: list[Run]) -> list[Run]:
    """Runs without the whitespace the HTML's layout put at their start and end."""
    runs = [run for run in runs if run.text]
    if runs:
        runs[0] = Run(runs[0].text.lstrip(), runs[0].bold, runs[0].italic, runs[0].code, runs[0].href)
        runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].bold, runs[-1].italic, runs[-1].code, runs[-1].href)
    return [run for run in runs if run.text]


def html_blocks(html: str) -> list[Block]:
    """The blocks of a stored, sanitized HTML text, in order."""
    reader = _Reader()
    reader.feed(html or "")
    reader.close()
    return reader.blocks
