"""The names ``trellolens`` exports, each documented, loaded lazily so the import stays light."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import trellolens
from trellolens import _EXPORTS

PUBLIC = {
    "__version__",
    "TrelloConnection",
    "py_trello_client",
    "resolve_credentials",
    "check_credentials",
    "Secret",
    "TrelloCredentials",
    "TrellolensError",
    "CredentialsError",
    "MissingCredentialsError",
    "TrelloError",
    "InvalidKeyError",
    "InvalidTokenError",
    "PermissionDeniedError",
    "NotFoundError",
    "RateLimitedError",
    "TrelloUnavailableError",
    "TrelloTimeoutError",
    "TrelloNetworkError",
    "TrelloServerError",
    "BoardFormatError",
    "ConfigError",
}


def test_the_exported_names_are_pinned() -> None:
    assert set(trellolens.__all__) == PUBLIC
    assert set(_EXPORTS) == PUBLIC - {"__version__"}


def test_every_export_resolves_and_is_documented() -> None:
    for name in sorted(PUBLIC - {"__version__"}):
        value = getattr(trellolens, name)
        assert value.__module__.startswith("trellolens."), name
        assert inspect.getdoc(value), f"{name} has no docstring"
    assert "TrelloConnection" in dir(trellolens)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="nothing_here"):
        trellolens.nothing_here  # noqa: B018


def test_the_import_and_the_credentials_api_load_no_heavy_library() -> None:
    code = (
        "import sys, trellolens\n"
        "from trellolens import Secret, CredentialsError, resolve_credentials, py_trello_client\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'streamlit', 'pandas', "
        "'numpy', 'altair', 'boto3', 'trello', 'requests'})\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


def test_testing_exports_the_py_trello_adapter() -> None:
    from trellolens.testing import requests_adapter

    assert callable(requests_adapter)
