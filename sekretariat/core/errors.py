"""The error services raise when a rule is broken; views show its message to the user."""


class ApplicationError(Exception):
    """A refused action, with a message fit for the user (already translated).

    `field` names the form field at fault, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ConcurrentEditError(ApplicationError):
    """Someone else saved the same object after this user opened it (optimistic locking)."""
