"""What the lines area answers when the areas it builds on ask (app/declarations/signals.py,
app/responses/signals.py): the lines of the recommendations a page shows, and the tracker's page of lines."""
from app.declarations.signals import reading_page, recommendation_lines
from app.lines import queries, record
from app.responses.signals import tracker_lines


@reading_page.connect
def _lines_on_reading_page(declaration, user=None, **_extra) -> dict:
    """The reading page links each recommendation in a line to it: one query for the whole declaration, when one
    of its recommendations is in a line."""
    return {"lines": queries.DeclarationLines(user, declaration.id)}


@recommendation_lines.connect
def _lines_of_recommendations(user, recommendation_ids=(), declaration_id=None, **_extra) -> dict:
    if declaration_id is not None:
        return queries.lines_of_declaration(user, declaration_id)
    return queries.lines_of_recommendations(user, recommendation_ids)


@tracker_lines.connect
def _tracker_lines(user, filters=None, number=1, **_extra) -> dict:
    """One page of lines for the tracker, each with its summary, positions over the years and latest assessment."""
    page = queries.tracker_lines(user, filters, number)
    return {**page, "rows": record.tracker_rows(user, page["ids"])}
