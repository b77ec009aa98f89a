"""What declarations announce to the areas built on them. Imports point one way — signatures,
notifications, search, comments and responses import declarations, never the reverse — so declarations
tell them through these signals (blinker, which Flask ships) and each area connects its own receivers,
in its receivers.py, which create_app imports (app/__init__.py, _connect_receivers).

Receivers run inside the sender's transaction: what they write commits or rolls back with it.
"""
from blinker import Namespace

_signals = Namespace()

# A coordinator moved a declaration to another phase. Sender: the declaration; keyword arguments: actor,
# before, after (phase names) and version (the Version just frozen).
phase_changed = _signals.signal("phase-changed")

# The searchable text of a declaration, section, recommendation or comment was saved, or it was removed.
# Sender: that object.
text_saved = _signals.signal("text-saved")
text_removed = _signals.signal("text-removed")

# The reading page of a declaration is being rendered. Sender: the declaration; keyword argument: user.
# Each receiver returns a dict that is added to the template's context (what its area shows on the page).
reading_page = _signals.signal("reading-page")


def merged(results) -> dict:
    """The receivers' dicts in one; two receivers giving the same key is a mistake, not an overwrite."""
    context: dict = {}
    for receiver, extra in results:
        clash = context.keys() & (extra or {}).keys()
        if clash:
            raise RuntimeError(f"{receiver.__module__}.{receiver.__qualname__} gives {sorted(clash)}, "
                               "which another receiver already gave")
        context.update(extra or {})
    return context


def reading_page_context(declaration, user) -> dict:
    """Everything the other areas add to the reading page of this declaration."""
    return merged(reading_page.send(declaration, user=user))


# The confirmation page of a change of phase is being rendered. Sender: the declaration; keyword arguments:
# target (the phase it would move to). Each receiver returns a dict of what its area would do, e.g. how many
# signers it would email (app/declarations/phases.py).
phase_preview = _signals.signal("phase-preview")


def phase_preview_context(declaration, target: str) -> dict:
    return merged(phase_preview.send(declaration, target=target))


# Which institutions a declaration was submitted to: their reviewers are the "government" of a signature's
# "alliance and government" tier (app/permissions.py, signature_tiers). Sender: the declaration. The
# submissions area answers with a list of institution ids, empty before submission.
addressees = _signals.signal("addressees")


def submitted_to(declaration) -> list[int]:
    """The institutions this declaration was submitted to; none before submission."""
    found: set[int] = set()
    for _receiver, ids in addressees.send(declaration):
        found.update(ids or ())
    return sorted(found)


# Which lines some recommendations belong to: the same ask followed from declaration to declaration (app/lines).
# Sender: the reader; keyword arguments: recommendation_ids, or declaration_id for all of a declaration's. The
# lines area answers {recommendation id: what to show of its line} for those in a line of more than one entry the
# reader may see.
recommendation_lines = _signals.signal("recommendation-lines")


def lines_of(user, recommendation_ids=(), declaration_id: int | None = None) -> dict:
    """The lines of these recommendations (or of all the declaration's) that the reader may follow, by
    recommendation id (none when no area answers)."""
    return merged(recommendation_lines.send(user, recommendation_ids=list(recommendation_ids),
                                            declaration_id=declaration_id))
