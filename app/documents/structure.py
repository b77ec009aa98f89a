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

Each piece becomes a unit with a role the coordinator can change on the preview page; assemble() turns units
and roles into the declaration's parts. Nothing here reads or writes the database."""
import re
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _

from app.choices import LANGUAGES, PILLARS
from app.documents import markdown
from app.documents.pieces import INDENT_STEP_CM, Piece

# What a unit becomes. "text" belongs to the section above it, "point" to the recommendation above it (so that
# a paragraph made a recommendation on the preview takes none of its section's text with it).
ROLES = ("title", "summary", "section", "heading", "text", "recommendation", "point", "pillar", "drop")
DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_TYPED_NUMBER = re.compile(r"^\s*\(?([0-9۰-۹٠-٩]{1,3}|[a-zA-Z]|[ivxIVX]{1,5})([.)۔:]|\s*[-–])[\s\u00a0]+")
_TYPED_BULLET = re.compile(r"^\s*[•◦▪‣●○■□\-–*][\s\u00a0]+")
_ASKS = re.compile(r"\brecommendations?\b|\bour asks\b|\bwe (call|urge|ask)\b|\bdemands\b|سفارش|مطالبات", re.I)
_LIST_MARKER = re.compile(r"^\s*(-|\d+\.)\s+")  # a list item made a recommendation on the preview
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


def pillar_named(text: str) -> str:
    """The pillar a short line names (in English or Urdu), or ""."""
    text = " ".join(text.lower().split())
    if len(text) > 60:
        return ""
    for key, name in PILLARS.items():
        for word in (*_labels(lambda n=name: n), *PILLAR_WORDS[key]):
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


def typed(piece: Piece) -> Piece:
    """A paragraph that starts with a typed number or bullet ("3. …", "b) …", "۳۔ …", "• …") is a list item."""
    if piece.kind != "p" or not piece.runs:
        return piece
    text = "".join(run.text for run in piece.runs)
    found = _TYPED_NUMBER.match(text) or _TYPED_BULLET.match(text)
    if not found:
        return piece
    number = found.group(1).translate(DIGITS) if found.re is _TYPED_NUMBER else ""
    runs, cut = [], found.end()
    for run in piece.runs:
        if cut >= len(run.text):
            cut -= len(run.text)
            continue
        runs.append(type(run)(run.text[cut:], run.bold, run.italic, run.code, run.href))
        cut = 0
    return Piece("item", runs, level=1, number=number, ordered=bool(number), rtl=piece.rtl, notes=piece.notes,
                 bold=piece.bold, indent=piece.indent, typed=True)


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
                item.level = 1 + max(0, round((item.indent - base) / INDENT_STEP_CM))
        run = []


def _heading_like(piece: Piece) -> bool:
    text = piece.text
    return (piece.kind == "p" and piece.bold and len(text) <= MAX_HEADING_CHARACTERS
            and not text.endswith((".", "۔", ":", ";", ",")))


def find(pieces: list[Piece]) -> list[Unit]:
    """Each piece's unit with its suggested role."""
    pieces = [typed(piece) for piece in pieces]
    _relevel(pieces)
    styled = any(piece.kind in ("heading", "title") for piece in pieces)
    if not styled:  # headings set in bold by hand
        pieces = [Piece("heading", p.runs, level=1, rtl=p.rtl, notes=p.notes, bold=True) if _heading_like(p)
                  else p for p in pieces]
    units: list[Unit] = []
    title_at = next((i for i, p in enumerate(pieces) if p.kind == "title"), None)
    unsure_title = ""
    if title_at is None:
        title_at = next((i for i, p in enumerate(pieces) if p.kind == "heading"), None)
        unsure_title = _("No paragraph is styled as the title: the first heading is taken as the title.")
    levels = [p.level for i, p in enumerate(pieces) if p.kind == "heading" and i != title_at]
    top = min(levels) if levels else 1
    first_heading = next((i for i, p in enumerate(pieces) if p.kind == "heading" and i != title_at), len(pieces))
    asks = _asks_plan(pieces, title_at)
    state = {"asks_level": None, "pillar": "", "top": top, "styled": styled}
    for index, piece in enumerate(pieces):
        unit = Unit(_markdown(piece, top), "text", notes=[f"[{n}] {t}" for n, t in piece.notes])
        if index == title_at:
            unit.role, unit.markdown, unit.unsure = "title", piece.text, unsure_title
        elif piece.kind == "title":
            unit.role, unit.markdown = "section", piece.text
        elif title_at is not None and index < title_at:
            unit.role, unit.unsure = "drop", _("Before the title: left out unless you choose otherwise.")
        elif index < first_heading and piece.kind in ("p", "item"):
            unit.role, unit.markdown = "summary", markdown.inline(piece.runs)
        elif piece.kind == "heading":
            _heading(piece, unit, state, opens_asks=index in asks)
        elif state["asks_level"] is not None:
            units.extend(_in_asks(piece, unit, asks[max(i for i in asks if i < index)], state["pillar"]))
            continue
        units.append(unit)
    _pillar_lines(units)
    return units


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


