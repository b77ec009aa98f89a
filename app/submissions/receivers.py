"""What the submissions area answers when declarations ask (app/declarations/signals.py)."""
from app.declarations.signals import addressees
from app.submissions import services


@addressees.connect
def _addressed_institutions(declaration, **_extra) -> list[int]:
    """The institutions the declaration was submitted to: no query before submission, one after."""
    return services.addressed_institutions(declaration)
