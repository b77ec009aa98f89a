"""Sanad's own rules for what a document's pieces are in a declaration: its title and summary, its sections,
and its recommendations with their numbers and pillars — what a person reading the document would see.

The rules, in order:
- the title is the paragraph styled Title; without one, the first heading or bold line;
- the paragraphs between the title and the first heading are the summary;
- a heading at the document's top heading level starts a section; deeper headings are headings inside its text;
  a document with no heading styles at all has its short bold lines taken as headings (flagged as unsure);
- a heading that says "Recommendations" (or سفارشات, "Our asks", "We call on …") opens the recommendations: up
  to the next heading of its level, each item of a numbered list (Word's numbering or typed "1.", "2)", "۳۔") is
  a recommendation with its number; deeper items and paragraphs belong to the recommendation above; a table's
  rows are recommendations, its columns read by what they hold (number, pillar, text); a heading naming a pillar
  (Prevent, Pursue, Protect, Promote, in English or Urdu) gives its recommendations that pillar, and so does a
  "Pillar: …" line after one (what Sanad's own export writes).

Each piece becomes a unit with a role the coordinator can change on the preview page; assembly.py turns units
and roles into the declaration's parts. Nothing here reads or writes the database."""
import re
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _

from app.choices import LANGUAGES, PILLARS
from app.documents import markdown
from app.documents.pieces import INDENT_STEP_CM, MAX_LEVEL, Piece, whole_bold

# What a unit becomes. "text" belongs to the section above it, "point" to the recommendation above it (so that
# a paragraph made a recommendation on the preview takes none of its section's text with it).
ROLES = ("title", "summary", "section", "heading", "text", "recommendation", "point", "pillar", "drop")
DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
# Numbers typed by hand. Among the recommendations: "3.", "3)", "(c)", "iv.", "۳۔", "R3.", "Recommendation 3:";
# elsewhere only "3." or "3)" in ASCII digits — "M. Ali Jinnah", "5 - 10 children", "1990. was…" and an Urdu
# "۱۔" stay text as written.
_LOOSE_NUMBER = re.compile(r"^\s*(?:(?:R|Rec\.?|Recommendation|سفارش)\s*)?\(?([0-9۰-۹٠-٩]{1,3}|[a-zA-Z]|[ivxIVX]{1,5})"
                           r"(?:[.)۔:]|\s*[-–])[\s\u00a0]+", re.I)
_STRICT_NUMBER = re.compile(r"^\s*([0-9]{1,3})[.)][\s\u00a0]+")
_TYPED_BULLET = re.compile(r"^\s*[•◦▪‣●○■□\-–*][\s\u00a0]+")
_ASKS = re.compile(r"\brecommendations?\b|\basks\b|\bwe (call|urge|ask)\b|\bcall (on|for)\b|\bdemands\b|سفارش(ات)?"
                   r"|مطالبات", re.I)
MAX_HEADING_CHARACTERS = 120


@dataclass
class Unit:
    """One piece of the document as the preview shows it, with its role (what it becomes)."""

    markdown: str
    role: str
    level: int = 0  # a heading's level in the document
    number: str = ""  # a recommendation's number as the document gives it
    pillar: str = ""  # a recommendation's pillar, or the pillar a pillar heading names
    unsure: str = ""  # why the suggested role may be wrong ("" when sure)
    notes: list[str] = field(default_factory=list)  # the footnotes it calls, as "[n] text"

    def to_json(self) -> list:
        return [self.markdown, self.role, self.level, self.number, self.pillar, self.unsure, self.notes]

    @classmethod
    def from_json(cls, data: list) -> "Unit":
        markdown_text, role, level, number, pillar, unsure, notes = data
        return cls(str(markdown_text), role if role in ROLES else "text", int(level), str(number),
                   pillar if pillar in PILLARS else "", str(unsure), [str(n) for n in notes])


def _labels(message) -> list[str]:
    words = []
    for language in LANGUAGES:
        with force_locale(language):
            words.append(str(message()).strip().lower())
    return words


