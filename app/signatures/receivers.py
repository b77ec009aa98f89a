"""What the signatures area does and shows when declarations announce something (app/declarations/signals.py):
signers told of a reopened text or an opened sign-on, the reading page's signing state, and the count of
signers a change of phase would email."""
from app.choices import Phase
from app.declarations.signals import phase_changed, phase_preview, reading_page
from app.signatures import queries, reopening


@phase_changed.connect
def _on_phase_changed(declaration, *, actor, before: str, after: str, **_extra) -> None:
    if before == Phase.SIGNON:
        reopening.text_reopened(actor, declaration)
    if after == Phase.SIGNON:
        reopening.signon_reopened(actor, declaration)
        reopening.signon_opened(declaration)


@reading_page.connect
def _signing_state(declaration, **_extra) -> dict:
    """The reading page says whether signing is open."""
    return {"signing_closed": queries.signing_closed_message(declaration)}


@phase_preview.connect
def _signers_told(declaration, *, target: str, **_extra) -> dict:
    return queries.signers_told(declaration, target)
