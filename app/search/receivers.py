"""The search index follows every saved and removed text (app/declarations/signals.py)."""
from app.declarations.signals import text_removed, text_saved
from app.search import services


@text_saved.connect
def _index(obj, **_extra) -> None:
    """Add or replace the searchable text of a declaration, section, recommendation or comment."""
    services.index(obj)


@text_removed.connect
def _remove(obj, **_extra) -> None:
    services.remove(obj)
