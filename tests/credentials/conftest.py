"""A clean environment for the credentials tests (canaries and moto: tests/helpers/)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _no_ambient_credentials() -> None:
    """No TRELLO*/TRELLOLENS*/AWS* variable from the machine; tests/conftest.py restores them."""
    for name in list(os.environ):
        if name.startswith(("TRELLO", "AWS_")):
            del os.environ[name]
