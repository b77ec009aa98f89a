"""From the units of a document, with the roles the coordinator left them (structure.py proposed them), to a
declaration's parts: its title and summary, its sections, its recommendations with their numbers and pillars,
what stops them being saved and what may be a mistake."""
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.documents import markdown
from app.documents.structure import Unit
from app.formatting import over_limit_message

_LIST_MARKER = re.compile(r"^\s*(-|\d+\.)\s+")  # a list item made a recommendation on the preview

LIMITS = {"title": 300, "summary": 2000, "heading": 300, "body": 20000, "text": 5000}


@dataclass
class Draft:
    """A declaration's parts as the units and their roles make them, and what stops them being saved."""

    title: str = ""
    summary: str = ""
    sections: list[dict] = field(default_factory=list)  # {"heading", "body"}
    recommendations: list[dict] = field(default_factory=list)  # {"number", "text", "pillar"}
    problems: list[str] = field(default_factory=list)  # what stops saving
    warnings: list[str] = field(default_factory=list)  # what may be a mistake, for the coordinator to judge
    empty_sections: int = 0


def assemble(units: list[Unit], pillars: list[str] = ()) -> Draft:
    """The parts, in the document's order: a section from each section unit with the text after it, a
    recommendation from each recommendation unit with the parts of it after it; headings with nothing under them
    are not kept (a section needs text). pillars: a draft's recommendations' pillars, in order, for those the
    document does not give one."""
    draft = Draft()
    section: dict | None = None
    recommendation: dict | None = None
    pillar, summary_notes = "", []
    for index, unit in enumerate(units):
        if unit.role in ("title", "summary"):
            text = unit.markdown if unit.role == "title" else _plain(unit.markdown)
            joiner = " " if unit.role == "title" else "\n\n"
            setattr(draft, unit.role, joiner.join(x for x in (getattr(draft, unit.role), text) if x).strip())
            summary_notes.extend(unit.notes)  # a note on the title or the summary: said at the summary's end
        elif unit.role == "section":
            following = next((u for u in units[index + 1:] if u.role != "drop"), None)
            section = {"heading": " ".join(unit.markdown.split()), "body": [], "notes": list(unit.notes),
                       "asks": following is not None and following.role in ("pillar", "recommendation")}
            draft.sections.append(section)
            recommendation, pillar = None, ""  # a new section: what follows is not the recommendations' above
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
                    section = {"heading": _("Introduction"), "body": [], "notes": [], "asks": False}
                    draft.sections.append(section)
                part = section
            part["body"].append(unit)
            part["notes"].extend(unit.notes)
    if summary_notes:
        draft.summary = "\n\n".join([draft.summary, *summary_notes]).strip()
    _finish(draft, pillars)
    return draft


def _finish(draft: Draft, pillars) -> None:
    """Each part's Markdown; sections with no text left out (and counted, but for the heading of the
    recommendations); the pillars a draft already gives; the problems that stop saving."""
    for part in draft.sections:
        part["body"] = _joined(part.pop("body"), part.pop("notes"))
    draft.empty_sections = sum(1 for part in draft.sections if not part["body"].strip() and not part["asks"])
    draft.sections = [{"heading": part["heading"], "body": part["body"]} for part in draft.sections
                      if part["body"].strip()]
    for index, part in enumerate(draft.recommendations):
        if not part["pillar"] and index < len(pillars):
            part["pillar"] = pillars[index]
        part["text"] = _joined(part.pop("body"), part.pop("notes"))
    _check(draft)


_ITEM = re.compile(r"( *)(-|\d+\.) ")


def _joined(units: list[Unit], notes: list[str]) -> str:
    """The units' Markdown, list items of one list on consecutive lines (a numbered list and a bulleted one
    after it stay two lists), then the footnotes they call."""
    text, markers = "", {}  # the kind of list item last seen at each indentation
    for unit in units:
        piece = "#" * (unit.level or 3) + " " + unit.markdown if unit.role == "heading" else unit.markdown
        item = _ITEM.match(piece)
        if item is None:
            separator, markers = "\n\n", {}
        else:
            depth, kind = len(item.group(1)), item.group(2) == "-"
            same = markers.get(depth, kind) == kind and (markers or depth == 0)
            separator = "\n" if text and markers and same else "\n\n"
            markers = {d: k for d, k in markers.items() if d < depth} if not same else markers
            markers[depth] = kind
        text = f"{text}{separator}{piece}" if text else piece
    if notes:
        text += "\n\n" + "\n\n".join(markdown.escaped(note) for note in notes)
    return text.strip()


def _plain(text: str) -> str:
    """A summary is plain text: the Markdown's links, emphasis and escapes taken away."""
    text = re.sub(r"(?<!\\)\[([^\]]*)\]\(([^)\s]*)\)", r"\1 (\2)", text).replace("&amp;", "&")
    return re.sub(r"\\([\\`*_\[\]#>+\-.)&])", r"\1", re.sub(r"(?<!\\)\*+", "", text)).strip()


def _check(draft: Draft) -> None:
    if not draft.recommendations:
        draft.warnings.append(_("No recommendations were found. If the document has them, make the first of them “A "
                                "new recommendation” below (and each after it), or give their heading a name such "
                                "as “Recommendations”."))
    problems = draft.problems
    if not draft.title:
        problems.append(_("No title: choose the paragraph that is the title."))
    elif len(draft.title) > LIMITS["title"]:
        problems.append(_("The title is too long: %(detail)s", detail=over_limit_message(len(draft.title),
                                                                                         LIMITS["title"])))
    if len(draft.summary) > LIMITS["summary"]:
        problems.append(_("The summary is too long: %(detail)s Make some of it text of a section.",
                          detail=over_limit_message(len(draft.summary), LIMITS["summary"])))
    for section in draft.sections:
        for key in ("heading", "body"):
            if len(section[key]) > LIMITS[key]:
                problems.append(_("The section “%(heading)s” is too long: %(detail)s Make one of its headings a "
                                  "section.", heading=section["heading"][:80],
                                  detail=over_limit_message(len(section[key]), LIMITS[key])))
    for number, recommendation in enumerate(draft.recommendations, start=1):
        if not recommendation["pillar"]:
            problems.append(_("Choose the pillar of recommendation %(number)d.", number=number))
        if not recommendation["text"].strip():
            problems.append(_("Recommendation %(number)d has no text: leave it out, or make the paragraph that is "
                              "its text part of it.", number=number))
        if len(recommendation["text"]) > LIMITS["text"]:
            problems.append(_("Recommendation %(number)d is too long: %(detail)s", number=number,
                              detail=over_limit_message(len(recommendation["text"]), LIMITS["text"])))
