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


SIMILAR = 0.5  # how alike two texts must be (difflib's ratio) for a changed part to continue the other
MAX_COMPARED = 40_000  # pairs of leftover parts compared by likeness; beyond, leftovers pair in their order


def match(old_keys: list, new_keys: list, old_texts: list[str], new_texts: list[str]) -> list[int | None]:
    """For each new part, the index of the old part it continues, or None for a part that is new; an old part no
    new one names is gone. First the parts that say the same (wherever they moved: a recommendation moved to
    another pillar, a section moved up), then among the rest the most alike first (a part edited, a heading
    renamed), never two to one."""
    paired: list[int | None] = [None] * len(new_keys)
    free: dict = {}
    for index, key in enumerate(old_keys):
        free.setdefault(key, []).append(index)
    for index, key in enumerate(new_keys):
        if free.get(key):
            paired[index] = free[key].pop(0)
    used = {i for i in paired if i is not None}
    left_old = [i for i in range(len(old_keys)) if i not in used]
    left_new = [j for j in range(len(new_keys)) if paired[j] is None]
    if len(left_old) * len(left_new) > MAX_COMPARED:
        for i, j in zip(left_old, left_new, strict=False):
            paired[j] = i
        return paired
    candidates = []
    for j in left_new:
        for i in left_old:
            matcher = SequenceMatcher(None, old_texts[i], new_texts[j], autojunk=False)
            if matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR:
                ratio = matcher.ratio()
                if ratio >= SIMILAR:
                    candidates.append((-ratio, abs(i - j), j, i))
    taken_old: set[int] = set()
    for _ratio, _distance, j, i in sorted(candidates):
        if paired[j] is None and i not in taken_old:
            paired[j] = i
            taken_old.add(i)
    return paired
