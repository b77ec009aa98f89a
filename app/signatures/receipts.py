"""Signature receipts: whoever signs, confirms again or withdraws is emailed what exactly happened — the
declaration, the version and its SHA-256, for whom, who may see the name, the reservations — so the signer
holds their own record of the text they put their name to. The mail goes to the person's own account
address (a receipt waits for no digest), with the next run of `flask mail send` — minutes, not the moment
of the response: delivering a mail of its own cost each signing request a quarter of its CPU
(bench/signing.py: 11.5 → 8.9 ms on PostgreSQL). A person who chose no email gets none."""
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.declarations.models import Version
from app.extensions import db
from app.links import absolute_url
from app.mail.services import queue

SUBJECTS = {
    "signed": lambda title: _("Your signature: %(title)s", title=title),
    "reconfirmed": lambda title: _("Your signature, confirmed on the new version: %(title)s", title=title),
    "withdrawn": lambda title: _("Your signature is withdrawn: %(title)s", title=title),
}


def send_receipt(actor, declaration, action: str, *, version_id: int, version_number: int, sha256: str,
                 organization_name: str | None, visibility: str, reservations: dict[int, str],
                 reason: str = "") -> bool:
    """Queue the receipt of a signature just written (action: signed, reconfirmed or withdrawn); False when
    the person chose no email."""
    if actor.notification_mode == "none" or not actor.active:
        return False
    numbered = []
    if reservations:  # the numbers the signed version gives its recommendations
        content = db.session.scalar(select(Version.content).where(Version.id == version_id)) or {}
        numbers = {rec["id"]: rec["number"] for rec in content.get("recommendations", [])}
        numbered = sorted((numbers.get(rec_id, 0), text) for rec_id, text in reservations.items())
    with force_locale(actor.language):
        queue(actor.email, SUBJECTS[action](declaration.title), "signature_receipt", after_response=False,
              action=action, user=actor,
              declaration=declaration, version_number=version_number, sha256=sha256,
              organization_name=organization_name, visibility=visibility, reservations=numbered, reason=reason,
              versions_link=absolute_url("declarations.history", declaration_id=declaration.id),
              sign_link=absolute_url("signatures.sign", declaration_id=declaration.id))
    return True
