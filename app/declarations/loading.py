"""Loading declarations and their items from the URL, with the visibility check in one place."""
from flask import abort
from flask_login import current_user
from sqlalchemy import bindparam, select

from app import permissions
from app.choices import Phase
from app.declarations.models import Declaration, Recommendation, Section
from app.extensions import db, login_manager
from app.institutions.models import Institution

ITEM_MODELS = {"section": Section, "recommendation": Recommendation}
# Built once: nearly every page of a declaration starts with it.
DECLARATION_BY_ID = select(Declaration).where(Declaration.id == bindparam("declaration_id"))


def get_declaration(declaration_id: int) -> Declaration:
    """The declaration if the user may read it: anonymous visitors are sent to log in, others get 404."""
    declaration = db.session.scalar(DECLARATION_BY_ID, {"declaration_id": declaration_id})
    if declaration is None:
        abort(404)
    if not permissions.can_view_declaration(current_user, declaration):
        if not current_user.is_authenticated and declaration.phase != Phase.DRAFTING:
            abort(login_manager.unauthorized())
        abort(404)
    return declaration


def get_item(declaration: Declaration, kind: str, item_id: int):
    """A live section or recommendation of this declaration (deleted ones live on only in versions)."""
    model = ITEM_MODELS.get(kind)
    item = db.session.get(model, item_id) if model else None
    if item is None or item.declaration_id != declaration.id or item.deleted_at is not None:
        abort(404)
    return item


def institution_names() -> dict[int, str]:
    """Institution id → short name, for the addressees of recommendations."""
    return {i.id: i.acronym or i.name for i in db.session.scalars(select(Institution))}
