"""A document's formatted runs written as the Markdown Sanad keeps (app/markup.py renders it): bold, italics,
links and line breaks, with the characters Markdown would read as syntax escaped so that the words come out
as they were typed."""
import re

from app.documents.blocks import Run

_SPECIAL = re.compile(r"([\\`*_\[\]])")
_NOTE_CALL = re.compile(r"\\\[(\d{1,4})\\\]")
_LINE_START = re.compile(r"^(\s*)(?:([#>+\-])|(\d+)([.)]))(?=\s)|^(\s*)([-*_])(?=(?:\s*[-*_]){2,}\s*$)")
_ENTITY = re.compile(r"&(?=#?\w+;)")  # "&amp;" typed in a document is those five characters, not "&"
_LINKS = ("http://", "https://", "mailto:")


def escaped(text: str) -> str:
    """Text that Markdown shows as it is: its syntax characters escaped, an entity's "&" written as "&amp;", and a
    line that would start a list or heading ("- …", "# …", "1990. …") escaped at its mark."""
    text = _ENTITY.sub("&amp;", _NOTE_CALL.sub(r"[\1]", _SPECIAL.sub(r"\\\1", text)))  # a note's "[3]" stays
    return "\n".join(_LINE_START.sub(_escape_mark, line) for line in text.split("\n"))


def _escape_mark(found) -> str:
    if found.group(6):  # "---" alone on its line would be a rule
        return f"{found.group(5)}\\{found.group(6)}"
    if found.group(2):
        return f"{found.group(1)}\\{found.group(2)}"
    return f"{found.group(1)}{found.group(3)}\\{found.group(4)}"


def _merged(runs: list[Run]) -> list[Run]:
    """Neighbouring runs with one format become one (Word splits text into runs for its own reasons)."""
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].code, merged[-1].href) == (
                run.bold, run.italic, run.code, run.href):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, run.code, run.href)
        else:
            merged.append(run)
    return merged


def inline(runs: list[Run]) -> str:
    """One paragraph's runs as Markdown on one line (or several, for its line breaks)."""
    out = []
    for run in _merged(runs):
        text = run.text.replace("\u00a0", " ")
        lead, core, trail = _split_space(text)
        if not core:
            out.append(text.replace("\n", "  \n"))
            continue
        if run.code:  # code: its characters as they are, between enough backticks
            fence = "`" * (max((len(m) for m in re.findall(r"`+", core)), default=0) + 1)
            core = f"{fence} {core} {fence}" if core.startswith("`") or core.endswith("`") else f"{fence}{core}{fence}"
        else:
            core = escaped(core) if not run.href else escaped(core).replace("\n", " ")
        if run.bold and run.italic:
            core = f"***{core}***"
        elif run.bold:
            core = f"**{core}**"
        elif run.italic:
            core = f"*{core}*"
        href = _link(run.href)
        if href:
            core = f"[{core}]({href})"
        out.append(lead + core.replace("\n", "  \n") + trail)
    return "".join(out).strip(" ")


def _link(href: str | None) -> str | None:
    """A link Markdown can hold: http(s) or mailto, its spaces and brackets percent-encoded."""
    if not href or not href.strip().startswith(_LINKS):
        return None
    href = href.strip().replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    if href.count("(") != href.count(")"):  # Markdown takes balanced brackets in an address as they are
        href = href.replace("(", "%28").replace(")", "%29")
    return href


def _split_space(text: str) -> tuple[str, str, str]:
    stripped = text.strip()
    if not stripped:
        return text, "", ""
    start = text.index(stripped[0])
    return text[:start], stripped, text[start + len(stripped):]


def table(rows: list[list[list[Run]]]) -> str:
    """A Markdown table: the first row as its header, every row as wide as the widest."""
    width = max(len(row) for row in rows)
    lines = []
    for index, row in enumerate(rows):
        if index == 0:  # a header row is bold anyway: its cells' own bold is not the author's emphasis
            row = [[Run(r.text, False, r.italic, r.code, r.href) for r in cell] for cell in row]
        cells = [inline(cell).replace("  \n", " ").replace("|", "\\|") for cell in row]
        cells += [""] * (width - len(cells))
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            lines.append("|" + "|".join(" --- " for _ in range(width)) + "|")
    return "\n".join(lines)
