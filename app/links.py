"""Absolute links for emails, built the same way in requests and in flask commands; and the redaction of
the links that carry a secret."""
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import current_app, has_request_context, url_for


def absolute_url(endpoint: str, **values) -> str:
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context():
            path = url_for(endpoint, **values)
    return current_app.config["SITE_URL"] + path


# Sentence punctuation that may follow a link in a mail's text and is not part of it (English and Urdu).
_TRAILING = ".,;:!?)»”’۔،؛؟"


def with_language(text: str, language: str | None) -> str:
    """The text with every link to this site carrying the language it is written in (?lang=ur), so the page a
    mail leads to opens in the mail's language, also in a browser that has never seen the site
    (app.__init__._language_from_link honours it and keeps it in the session)."""
    if not text or not language:
        return text
    site = current_app.config["SITE_URL"]

    def add(match: re.Match) -> str:
        link = match.group(0)
        tail = len(link) - len(link.rstrip(_TRAILING))
        link, after = (link[:-tail], link[-tail:]) if tail else (link, "")
        parts = urlsplit(link)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
        return urlunsplit(parts._replace(path=parts.path or "/",
                                         query=urlencode([*query, ("lang", language)]))) + after

    # the site's address, not a longer host that starts like it (localhost.example)
    return re.sub(re.escape(site) + r"""(?![\w-]|\.\w)(?:[/?#][^\s<>"']*)?""", add, text)


def without_language(path: str | None) -> str | None:
    """A path with its ?lang= taken out: where the language switcher sends the reader back to, so the language
    they chose is not overruled by the one the link they came by carried."""
    if not path or "lang=" not in path:
        return path
    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode(query)))


# The paths whose last part is a secret (an invitation, a password reset, an open sign-on confirmation,
# a one-click unsubscribe): such a link must not survive in a sent email's copy or in a log.
_TOKEN_IN_PATH = re.compile(r"(/(?:invite|reset|sign/confirm|notifications/unsubscribe)/)[^/?#\s\"'<>]+")
REDACTED = "[removed]"


def redact_tokens(text: str) -> str:
    """The text with the secret part of every token link replaced, so no copy of it can be used."""
    return _TOKEN_IN_PATH.sub(r"\1" + REDACTED, text) if text else text
