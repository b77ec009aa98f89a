"""What the comments area adds to a declaration's reading page (app/declarations/signals.py)."""
from app.comments import services
from app.declarations.signals import reading_page


@reading_page.connect
def _comment_counts(declaration, **_extra) -> dict:
    """The reading page shows how many published comments each section and recommendation has."""
    return {"counts": services.published_counts(declaration.id)}
