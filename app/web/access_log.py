"""gunicorn's access log without secrets: token links (invitations, password resets, open sign-on
confirmations) are written with their secret part removed, in the request line, the path, the referrer and
every other field. gunicorn.conf.py makes gunicorn use this logger wherever Sanad is served."""
from gunicorn.glogging import Logger

from app.links import redact_tokens


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}
