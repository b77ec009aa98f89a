"""A readable comparison of two versions, per section and per recommendation, word by word."""
import difflib
import re
from dataclasses import dataclass, field

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass
class ItemChange:
    kind: str            # section or recommendation
    item_id: int
    status: str          # added, removed, changed, unchanged
    label: str           # heading or "Recommendation N"
    parts: list[tuple[str, str]] = field(default_factory=list)  # (equal|insert|delete, text)
    details: list[tuple[str, object, object]] = field(default_factory=list)  # (field, before, after)


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """The after-text as runs of equal, inserted and deleted words."""
    a, b = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("equal", "".join(a[i1:i2])))
        if op in ("delete", "replace"):
            parts.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(("insert", "".join(b[j1:j2])))
    return parts


def _compare(kind, old: dict | None, new: dict | None, text_key: str, label) -> ItemChange:
    item = new or old
    if old is None:
        return ItemChange(kind, item["id"], "added", label(new), [("insert", new[text_key])])
    if new is None:
        return ItemChange(kind, item["id"], "removed", label(old), [("delete", old[text_key])])
    parts = word_diff(old[text_key], new[text_key])
    # Both items' keys: a version holds a recommendation's classification only when it has one, so a list
    # emptied since is a key the newer version lacks.
    details = [(key, old.get(key) or "", new.get(key) or "") for key in sorted(set(old) | set(new))
               if key not in ("id", text_key) and (old.get(key) or "") != (new.get(key) or "")]
    changed = details or any(op != "equal" for op, _ in parts)
    return ItemChange(kind, item["id"], "changed" if changed else "unchanged", label(new), parts, details)


def content_in(content: dict, language: str | None) -> dict:
    """A version's text in one language: a bilingual version's translation when that is the language asked
    for (a version from before the declaration had it: nothing), else the version's own text."""
    translation = content.get("translation")
    if language and language != content.get("language", "en"):
        if not (translation and translation.get("language") == language):
            return {}
        # What a recommendation has besides its text (pillar, classification …) is the original's, in both.
        original = {r["id"]: r for r in content.get("recommendations", [])}
        return {**translation, "recommendations": [{**original.get(r["id"], {}), **r}
                                                   for r in translation["recommendations"]]}
    return content


def compare(before: dict, after: dict) -> dict:
    """Changes between two versions' content: the title, then each section and recommendation."""
    def pairs(key):
        old = {i["id"]: i for i in before.get(key, [])}
        new = {i["id"]: i for i in after.get(key, [])}
        order = [i["id"] for i in after.get(key, [])] + [i for i in old if i not in new]
        return [(old.get(i), new.get(i)) for i in order]

    sections = [_compare("section", o, n, "body", lambda s: s["heading"]) for o, n in pairs("sections")]
    recommendations = [_compare("recommendation", o, n, "text", lambda r: r["number"])
                       for o, n in pairs("recommendations")]
    return {
        "title": word_diff(before.get("title", ""), after.get("title", "")),
        "title_changed": before.get("title") != after.get("title"),
        "sections": sections,
        "recommendations": recommendations,
        "changed": sum(1 for c in sections + recommendations if c.status != "unchanged"),
    }
