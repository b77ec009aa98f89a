"""Exceptions that services raise and the app turns into pages."""


class RuleError(Exception):
    """A domain rule refused the action. The message is shown to the user as it is."""


class WrongSecret(RuleError):
    """A wrong password or code: refused like any rule, and on record as `action`. The view writes that
    entry after the request (app.audit.services.record_after_request): the refusal undoes everything else."""

    def __init__(self, action: str, message: str):
        super().__init__(message)
        self.action = action


class NotAllowed(Exception):
    """The acting user may not do this; the app answers with the 403 page."""
