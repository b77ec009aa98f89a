"""Putting a declaration's sections, or its recommendations, in a given order at once — as a document imported
as a new revision has them (app/documents/importing.py); moving one part a place up or down is
services.move_item."""
from app import permissions
from app.audit.services import record
from app.declarations.services import require_editable
from app.errors import NotAllowed
from app.time import utcnow


def arrange(actor, declaration, items: list) -> bool:
    """The live sections (or recommendations) in this order, each taking a place the parts already have (so no
    two share one); whether any moved."""
    if not permissions.can_edit_text(actor, declaration):
        raise NotAllowed()
    require_editable(declaration)
    moved = False
    for item, position in zip(items, sorted(item.position for item in items), strict=True):
        if item.position != position:
            item.position, moved = position, True
    if moved:
        declaration.updated_at = utcnow()
        record(actor, "parts_arranged", declaration, kind=items[0].kind, ids=[item.id for item in items])
    return moved