# Other names alliances give the pillars: the "4 Ps" of the trafficking protocol (prevention, protection,
# prosecution, partnership) and their usual Urdu, besides the site's own labels in both languages.
PILLAR_WORDS = {"prevent": ("prevention", "انسداد"),
                "pursue": ("prosecution", "prosecute", "قانونی کارروائی", "استغاثہ"),
                "protect": ("protection",),
                "promote": ("promotion", "partnership", "cooperation", "شراکت داری", "تعاون")}


def pillar_named(text: str, longest: int = 60) -> str:
    """The pillar a short line names (in English or Urdu), or ""."""
    text = " ".join(text.lower().split())
    if len(text) > longest:
        return ""
    for key in PILLARS:
        for word in _pillar_words(key):
            if re.search(rf"(^|[\s:(–-]){re.escape(word)}($|[\s:),.–-])", text):
                return key
    return ""


def _pillar_line(text: str) -> str:
    """The pillar a "Pillar: Prevent" line (Sanad's own export, in either language) names, or ""."""
    for prefix in _labels(lambda: _("Pillar: %(pillar)s", pillar="\x00")):
        before, _sep, after = prefix.partition("\x00")
        lowered = " ".join(text.lower().split())
        if lowered.startswith(before.strip()) and lowered.endswith(after.strip()):
            return pillar_named(lowered[len(before.strip()):len(lowered) - len(after.strip()) or None].strip())
    return ""


def typed(piece: Piece, loose: bool) -> Piece:
    """A paragraph that starts with a typed number or bullet ("3. …", "• …"; among the recommendations also
    "b) …", "۳۔ …", "R3. …") is a list item."""
    if piece.kind != "p" or not piece.runs:
        return piece
    text = "".join(run.text for run in piece.runs)
    numbers = _LOOSE_NUMBER if loose else _STRICT_NUMBER
    found = numbers.match(text) or _TYPED_BULLET.match(text)
    if not found or not text[found.end():].strip():
        return piece
    number = found.group(1).translate(DIGITS) if found.re is numbers else ""
    # Its form: the kind of number, and whether a dash follows it ("5 - 10 officers" is no "5." item).
    form = "•" if not number else ("digit" if number.isdigit() else "roman" if len(number) > 1 else "letter") + (
        "." if found.group(0).strip()[-1:] in ".)۔:" else "-")
    runs, cut = [], found.end()
    for run in piece.runs:
        if cut >= len(run.text):
            cut -= len(run.text)
            continue
        runs.append(type(run)(run.text[cut:], run.bold, run.italic, run.code, run.href))
        cut = 0
    return Piece("item", runs, level=1, number=number, ordered=bool(number), rtl=piece.rtl, notes=piece.notes,
                 bold=piece.bold, indent=piece.indent, typed=form)


def _relevel(pieces: list[Piece]) -> None:
    """A run of list items typed by hand takes its levels from their indentation, the least indented being the
    first level: "3. …" at the margin with "1. …" indented under it is a recommendation and its points."""
    run: list[Piece] = []
    for piece in [*pieces, None]:
        if piece is not None and piece.kind == "item" and piece.typed:
            run.append(piece)
            continue
        if run:
            base = min(item.indent for item in run)
            for item in run:
                item.level = min(MAX_LEVEL, 1 + max(0, round((item.indent - base) / INDENT_STEP_CM)))
        run = []


def _heading_like(piece: Piece) -> bool:
    """A short paragraph all in bold that does not end as a sentence does, nor starts with a typed number."""
    text = piece.text
    return (piece.kind == "p" and piece.bold and len(text) <= MAX_HEADING_CHARACTERS
            and not text.endswith((".", "۔", ";", ",")) and not _LOOSE_NUMBER.match(text))


