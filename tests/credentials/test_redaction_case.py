"""Masking ignores case: a known value echoed lower- or upper-cased is still a secret."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from trellolens.cli.main import cli
from trellolens.credentials import Secret
from trellolens.credentials.redaction import MASK, redact

UNREGISTERED_TOKEN = "ATTA" + "c0ffee42" * 8  # a token shape no Secret holds


@pytest.mark.parametrize("change", [str.lower, str.upper, str.swapcase, str.title])
def test_a_case_changed_copy_of_a_known_value_is_masked(change: object) -> None:
    token, key = Secret(CANARY_TOKEN), Secret(CANARY_KEY)
    for value in (token.reveal(), key.reveal()):
        copy = change(value)  # type: ignore[operator]
        cleaned = redact(f"unknown source(s) {copy}; choose from env")
        assert copy not in cleaned
        assert MASK in cleaned
    del token, key


def test_a_lower_cased_token_shape_is_masked() -> None:
    for text in (UNREGISTERED_TOKEN, UNREGISTERED_TOKEN.lower()):
        assert redact(f"got {text} here") == f"got {MASK} here"


@pytest.mark.parametrize("value", [CANARY_TOKEN, "c0ffee42" * 8], ids=["atta", "legacy-hex"])
def test_a_token_in_trellolens_sources_is_never_echoed(value: str) -> None:
    os.environ["TRELLOLENS_SOURCES"] = f"env,{value}"
    result = CliRunner().invoke(cli, ["credentials"])
    assert result.exit_code != 0
    assert "TRELLOLENS_SOURCES" in result.output
    assert value.lower() not in result.output.lower()
    assert "Traceback" not in result.output


def test_a_mistyped_source_name_is_still_named() -> None:
    os.environ["TRELLOLENS_SOURCES"] = "env,Vault"
    result = CliRunner().invoke(cli, ["credentials"])
    assert "unknown source(s) vault" in result.output
