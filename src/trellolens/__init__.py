"""trellolens: see and trust your Trello boards from Python.

    from trellolens import py_trello_client, resolve_credentials, TrelloConnection

    client = py_trello_client()                   # py-trello's TrelloClient, credentials resolved
    conn = st.connection("trello", type=TrelloConnection)
    credentials = resolve_credentials()           # TrelloCredentials of Secrets (masked)

Names load on first use, so ``import trellolens`` stays light (no streamlit, no pandas).
``__version__`` is read from the installed package's metadata: pyproject.toml is its one source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trellolens.lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "TrelloConnection": "trellolens.connection",
    "py_trello_client": "trellolens.credentials.py_trello",
    "resolve_credentials": "trellolens.credentials",
    "check_credentials": "trellolens.credentials",
    "Secret": "trellolens.credentials.secret",
    "TrelloCredentials": "trellolens.credentials.model",
    "TrellolensError": "trellolens.errors",
    "ConfigError": "trellolens.errors",
    "CredentialsError": "trellolens.errors",
    "MissingCredentialsError": "trellolens.errors",
    "TrelloError": "trellolens.errors",
    "InvalidKeyError": "trellolens.errors",
    "InvalidTokenError": "trellolens.errors",
    "PermissionDeniedError": "trellolens.errors",
    "NotFoundError": "trellolens.errors",
    "RateLimitedError": "trellolens.errors",
    "TrelloUnavailableError": "trellolens.errors",
    "TrelloTimeoutError": "trellolens.errors",
    "TrelloNetworkError": "trellolens.errors",
    "TrelloServerError": "trellolens.errors",
    "BoardFormatError": "trellolens.errors",
}
"""Each public name and the module it lives in."""

__all__ = [
    "BoardFormatError",
    "ConfigError",
    "CredentialsError",
    "InvalidKeyError",
    "InvalidTokenError",
    "MissingCredentialsError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "Secret",
    "TrelloConnection",
    "TrelloCredentials",
    "TrelloError",
    "TrelloNetworkError",
    "TrelloServerError",
    "TrelloTimeoutError",
    "TrelloUnavailableError",
    "TrellolensError",
    "__version__",
    "check_credentials",
    "py_trello_client",
    "resolve_credentials",
]

if TYPE_CHECKING:
    __version__: str
    from trellolens.connection import TrelloConnection
    from trellolens.credentials import check_credentials, resolve_credentials
    from trellolens.credentials.model import TrelloCredentials
    from trellolens.credentials.py_trello import py_trello_client
    from trellolens.credentials.secret import Secret
    from trellolens.errors import (
        BoardFormatError,
        ConfigError,
        CredentialsError,
        InvalidKeyError,
        InvalidTokenError,
        MissingCredentialsError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitedError,
        TrelloError,
        TrellolensError,
        TrelloNetworkError,
        TrelloServerError,
        TrelloTimeoutError,
        TrelloUnavailableError,
    )


_lazy_getattr, _lazy_dir = lazy_exports(__name__, _EXPORTS)


def __getattr__(name: str) -> Any:
    if name != "__version__":
        return _lazy_getattr(name)
    from importlib.metadata import version

    globals()[name] = value = version("trellolens")
    return value


def __dir__() -> list[str]:
    return sorted({*_lazy_dir(), "__version__"})
