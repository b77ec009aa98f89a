"""Exceptions that services raise and the app turns into pages."""


class RuleError(Exception):
    """A domain rule refused the action. The message is shown to the user as it is."""


class NotAllowed(Exception):
    """The acting user may not do this; the app answers with the 403 page."""