def find(pieces: list[Piece]) -> list[Unit]:
    """Each piece's unit with its suggested role."""
    styled = any(piece.kind == "heading" for piece in pieces)
    if not styled:  # headings set in bold by hand
        pieces = [Piece("heading", p.runs, level=1, rtl=p.rtl, notes=p.notes, bold=True) if _heading_like(p)
                  else p for p in pieces]
        _hand_levels(pieces)
    raw = pieces
    title_at = next((i for i, p in enumerate(pieces) if p.kind == "title"), None)
    if title_at is None:
        title_at = next((i for i, p in enumerate(pieces) if p.kind == "heading"), None)
    asks = _asks_plan([typed(piece, True) for piece in pieces], title_at)
    inside = {i for start, (_numbered, end, _form) in asks.items() for i in range(start + 1, end)}
    pieces = [typed(piece, i in inside) for i, piece in enumerate(pieces)]
    _relevel(pieces)
    units: list[Unit] = []
    unsure_title = "" if title_at is None or pieces[title_at].kind == "title" else _(
        "No paragraph is styled as the title: the first heading is taken as the title.")
    levels = [p.level for i, p in enumerate(pieces) if p.kind == "heading" and i != title_at]
    top = min(levels) if levels else 1
    first_heading = next((i for i, p in enumerate(pieces) if p.kind == "heading" and i != title_at), len(pieces))
    state = {"asks_level": None, "pillar": "", "top": top, "styled": styled}
    margins = Counter(round(p.indent, 1) for p in pieces if p.kind == "p")
    margin = margins.most_common(1)[0][0] if margins else 0.0
    for index, piece in enumerate(pieces):
        unit = Unit(_markdown(piece, top, margin=margin), "text", notes=[f"[{n}] {t}" for n, t in piece.notes])
        if index == title_at:
            unit.role, unit.markdown, unit.unsure = "title", piece.text, unsure_title
        elif piece.kind == "title":
            unit.role, unit.markdown = "section", piece.text
        elif title_at is not None and index < title_at:
            unit.role, unit.unsure = "drop", _("Before the title: left out unless you choose otherwise.")
        elif index < first_heading and piece.kind in ("p", "item"):
            unit.role, unit.markdown = "summary", markdown.inline(raw[index].runs)
        elif piece.kind == "heading":
            _heading(piece, unit, state, opens_asks=index in asks)
        elif state["asks_level"] is not None:
            units.extend(_in_asks(piece, raw[index], unit, asks[max(i for i in asks if i < index)], state["pillar"]))
            continue
        units.append(unit)
    _pillar_lines(units)
    return units


def _hand_levels(pieces: list[Piece]) -> None:
    """In a document whose headings are bold lines, every one is at the first level: after one that opens the
    recommendations, a bold line that leads into numbered items ("To the Federal Government:", "Prevent") is a
    heading among them, one level down, until a bold line that does not."""
    inside = False
    for index, piece in enumerate(pieces):
        if piece.kind != "heading":
            continue
        following = next((p for p in pieces[index + 1:] if p.text), None)
        leads = following is not None and following.kind in ("p", "item") and bool(
            _LOOSE_NUMBER.match(following.text) or following.kind == "item")
        if inside and leads:
            piece.level = 2
        else:
            inside = bool(_ASKS.search(piece.text))


def _heading(piece: Piece, unit: Unit, state: dict, opens_asks: bool) -> None:
    """A heading: a pillar's, or a heading inside the recommendations, or one that starts a section (and may
    open the recommendations)."""
    unit.markdown, unit.level = piece.text, min(6, max(3, piece.level - state["top"] + 2))
    named = pillar_named(piece.text) if state["asks_level"] is not None else ""
    inside = state["asks_level"] is not None and (piece.level > state["asks_level"] or bool(named))
    if named:
        unit.role, unit.pillar, state["pillar"] = "pillar", named, named
    elif inside:
        unit.role = "heading"
        unit.unsure = _("A heading among the recommendations: kept in the text of the section above. Leave it out "
                        "if it only groups them.")
    else:
        state["asks_level"], state["pillar"] = (piece.level if opens_asks else None), ""
        unit.role = "section" if piece.level <= state["top"] else "heading"
        if not state["styled"]:
            unit.unsure = _("A bold line, taken as a heading.")


def _asks_plan(pieces: list[Piece], title_at) -> dict[int, tuple[bool, int]]:
    """The headings that open recommendations → (whether their numbered items, rather than all their outer list
    items, start recommendations; where the recommendations end: the next heading of the level that is not a
    pillar's). A heading inside recommendations is not one ("Recommendations to protect victims" under
    "Recommendations" is the Protect pillar's)."""
    plan, end = {}, -1
    headings = [i for i, p in enumerate(pieces) if p.kind == "heading" and i != title_at and _ASKS.search(p.text)]
    named = [i for i in headings if _named_asks(pieces[i].text)]
    for index in named or headings:  # a heading that is just "Recommendations" wins over one that mentions them
        piece = pieces[index]
        if index <= end:
            continue
        end = next((j for j in range(index + 1, len(pieces)) if pieces[j].kind == "heading"
                    and pieces[j].level <= piece.level and not pillar_named(pieces[j].text)), len(pieces))
        first = next((p for p in pieces[index + 1:end] if p.kind == "item" and p.ordered and p.level == 1), None)
        plan[index] = (first is not None, end, first.typed if first is not None else "")
        end -= 1
    return plan


