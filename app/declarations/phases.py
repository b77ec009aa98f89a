"""What a change of phase will do, said before it is done: the confirmation page of each irreversible step
(open consultation, close it, reopen it, open sign-on, reopen the text) shows the version that will be frozen
and who will be told. The change itself is services.change_phase."""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from app import permissions
from app.accounts.models import User
from app.choices import Phase
from app.declarations.languages import untranslated_count
from app.declarations.models import Declaration, Version
from app.declarations.services import TRANSITIONS, canonical_content, content_hash
from app.declarations.signals import phase_preview_context
from app.extensions import db
from app.settings import services as alliance_settings
from app.time import local_date, utcnow


@dataclass
class PhasePreview:
    action: str  # the TRANSITIONS name: open_consultation, close_consultation, reopen_consultation, …
    number: int  # the version number the change will record
    sha256: str  # the hash of the text as it stands now, which the change will freeze
    sections: int
    recommendations: int
    members_told: int  # alliance members notified (each as they chose: at once, in the digest, or not)
    signatures_told: int  # active signatures whose signers are emailed
    signers_invited: int  # representatives and experts invited to sign (opening sign-on)
    untranslated: int = 0  # parts of a bilingual text that need translation: sign-on cannot open yet


def preview(declaration: Declaration, target: str) -> PhasePreview | None:
    """None when the declaration cannot move to target from where it is."""
    action = TRANSITIONS.get((declaration.phase, target))
    if action is None:
        return None
    content = canonical_content(declaration)
    number = (db.session.scalar(select(func.max(Version.number)).where(Version.declaration_id == declaration.id))
              or 0) + 1
    members = 0
    if target == Phase.CONSULTATION:
        members = db.session.scalar(select(func.count()).select_from(User)
                                    .where(permissions.alliance_members_clause(User)))
    extra = phase_preview_context(declaration, target)  # the signatures area: signers it would email
    return PhasePreview(action=action, number=number, sha256=content_hash(content),
                        sections=len(content.get("sections", [])),
                        recommendations=len(content.get("recommendations", [])),
                        members_told=members, signatures_told=extra.get("signatures_told", 0),
                        signers_invited=extra.get("signers_invited", 0),
                        untranslated=untranslated_count(declaration) if target == Phase.SIGNON else 0)


def default_days(target: str) -> int:
    """The length the alliance's settings give a consultation or a sign-on (0: no sign-on deadline suggested)."""
    settings = alliance_settings.current()
    return {Phase.CONSULTATION: settings.consultation_days, Phase.SIGNON: settings.signon_days}.get(target, 0)


def suggested_deadline(target: str) -> datetime | None:
    """The deadline the confirmation page proposes: the end of the day so many days from today, in the site's
    time (as the form shows it), or None when the settings suggest none."""
    days = default_days(target)
    if not days:
        return None
    return datetime.combine(local_date(utcnow()) + timedelta(days=days), time(23, 59))
