"""Mail budgets: how much mail a person can make the site send to addresses they chose (an invitation, an
open sign-on confirmation, a password reset, a reminder). Each such action spends from three budgets
before its mail is queued — the actor's (a user, or a visitor's address), each recipient address's, and
the whole site's — so that no one can turn Sanad into a mail cannon against outside addresses or flood one
person's inbox. Counted before checked, on the shared rate-limit storage (app/limits/throttle.py); a refusal says
what to do, and is audited once per budget and window.

The actions are named in SANAD_MAIL_BUDGETS (app/config.py); tests/mail/test_budgets.py checks that every
service that mails an address someone typed spends from one."""
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from app.audit.services import client_address
from app.errors import RuleError
from app.limits import throttle


class MailBudgetSpent(RuleError):
    """A budget has no room: the action is refused with this message (and nothing it wrote is kept)."""


def actor_key(actor) -> str:
    """Whose budget: the logged-in person, else the visitor's network address."""
    return f"user:{actor.id}" if actor is not None else f"ip:{client_address()}"


def spend(action: str, actor, addresses: list[str]) -> None:
    """Spend one mail per address from the action's budgets, or raise MailBudgetSpent and spend nothing."""
    if not addresses:
        return
    per_actor, per_address, per_site = current_app.config["MAIL_BUDGETS"][action]
    normalised = [address.strip().lower() for address in addresses]
    buckets = [(per_actor, f"mail:{action}:{actor_key(actor)}", len(normalised)),
               (per_site, f"mail:{action}:site", len(normalised))]
    buckets += [(per_address, f"mail:{action}:to:{address}", 1) for address in dict.fromkeys(normalised)]
    _spent, refusals = throttle.take(buckets)
    if not refusals:
        return
    for refusal in refusals:
        scope = refusal.key.split(":")[2]
        throttle.note_refusal(refusal, actor=actor, what=f"mail_{action}",
                              scope={"to": "address", "site": "site"}.get(scope, "actor"),
                              address=refusal.key.split(":to:", 1)[1] if scope == "to" else None)
    raise MailBudgetSpent(_message(refusals[0]))


def _message(refusal) -> str:
    scope = refusal.key.split(":")[2]
    wait = _wait(refusal.retry_after)
    if scope == "to":
        return _("%(address)s has been sent this kind of email several times recently. Nothing was sent now; "
                 "try again in %(wait)s.", address=refusal.key.split(":to:", 1)[1], wait=wait)
    if scope == "site":
        return _("Sanad has sent as many of these emails as it may for now. Nothing was sent; try again in "
                 "%(wait)s.", wait=wait)
    return _("You have sent as many of these emails as you may for now. Nothing was sent; try again in "
             "%(wait)s, or ask the alliance secretariat.", wait=wait)


def _wait(seconds: int) -> str:
    """How long until a budget has room again, in minutes up to two hours, then in hours."""
    minutes = max(1, -(-seconds // 60))
    if minutes <= 120:
        return ngettext("%(num)d minute", "%(num)d minutes", minutes)
    return ngettext("%(num)d hour", "%(num)d hours", -(-minutes // 60))