_ASK_WORDS = re.compile(r"[\s:.،۔]+|\b(our|key|main|the|policy|alliance'?s?)\b|ہماری|اہم|کلیدی", re.I)


def _named_asks(text: str) -> bool:
    """A heading that names the recommendations and nothing else: "Recommendations", "Our key recommendations:",
    "سفارشات" (not "Follow-up on earlier recommendations")."""
    return bool(_ASKS.fullmatch(_ASK_WORDS.sub("", text.lower())))


def _in_asks(piece: Piece, raw: Piece, unit: Unit, plan: tuple, pillar: str) -> list[Unit]:
    """A piece among the recommendations: a new one (a numbered item at the first level — typed by hand, in the
    form the first one was: "(a)" under a "1." is a point of it), a point of the one above, or a pillar."""
    numbered, _end, form = plan
    if piece.kind == "table":
        return _table_recommendations(piece, pillar)
    named = _pillar_line(piece.text) if piece.kind == "p" else ""
    if named:
        return [Unit(piece.text, "pillar", pillar=named)]
    if piece.typed and piece.typed != "•" and form and piece.typed != form and piece.level == 1:
        unit.role, unit.markdown = "point", markdown.inline(raw.runs)  # as typed, its "(a)" kept
    elif piece.kind == "item" and piece.level == 1 and (piece.ordered or not numbered):
        unit.role, unit.number, unit.pillar = "recommendation", piece.number, pillar
        unit.markdown = markdown.inline(piece.runs)
        if not pillar:
            unit.unsure = _("No pillar heading above it: choose its pillar.")
    elif piece.kind == "item":  # a point of the recommendation above: its list starts at the left
        unit.role, unit.markdown = "point", _markdown(piece, 0, shift=1)
    elif piece.kind == "p" and _heading_like(piece) and pillar_named(piece.text):
        unit.role, unit.pillar, unit.markdown = "pillar", pillar_named(piece.text), piece.text
    elif piece.kind == "p":
        unit.role = "point"
    return [unit]


_CELL_NUMBER = re.compile(r"[0-9۰-۹٠-٩]{1,3}[.)۔]?")
# What a table's first row says when it names its columns.
_HEADER_WORDS = re.compile(r"^(#|no\.?|nos?\.|number|s\.? ?no\.?|sr\.?|serial|recommendations?|asks?|actions?|pillars?|"
                           r"themes?|responsible.*|who|by whom|ministry|institutions?|lead.*|timeline|time ?frame|"
                           r"deadline|priority|notes?|remarks|نمبر|سفارشات?|ستون|ذمہ دار.*|ادارہ|وزارت|مدت)$", re.I)
PILLAR_CELL_CHARACTERS = 25  # a cell that names a pillar is a name, not a sentence that mentions one
QUOTE_INDENT_CM = 0.5  # a paragraph set in this much more than the document's usual margin is a quotation


