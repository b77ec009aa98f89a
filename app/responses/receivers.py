"""What the responses area adds to a declaration's reading page (app/declarations/signals.py)."""
from app.declarations.signals import reading_page
from app.responses import queries


@reading_page.connect
def _government_answers(declaration, **_extra) -> dict:
    """The reading page of a submitted declaration shows the government's published answers beside each
    recommendation."""
    return queries.reading_page_answers(declaration)
