"""A document's formatted runs written as the Markdown Sanad keeps (app/markup.py renders it): bold, italics,
links and line breaks, with the characters Markdown would read as syntax escaped so that the words come out
as they were typed."""
import re

from app.documents.blocks import Run

_SPECIAL = re.compile(r"([\\`*_\[\]])")
_NOTE_CALL = re.compile(r"\\\[(\d{1,4})\\\]")
_LINE_START = re.compile(r"^(\s*)([#>+\-]|\d+[.)])(?=\s)")
_LINKS = ("http://", "https://", "mailto:")


def escaped(text: str) -> str:
    text = _NOTE_CALL.sub(r"[\1]", _SPECIAL.sub(r"\\\1", text))  # a footnote's "[3]" is no Markdown: kept as it is
    return "\n".join(_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line) for line in text.split("\n"))


def _merged(runs: list[Run]) -> list[Run]:
    """Neighbouring runs with one format become one (Word splits text into runs for its own reasons)."""
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].href) == (run.bold, run.italic, run.href):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, False, run.href)
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
        core = escaped(core) if not run.href else escaped(core).replace("\n", " ")
        if run.bold and run.italic:
            core = f"***{core}***"
        elif run.bold:
            core = f"**{core}**"
        elif run.italic:
            core = f"*{core}*"
        if run.href and run.href.startswith(_LINKS) and not any(c in run.href for c in " ()<>"):
            core = f"[{core}]({run.href})"
        out.append(lead + core.replace("\n", "  \n") + trail)
    return "".join(out).strip(" ")


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
