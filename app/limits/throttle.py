"""Bounded attempts: guesses at a secret (a password, a second-factor code, a recovery code) and mail sent to
addresses a person chose. One limiter for all of them, on the rate-limit storage Flask-Limiter uses
(memory:// in one process, Redis across servers).

An attempt is counted before it is checked: each bucket is incremented atomically and the attempt goes
ahead only if the new count is within the limit, so forty requests sent at once against a limit of ten
let ten through, however many workers or servers share the storage. A refused attempt gives its count
back (a flood does not eat the hour's allowance on top of the minute's), and so does one that turns out
to be innocent (a right password: an office behind one address is not locked out by its own logins).

Refusals are on record, summarised: the first refusal of a bucket in each window writes one audit entry,
whatever the flood that follows."""
import time
from dataclasses import dataclass, field

from flask import current_app
from limits import RateLimitItem, parse_many
from werkzeug.exceptions import TooManyRequests

from app.audit.services import record_after_request
from app.extensions import limiter


class TooMany(TooManyRequests):
    """Over a limit: the 429 page, with Retry-After."""

    def __init__(self, retry_after: int):
        super().__init__()
        self.retry_after = retry_after

    def get_headers(self, environ=None, scope=None):
        return [*super().get_headers(environ, scope), ("Retry-After", str(self.retry_after))]


@dataclass
class Spent:
    """The counts one attempt took, to give back when it turns out innocent."""

    hits: list[tuple[RateLimitItem, str, int]] = field(default_factory=list)

    def refund(self) -> None:
        for item, key, cost in self.hits:
            limiter.storage.incr(item.key_for("sanad", key), item.get_expiry(), amount=-cost)
        self.hits = []


@dataclass
class Refusal:
    """Which bucket was full: its key, the limit, and when it frees up."""

    key: str
    limit: str
    retry_after: int


def enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def take(buckets: list[tuple[str, str, int]]) -> tuple[Spent, list[Refusal]]:
    """Count an attempt in every bucket — (limits, key, cost): each limit of the key, `cost` times — and
    check it: (what was taken, []) when every bucket has room; else nothing is taken and the full buckets
    are named."""
    spent, refusals = Spent(), []
    if not enabled():
        return spent, refusals
    storage = limiter.storage
    for limits, key, cost in buckets:
        for item in parse_many(limits):
            count = storage.incr(item.key_for("sanad", key), item.get_expiry(), amount=cost)
            spent.hits.append((item, key, cost))
            if count > item.amount:
                reset = storage.get_expiry(item.key_for("sanad", key))
                refusals.append(Refusal(key, str(item), max(1, int(reset - time.time()) + 1)))
    if refusals:
        spent.refund()
    return spent, refusals


def spend(limits: str, *keys: str, actor=None, what: str) -> Spent:
    """One attempt in each key's buckets (a key named twice counts once), or the 429 page when one is full
    (the first refusal per bucket and window audited as `<what>_refused`)."""
    spent, refusals = take([(limits, key, 1) for key in dict.fromkeys(keys)])
    for refusal in refusals:
        note_refusal(refusal, actor=actor, what=what)
    if refusals:
        raise TooMany(max(refusal.retry_after for refusal in refusals))
    return spent


def note_refusal(refusal: Refusal, *, actor, what: str, **details) -> None:
    """Audit a refusal once per bucket and window: a flood of refused requests makes one entry."""
    item = parse_many(refusal.limit)[0]
    if limiter.storage.incr(item.key_for("sanad-refused", refusal.key), item.get_expiry(), amount=1) == 1:
        record_after_request(actor, f"{what}_refused", bucket=refusal.key, limit=refusal.limit, **details)
