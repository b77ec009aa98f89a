"""Messages for the next page (flask.flash) reach a person only for work that was kept.

Views flash before the request's single commit (app/__init__.py, finish_unit_of_work). When the response
is an error — the commit failed, or the view ended in an error status — its writes were rolled back, so
what the request flashed is taken back: before the error page is drawn (it shows waiting messages) and
before Flask writes the session cookie (after every after_request hook). A refusal's message ("error")
stays: what did not happen is still true. Messages flashed by earlier, committed requests are untouched."""
from flask import Flask, g, message_flashed, session
from flask.globals import request_ctx

KEPT_WHEN_ROLLED_BACK = frozenset({"error"})


def init_app(app: Flask) -> None:
    message_flashed.connect(_note, app)


def _note(_app, message, category, **_extra) -> None:
    g.setdefault("sanad_flashed", []).append((category, message))


def take_back() -> None:
    """Forget what this request flashed about work it did: the work was rolled back."""
    made = [item for item in g.pop("sanad_flashed", ()) if item[0] not in KEPT_WHEN_ROLLED_BACK]
    if not made:
        return
    waiting = session.get("_flashes")
    if waiting:
        kept = _without(waiting, made)
        if kept:
            session["_flashes"] = kept
        else:
            session.pop("_flashes")
    if request_ctx.flashes:  # a page drawn earlier in this request took them already
        request_ctx.flashes = _without(request_ctx.flashes, made)


def _without(messages: list, made: list) -> list:
    """messages less the ones made here: the latest copy of each, as this request's came last."""
    kept = list(messages)
    for item in reversed(made):
        for index in range(len(kept) - 1, -1, -1):
            if tuple(kept[index]) == item:
                del kept[index]
                break
    return kept