def _table_recommendations(piece: Piece, pillar: str) -> list[Unit]:
    """Each row of a table of recommendations, its columns read by what they hold: the column of numbers gives
    the number, a column of pillar names the pillar, the column headed "Recommendation" (or else the longest
    other one) the text, and any other column is added to the text under its header. The first row is a header
    when it is marked as one or bold, or names columns ("No.", "Recommendation", "Responsible ministry") and holds
    no number or pillar. A row with only a pillar's name gives the rows under it that pillar."""
    rows = [[markdown.inline(cell).replace("  \n", " ") for cell in row] for row in piece.rows]
    plains = [["".join(run.text for run in cell).strip() for cell in row] for row in piece.rows]
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    plains = [row + [""] * (width - len(row)) for row in plains]
    plain = plains[0]
    marked = piece.bold or all(whole_bold(cell) for cell in piece.rows[0] if cell)
    header = len(rows) > 1 and (marked or not any(
        _CELL_NUMBER.fullmatch(c) or pillar_named(c, PILLAR_CELL_CHARACTERS) for c in plain) and any(
        _HEADER_WORDS.match(c) for c in plain if c))
    body = list(zip(rows[1:], plains[1:], strict=True)) if header else list(zip(rows, plains, strict=True))
    half = max(1, len(body) // 2)
    named = [c for c in range(width) if header and (_ASKS.search(plain[c]) or plain[c].lower() in ("text", "متن"))]
    number_column = next((c for c in range(width) if c not in named and sum(
        bool(_CELL_NUMBER.fullmatch(row[c])) for _r, row in body) >= half), None)
    pillar_column = next((c for c in range(width) if c not in named and c != number_column and sum(
        bool(_pillar_only(row[c])) for _r, row in body) >= half), None)
    others = [c for c in range(width) if c not in (number_column, pillar_column)]
    text_column = named[0] if named else max(others, key=lambda c: sum(len(row[c]) for row, _p in body)) \
        if others else 0
    units = []
    for row, cells in body:
        filled = {cell for cell in cells if cell}
        if len(filled) == 1 and _pillar_only(next(iter(filled))):  # a row naming a pillar, across the table
            name = next(iter(filled))
            pillar = _pillar_only(name)
            units.append(Unit(name, "pillar", level=3, pillar=pillar))
            continue
        extra = [(f"**{markdown.escaped(plain[c])}:** " if header and plain[c] else "") + row[c]
                 for c in others if c != text_column and row[c].strip()]
        found = _pillar_only(cells[pillar_column]) if pillar_column is not None else ""
        units.append(Unit("\n\n".join([row[text_column], *extra]).strip(), "recommendation",
                          number=cells[number_column].strip(" .)۔").translate(DIGITS) if number_column is not None
                          else "", pillar=found or pillar,
                          unsure="" if found or pillar else _("No pillar heading above it: choose its pillar."),
                          notes=[f"[{n}] {t}" for n, t in piece.notes] if not units else []))
    return units


def _pillar_only(text: str) -> str:
    """The pillar a cell holds when it holds a pillar's name and nothing else ("Prevent", "2. Protection",
    "Pillar: Pursue", "روک تھام")."""
    words = " ".join(w for w in re.sub(r"[\W\d_]+", " ", text.lower()).split() if w not in ("pillar", "ستون"))
    found = pillar_named(words, PILLAR_CELL_CHARACTERS)
    return found if found and any(words == w for w in _pillar_words(found)) else ""


def _pillar_words(key: str) -> list[str]:
    return [*_labels(lambda: PILLARS[key]), *PILLAR_WORDS[key]]


def _pillar_lines(units: list[Unit]) -> None:
    """A "Pillar: …" line gives the recommendation above it its pillar (and is not text of its own)."""
    current = None
    for unit in units:
        if unit.role == "recommendation":
            current = unit
        elif unit.role == "pillar" and not unit.level and current is not None:
            current.pillar, current.unsure = unit.pillar, ""
            unit.role = "drop"
        elif unit.role in ("section", "pillar"):
            current = None


def _markdown(piece: Piece, top: int, shift: int = 0, margin: float = 0.0) -> str:
    """A piece's Markdown: a table, a heading's text, a list item at its depth, a paragraph — set in from the
    document's usual margin, a quotation; "⁂" alone, a rule (Sanad's export writes one so)."""
    if piece.kind == "table":
        return markdown.table(piece.rows)
    text = markdown.inline(piece.runs)
    if piece.kind == "p" and piece.text == "⁂":
        return "---"
    if piece.kind == "p" and piece.indent > margin + QUOTE_INDENT_CM and text:
        return "\n".join("> " + line for line in text.split("\n"))
    if piece.kind == "heading":
        return text
    if piece.kind == "item":
        marker = f"{piece.number}." if piece.ordered and piece.number.isdigit() else "1." if piece.ordered else "-"
        return "    " * max(0, min(piece.level, MAX_LEVEL) - 1 - shift) + f"{marker} {text}"
    return text
