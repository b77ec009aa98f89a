"""A recommendation's classification: the UNTOC provisions, SDG targets and groups it concerns, as keys of the
controlled lists in app/choices.py (labels are shown, in the reader's language; keys are stored, hashed and
filtered on). It belongs to the recommendation, not to one language's text: a translation's revision carries
the original's (app/declarations/languages.py keeps the two in step), and a version holds it once."""
from flask_babel import gettext as _

from app.choices import GROUPS, SDG_TARGETS, UNTOC_PROVISIONS
from app.errors import RuleError

# The revision's and the submitted recommendation's column → its controlled list.
VOCABULARIES = {"untoc": UNTOC_PROVISIONS, "sdg_targets": SDG_TARGETS, "groups": GROUPS}
FIELDS = tuple(VOCABULARIES)


def _list_name(name: str) -> str:
    return {"untoc": _("UNTOC provisions"), "sdg_targets": _("SDG targets"), "groups": _("Groups concerned")}[name]


def checked(fields: dict, previous=None) -> dict[str, list[str]]:
    """The classification a new revision gets: each list given, in its vocabulary's order without repeats; a
    list not given keeps the previous revision's (none for a new recommendation). A key not in its list is
    refused, naming the list."""
    chosen = {}
    for name, vocabulary in VOCABULARIES.items():
        keys = fields.get(name)
        if keys is None:
            keys = getattr(previous, name, None) or []
        unknown = sorted(set(keys) - set(vocabulary))
        if unknown:
            raise RuleError(_("%(list)s: “%(keys)s” is not in the list. Choose from the list shown.",
                              list=_list_name(name), keys="”, “".join(unknown)))
        chosen[name] = [key for key in vocabulary if key in keys]
    return chosen


def of(revision) -> dict[str, list[str]]:
    """A revision's (or submitted recommendation's) classification, every list present."""
    return {name: list(getattr(revision, name) or []) for name in FIELDS}


def in_content(revision) -> dict[str, list[str]]:
    """What a version's content holds of a recommendation's classification: only the lists that have keys, so
    that a text without classification keeps exactly the content, and the hash, it always had."""
    return {name: keys for name, keys in of(revision).items() if keys}


def in_content_of(recommendation: dict) -> bool:
    """A version's (or dossier's) recommendation has a classification."""
    return any(recommendation.get(name) for name in FIELDS)


def from_content(recommendation: dict) -> dict[str, list[str]]:
    """A version's (or dossier's) recommendation's classification, every list present (an older version has
    none)."""
    return {name: list(recommendation.get(name) or []) for name in FIELDS}
