"""One exception hierarchy for the whole package.

Every message is one line that says what is wrong and how to fix it, and never holds a secret value.
A ``TrelloError`` raised for an HTTP exchange also carries its context, as httpx's errors do:
``method``, ``path`` (never the query; a token in the path is masked) and ``status`` (None when
no answer came).
Catch ``TrellolensError`` for all of them; the tree (tests/test_errors.py checks it against the
classes)::

    TrellolensError
    ├── ConfigError                 (also ValueError)
    │   └── SharedStateError
    ├── BoardFormatError            (also ValueError)
    ├── CredentialsError
    │   ├── MissingCredentialsError
    │   ├── AwsConfigurationError
    │   └── SourceUnavailable
    ├── TrelloError
    │   ├── InvalidKeyError
    │   ├── InvalidTokenError
    │   │   └── SignInRequiredError
    │   ├── PermissionDeniedError
    │   ├── NotFoundError
    │   ├── RateLimitedError
    │   ├── ResponseTooLargeError
    │   └── TrelloUnavailableError
    │       ├── TrelloTimeoutError
    │       ├── TrelloNetworkError
    │       └── TrelloServerError
    ├── WorkflowError               (also ValueError)
    ├── MetricOptionError           (also ValueError)
    ├── ScanError
    ├── RotationError
    └── WebhookError
"""

from __future__ import annotations


class TrellolensError(Exception):
    """Base class of every error trellolens raises on purpose."""


class ConfigError(TrellolensError, ValueError):
    """A setting has a value trellolens cannot use, such as a ``TRELLO_API_BASE_URL`` that is not
    https (nothing was sent anywhere)."""


class BoardFormatError(TrellolensError, ValueError):
    """A Trello board export or API payload could not be read.

    ``source`` names the file (or "upload", "API response"); ``path`` is the JSON path of the problem.
    """

    def __init__(self, source: str, path: str, problem: str) -> None:
        self.source = source
        self.path = path
        self.problem = problem
        super().__init__(f"{source}: {path}: {problem}")


class CredentialsError(TrellolensError):
    """Trello credentials are missing, malformed or could not be read from their source."""


class AwsConfigurationError(CredentialsError):
    """botocore refuses the AWS settings (a bad region, profile, endpoint...): one line naming it."""


class SourceUnavailable(CredentialsError):  # noqa: N818 -- a condition, not a failure
    """AWS is not configured here (no boto3, region or credentials): the source has nothing."""


class MissingCredentialsError(CredentialsError):
    """Required Trello credentials were found in no source; ``missing`` names the keys."""

    def __init__(self, message: str, missing: tuple[str, ...]) -> None:
        self.missing = missing
        super().__init__(message)


class TrelloError(TrellolensError):
    """Talking to Trello failed. ``method``, ``path`` and ``status`` say which exchange, when
    there was one (``path`` without the query, a token in it masked; ``status`` None when no
    answer came); the message itself stays one line without them."""

    method: str | None = None
    path: str | None = None
    status: int | None = None


class InvalidKeyError(TrelloError):
    """Trello does not know the API key (401 ``invalid key``)."""


class InvalidTokenError(TrelloError):
    """Trello refused the token; ``reason`` is ``invalid``, ``expired`` or ``revoked``."""

    def __init__(self, message: str, reason: str) -> None:
        self.reason = reason
        super().__init__(message)


class SignInRequiredError(InvalidTokenError):
    """The OAuth 2.0 refresh token was revoked, expired or used twice: ``trellolens login``."""

    def __init__(self, message: str, reason: str = "revoked") -> None:
        super().__init__(message, reason)


class PermissionDeniedError(TrelloError):
    """The token lacks a permission the request needs (a scope, or access to the board)."""


class NotFoundError(TrelloError):
    """No such board or object, or none this token can see."""


class RateLimitedError(TrelloError):
    """Trello kept answering 429 (rate limit) until the call's retries or deadline ran out;
    ``retry_after`` is how many seconds until it may work (None when unknown)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class ResponseTooLargeError(TrelloError):
    """Trello refused an answer as too large (``API_TOO_MANY_CARDS_REQUESTED``, ``reason`` "size")
    or too costly in database time (``API_TOKEN_DB_LIMIT_EXCEEDED``, ``reason`` "database"); the
    cure is smaller requests, after ``retry_after`` seconds."""

    def __init__(self, message: str, reason: str, retry_after: float = 0.0) -> None:
        self.reason = reason
        self.retry_after = retry_after
        super().__init__(message)


class TrelloUnavailableError(TrelloError):
    """Trello could not be reached or kept failing; catch this for all three kinds below."""


class TrelloTimeoutError(TrelloUnavailableError):
    """No answer in time: a timeout, or the call's deadline passed (also mid-body)."""


class TrelloNetworkError(TrelloUnavailableError):
    """No connection to Trello, or it dropped, or the answer was cut off or garbled."""


class TrelloServerError(TrelloUnavailableError):
    """Trello kept answering with a server error (5xx); ``status`` is the last one."""


class WorkflowError(TrellolensError, ValueError):
    """A workflow (the ordered lists that cards flow through) does not fit the board."""


class MetricOptionError(TrellolensError, ValueError):
    """A metrics option (work types, blocked rule, calendar, size field, SLE) does not fit the board."""


class ScanError(TrellolensError):
    """``trellolens scan`` was asked for something it cannot do (bad path, not a git repository...)."""


class RotationError(TrellolensError):
    """``trellolens rotate`` stopped: the new token or the place of the old one failed a check."""


class SharedStateError(ConfigError):
    """The shared state (``TRELLOLENS_REDIS_URL``) is misconfigured; never raised for an outage."""


class WebhookError(TrellolensError):
    """A Trello webhook delivery or registration was refused or could not be made."""
