"""What the submissions area asks of the areas built on it. Responses imports submissions, never the reverse, so
the dossier's page asks through this signal what the responses area adds to it, as declarations do for their
reading page (app/declarations/signals.py); the receivers are in each area's receivers.py."""
from blinker import Namespace

_signals = Namespace()

# A dossier's web page is being rendered. Sender: the submission. Each receiver returns a dict added to the
# template's context: the responses area, its deadlines and the silence after them (issue 27).
dossier_page = _signals.signal("dossier-page")


def dossier_page_context(submission) -> dict:
    """Everything the other areas add to the dossier's page; two receivers giving the same key is a mistake."""
    context: dict = {}
    for receiver, extra in dossier_page.send(submission):
        clash = context.keys() & (extra or {}).keys()
        if clash:
            raise RuntimeError(f"{receiver.__module__}.{receiver.__qualname__} gives {sorted(clash)}, "
                               "which another receiver already gave")
        context.update(extra or {})
    return context
