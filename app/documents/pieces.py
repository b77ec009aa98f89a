"""What a reader (read_docx.py, read_odt.py) finds in an uploaded document, whatever its format: its
paragraph-like pieces in order, each with its formatted runs, and what it left out and why.

A piece says what the document says it is (a Title paragraph, a heading of level 2, the third item of a
numbered list); what that means for a declaration — the title, a section, a recommendation — is decided
afterwards, by Sanad's own rules (structure.py)."""
import re
from collections import Counter
from dataclasses import dataclass, field

from app.documents.blocks import Run

# What a reader leaves out, counted for the preview: the key, and whether the count is of things or of changes.
DROPPED_KINDS = ("image", "text_box", "comment", "insertion", "deletion", "chart", "object")


@dataclass
class Piece:
    """One paragraph, list item, heading or table of the source document. kind: "title", "heading", "p",
    "item" or "table"."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 0  # a heading's level (1 is the top), a list item's depth (1 is the outer list)
    number: str = ""  # an automatically numbered item's own number as shown ("3", "b", "iv"); "" otherwise
    ordered: bool = False  # a list item of a numbered list
    bold: bool = False  # the whole paragraph is bold (a heading styled by hand, perhaps); a table's first row is
    # marked as its header row
    rtl: bool = False
    indent: float = 0.0  # the paragraph's indentation at its start, in cm (how a typed list item shows its depth)
    typed: str = ""  # a list item whose number was typed by hand: its form ("digit.", "letter.", "digit-"), or "•"
    rows: list[list[list[Run]]] = field(default_factory=list)  # a table's rows of cells
    notes: list[tuple[int, str]] = field(default_factory=list)  # the footnotes it calls: (number, text)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs).strip()


@dataclass
class Reading:
    pieces: list[Piece] = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)
    notes: int = 0  # footnotes numbered so far, across the document

    def note(self, text: str) -> int:
        self.notes += 1
        return self.notes


# Fonts that set code apart (Sanad's export writes code in Courier New or Liberation Mono).
MONOSPACE = re.compile(r"courier|mono|consolas|menlo|fixedsys|lucida console", re.I)
MAX_LEVEL = 9  # headings and list levels, as Word and LibreOffice have them


def whole_number(value: str | None, default: int | None = None, high: int = 10_000) -> int | None:
    """A count or level as a file writes it ("3"), or default: not digits in ASCII ("²", "x", ""), or above high."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 6 or int(value) > high:
        return default
    return int(value)


INDENT_STEP_CM = 0.9  # one level of a list typed by hand, as Sanad's export indents it (docx.py, odt.py)


def length_cm(value: str | None) -> float:
    """An ODF length ("0.90cm", "0.3543in", "10mm", "12pt") in cm; 0 when it is not one."""
    found = re.fullmatch(r"\s*(-?[0-9.]+)\s*(cm|mm|in|pt|pc)?\s*", value or "")
    if not found:
        return 0.0
    try:
        number = float(found.group(1))
    except ValueError:
        return 0.0
    cm = number * {"cm": 1, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72, "pc": 2.54 / 6}.get(found.group(2) or "cm", 1)
    return max(-100.0, min(cm, 100.0))  # no page is wider


def whole_bold(runs: list[Run]) -> bool:
    """Every visible character of the paragraph is bold."""
    visible = [run for run in runs if run.text.strip()]
    return bool(visible) and all(run.bold for run in visible)


ROMAN = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90), ("l", 50), ("xl", 40),
         ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def formatted(number: int, style: str) -> str:
    """A list counter as the document shows it. style: "decimal", "lower-letter", "upper-letter",
    "lower-roman", "upper-roman"."""
    if style in ("lower-letter", "upper-letter"):
        letters = ""
        while number > 0:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if style == "upper-letter" else letters
    if style in ("lower-roman", "upper-roman"):
        roman = ""
        for letters, value in ROMAN:
            while number >= value:
                roman, number = roman + letters, number - value
        return roman.upper() if style == "upper-roman" else roman
    return str(number)


class Counters:
    """The counters of one list across its levels: a level's counter restarts when a shallower level moves on."""

    def __init__(self):
        self.values: dict[int, int] = {}

    def next(self, level: int, start: int = 1) -> int:
        for deeper in [key for key in self.values if key > level]:
            del self.values[deeper]
        self.values[level] = self.values.get(level, start - 1) + 1
        return self.values[level]

    def set(self, level: int, value: int) -> None:
        self.values[level] = value - 1
