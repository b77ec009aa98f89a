"""Absolute links for emails, built the same way in requests and in flask commands; and the redaction of
the links that carry a secret."""
import re

from flask import current_app, has_request_context, url_for


def absolute_url(endpoint: str, **values) -> str:
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context():
            path = url_for(endpoint, **values)
    return current_app.config["SITE_URL"] + path


# The paths whose last part is a secret (an invitation, a password reset, an open sign-on confirmation,
# a one-click unsubscribe): such a link must not survive in a sent email's copy or in a log.
_TOKEN_IN_PATH = re.compile(r"(/(?:invite|reset|sign/confirm|notifications/unsubscribe)/)[^/?#\s\"'<>]+")
REDACTED = "[removed]"


def redact_tokens(text: str) -> str:
    """The text with the secret part of every token link replaced, so no copy of it can be used."""
    return _TOKEN_IN_PATH.sub(r"\1" + REDACTED, text) if text else text