def _asks_plan(pieces: list[Piece], title_at) -> dict[int, bool]:
    """The headings that open recommendations → whether their numbered items (rather than all their outer list
    items) start recommendations."""
    plan = {}
    for index, piece in enumerate(pieces):
        if piece.kind == "heading" and index != title_at and _ASKS.search(piece.text) and not pillar_named(piece.text):
            end = next((j for j in range(index + 1, len(pieces)) if pieces[j].kind == "heading"
                        and pieces[j].level <= piece.level and not pillar_named(pieces[j].text)), len(pieces))
            plan[index] = any(p.kind == "item" and p.ordered and p.level == 1 for p in pieces[index + 1:end])
    return plan


def _in_asks(piece: Piece, unit: Unit, numbered: bool, pillar: str) -> list[Unit]:
    if piece.kind == "table":
        return _table_recommendations(piece, pillar)
    named = _pillar_line(piece.text) if piece.kind == "p" else ""
    if named:
        return [Unit(piece.text, "pillar", pillar=named)]
    if piece.kind == "item" and piece.level == 1 and (piece.ordered or not numbered):
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


def _table_recommendations(piece: Piece, pillar: str) -> list[Unit]:
    """Each row of a table of recommendations, its columns read by what they hold."""
    rows = [[markdown.inline(cell).replace("  \n", " ") for cell in row] for row in piece.rows]
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    header = not any(re.fullmatch(r"[0-9۰-۹٠-٩]{1,3}[.)۔]?", cell.strip()) for cell in rows[0])
    body = rows[1:] if header and len(rows) > 1 else rows
    number_column = next((c for c in range(width) if sum(
        bool(re.fullmatch(r"[0-9۰-۹٠-٩]{1,3}[.)۔]?", row[c].strip())) for row in body) >= max(1, len(body) // 2)), None)
    pillar_column = next((c for c in range(width) if c != number_column and sum(
        bool(pillar_named(row[c])) for row in body) >= max(1, len(body) // 2)), None)
    others = [c for c in range(width) if c not in (number_column, pillar_column)]
    text_column = max(others, key=lambda c: sum(len(row[c]) for row in body)) if others else 0
    units = []
    for row in body:
        extra = [f"**{markdown.escaped(rows[0][c]) if header else ''}** {row[c]}".replace("**** ", "")
                 for c in others if c != text_column and row[c].strip()]
        found = pillar_named(row[pillar_column]) if pillar_column is not None else ""
        units.append(Unit("\n\n".join([row[text_column], *extra]).strip(), "recommendation",
                          number=row[number_column].strip(" .)۔").translate(DIGITS) if number_column is not None
                          else "", pillar=found or pillar,
                          unsure="" if found or pillar else _("No pillar heading above it: choose its pillar.")))
    return units


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


def _markdown(piece: Piece, top: int, shift: int = 0) -> str:
    if piece.kind == "table":
        return markdown.table(piece.rows)
    text = markdown.inline(piece.runs)
    if piece.kind == "heading":
        return text
    if piece.kind == "item":
        marker = f"{piece.number}." if piece.ordered and piece.number.isdigit() else "1." if piece.ordered else "-"
        return "    " * max(0, piece.level - 1 - shift) + f"{marker} {text}"
    return text


# --- from units to a declaration's parts ---------------------------------------------------------------------

LIMITS = {"title": 300, "summary": 2000, "heading": 300, "body": 20000, "text": 5000}


@dataclass
class Draft:
    """A declaration's parts as the units and their roles make them, and what stops them being saved."""

    title: str = ""
    summary: str = ""
    sections: list[dict] = field(default_factory=list)  # {"heading", "body"}
    recommendations: list[dict] = field(default_factory=list)  # {"number", "text", "pillar"}
    problems: list[str] = field(default_factory=list)
    empty_sections: int = 0


def assemble(units: list[Unit], pillars: list[str] = ()) -> Draft:
    """The parts, in the document's order: a section from each section unit with the text after it, a
    recommendation from each recommendation unit with the text after it; headings with nothing under them are
    not kept (a section needs text). pillars: a draft's recommendations' pillars, in order, for those the
    document does not give one."""
    draft = Draft()
    section: dict | None = None
    recommendation: dict | None = None
    pillar = ""
    for unit in units:
        if unit.role == "title":
            draft.title = " ".join(f"{draft.title} {unit.markdown}".split())
        elif unit.role == "summary":
            draft.summary = f"{draft.summary}\n\n{_plain(unit.markdown)}".strip()
        elif unit.role == "section":
            section = {"heading": " ".join(unit.markdown.split()), "body": [], "notes": []}
            draft.sections.append(section)
        elif unit.role == "pillar":
            pillar = unit.pillar or pillar
        elif unit.role == "recommendation":
            first = Unit(_LIST_MARKER.sub("", unit.markdown, count=1), "text")
            recommendation = {"number": unit.number, "pillar": unit.pillar or pillar, "body": [first],
                              "notes": list(unit.notes)}
            draft.recommendations.append(recommendation)
        elif unit.role in ("text", "heading", "point"):
            if unit.role == "point" and recommendation is not None:
                part = recommendation
            else:
                if section is None:  # text before any heading
                    section = {"heading": _("Introduction"), "body": [], "notes": []}
                    draft.sections.append(section)
                part = section
            part["body"].append(unit)
            part["notes"].extend(unit.notes)
    _finish(draft, units, pillars)
    return draft


def _finish(draft: Draft, units: list[Unit], pillars) -> None:
    """Each part's Markdown; sections with no text left out (and counted); the pillars a draft already gives; the
    problems that stop saving."""
    for part in draft.sections:
        part["body"] = _joined(part.pop("body"), part.pop("notes"))
    draft.empty_sections = sum(1 for part in draft.sections if not part["body"].strip()) - _headings_of_asks(units)
    draft.sections = [part for part in draft.sections if part["body"].strip()]
    for index, part in enumerate(draft.recommendations):
        if not part["pillar"] and index < len(pillars):
            part["pillar"] = pillars[index]
        part["text"] = _joined(part.pop("body"), part.pop("notes"))
    _check(draft)


def _headings_of_asks(units: list[Unit]) -> int:
    """The section headings with nothing under them but recommendations: no loss to tell about."""
    count = 0
    for index, unit in enumerate(units):
        if unit.role == "section":
            following = next((u for u in units[index + 1:] if u.role != "drop"), None)
            count += following is not None and following.role in ("pillar", "recommendation")
    return count


def _joined(units: list[Unit], notes: list[str]) -> str:
    """The units' Markdown, list items of one list on consecutive lines, then the footnotes they call."""
    text = ""
    for unit in units:
        piece = "#" * (unit.level or 3) + " " + unit.markdown if unit.role == "heading" else unit.markdown
        item = re.match(r"\s*(-|\d+\.) ", piece) is not None
        separator = "\n" if item and text and re.search(r"(^|\n)\s*(-|\d+\.) [^\n]*$", text) else "\n\n"
        text = f"{text}{separator}{piece}" if text else piece
    if notes:
        text += "\n\n" + "\n\n".join(markdown.escaped(note) for note in notes)
    return text.strip()


def _plain(text: str) -> str:
    """A summary is plain text: the Markdown's emphasis and escapes taken away."""
    return re.sub(r"\\([\\`*_\[\]#>+\-.)])", r"\1", re.sub(r"(?<!\\)\*+", "", text)).strip()


def _check(draft: Draft) -> None:
    problems = draft.problems
    if not draft.title:
        problems.append(_("No title: choose the paragraph that is the title."))
    elif len(draft.title) > LIMITS["title"]:
        problems.append(_("The title is longer than %(limit)d characters.", limit=LIMITS["title"]))
    if len(draft.summary) > LIMITS["summary"]:
        problems.append(_("The summary is longer than %(limit)d characters: make some of it text of a section.",
                          limit=LIMITS["summary"]))
    for section in draft.sections:
        if len(section["heading"]) > LIMITS["heading"] or len(section["body"]) > LIMITS["body"]:
            problems.append(_("The section “%(heading)s” is longer than a section may be (%(limit)d characters): "
                              "make one of its headings a section.", heading=section["heading"][:80],
                              limit=LIMITS["body"]))
    for number, recommendation in enumerate(draft.recommendations, start=1):
        if not recommendation["pillar"]:
            problems.append(_("Choose the pillar of recommendation %(number)d.", number=number))
        if len(recommendation["text"]) > LIMITS["text"]:
            problems.append(_("Recommendation %(number)d is longer than %(limit)d characters.", number=number,
                              limit=LIMITS["text"]))
