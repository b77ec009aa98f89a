"""What the responses area adds to a declaration's reading page (app/declarations/signals.py) and to a dossier's
page (app/submissions/signals.py)."""
from app.declarations.signals import reading_page
from app.responses import deadlines, queries
from app.submissions.signals import dossier_page


@reading_page.connect
def _government_answers(declaration, **_extra) -> dict:
    """The reading page of a submitted declaration shows the government's published answers beside each
    recommendation."""
    return queries.reading_page_answers(declaration)


@dossier_page.connect
def _answers_on_time(submission, **_extra) -> dict:
    """The dossier shows each institution's deadlines and, once they pass, its silence: the receipt not
    acknowledged, each recommendation addressed to it still without a published answer."""
    return {"on_time": deadlines.on_dossier(submission)}
