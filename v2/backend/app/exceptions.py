"""Domain exceptions raised by services; `app.api.errors` maps each to an HTTP answer.

DomainError
├── InvalidInput(field, reason)   -> 422, FastAPI's validation body naming the field
├── NotFound                      -> 404
├── Conflict                      -> 409
├── Unauthorized                  -> 401, with WWW-Authenticate: Bearer
└── Unavailable(message, retry)   -> 503, with Retry-After: retry

TaskFailed is not answered over HTTP: it ends a background run with its message as the error.
"""


class DomainError(Exception):
    """Base of every error a service raises on purpose; the message is shown to the caller."""


class InvalidInput(DomainError):
    def __init__(self, location: tuple[str, ...], reason: str) -> None:
        super().__init__(f"{'.'.join(location)}: {reason}")
        self.location = location
        self.reason = reason


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    pass


class Unauthorized(DomainError):
    pass


class Unavailable(DomainError):
    """The service cannot take this request now (full, stopping); it may after
    `retry_after_seconds`."""

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class TaskFailed(Exception):
    """A run failed for a reason its message states in full (e.g. every source failed).

    Stored as the message alone, without the type's name or a stack trace: the failure is
    the sources', not a bug in the code that noticed it.
    """
