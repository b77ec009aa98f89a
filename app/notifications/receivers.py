"""The alliance is told when a consultation opens (app/declarations/signals.py)."""
from app.choices import Phase
from app.declarations.signals import phase_changed
from app.notifications import services


@phase_changed.connect
def _on_phase_changed(declaration, *, after: str, **_extra) -> None:
    if after == Phase.CONSULTATION:
        services.notify_consultation_opened(declaration)
