"""What the submissions area asks of the areas built on it. Responses imports submissions, never the reverse, so
the dossier's page asks through this signal what the responses area adds to it, as declarations do for their
reading page (app/declarations/signals.py); the receivers are in each area's receivers.py."""
from blinker import Namespace

from app.declarations.signals import merged

_signals = Namespace()

# A dossier's web page is being rendered. Sender: the submission. Each receiver returns a dict added to the
# template's context: the responses area, its deadlines and the silence after them (issue 27).
dossier_page = _signals.signal("dossier-page")


def dossier_page_context(submission) -> dict:
    """Everything the other areas add to the dossier's page; two receivers giving the same key is a mistake."""
    return merged(dossier_page.send(submission))
