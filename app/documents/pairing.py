"""Which part of a draft a part of an imported document continues. A part is the same when it says the same:
its Markdown shows the same words with the same bold, italics, links, lists and headings (however it was typed —
`*x*` or `_x_`, "1." or "3." in a list), so that a document Sanad exported and is given back changes nothing.
The parts are lined up as a word diff lines up words: those that say the same are paired, a part inserted or
removed is new or gone, and parts changed in place are paired in their order — so a part's history, comments
and amendments stay with the part, not with its place."""
from difflib import SequenceMatcher
from functools import lru_cache

from app.documents.blocks import html_blocks
from app.markup import render_markdown


@lru_cache(maxsize=4096)
def meaning(markdown: str) -> tuple:
    """What a Markdown text shows, block by block: its kind, depth, whether a numbered or bulleted item, and its
    runs of text with their formats (neighbouring runs of one format joined, spaces as one)."""
    shown = []
    for block in html_blocks(render_markdown(markdown or "")):
        rows = tuple(tuple((header, _runs(runs)) for header, runs in row) for row in block.rows)
        marker = "number" if block.marker[:-1].isdigit() else "bullet" if block.marker else ""
        shown.append((block.kind, block.level, marker, block.quote, _runs(block.runs), rows))
    return tuple(shown)


def _runs(runs) -> tuple:
    joined: list[list] = []
    for run in runs:
        form = (run.bold, run.italic, run.code, run.href)
        if joined and joined[-1][1] == form:
            joined[-1][0] += run.text
        else:
            joined.append([run.text, form])
    return tuple((" ".join(text.split()), form) for text, form in joined if text.strip())


def same_text(stored: str, imported: str) -> bool:
    """The imported Markdown says what the stored one does."""
    return stored.strip() == imported.strip() or meaning(stored) == meaning(imported)


def match(old: list, new: list) -> list[int | None]:
    """For each new part (by key), the index of the old part it continues, or None for a part that is new; an old
    part no new one names is gone."""
    paired: list[int | None] = [None] * len(new)
    for operation, i1, i2, j1, j2 in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if operation in ("equal", "replace"):
            for offset in range(min(i2 - i1, j2 - j1)):
                paired[j1 + offset] = i1 + offset
    return paired
