"""Secret: masked everywhere, revealed only on request, never pickled, compared in constant time."""

from __future__ import annotations

import copy
import logging
import pickle

import pytest

from tests.helpers.canaries import CANARY_TOKEN, assert_no_canary
from trellolens.credentials import Secret, TrelloCredentials


def test_every_way_of_printing_is_masked(caplog: pytest.LogCaptureFixture) -> None:
    secret = Secret(CANARY_TOKEN)
    caplog.set_level(logging.DEBUG)
    logging.getLogger("test").info("token %s %r", secret, secret)
    logging.getLogger("test").info("token %s", {"token": secret})
    shown = [
        str(secret),
        repr(secret),
        f"{secret}",
        f"{secret!r}",
        f"{secret:>40}",
        format(secret, ""),
    ]
    shown.append(repr(TrelloCredentials(api_key=secret, token=secret)))
    assert repr(secret) == "Secret('**********')"
    assert_no_canary("\n".join(shown) + caplog.text)


def test_reveal_returns_the_value() -> None:
    assert Secret(CANARY_TOKEN).reveal() == CANARY_TOKEN


def test_pickling_is_refused_without_showing_the_value() -> None:
    with pytest.raises(TypeError, match="never pickled") as raised:
        pickle.dumps(Secret(CANARY_TOKEN))
    assert_no_canary(str(raised.value))
    with pytest.raises(TypeError):
        pickle.dumps(TrelloCredentials(api_key=Secret("a"), token=Secret(CANARY_TOKEN)))


def test_copies_are_the_same_object() -> None:
    secret = Secret(CANARY_TOKEN)
    assert copy.copy(secret) is secret
    assert copy.deepcopy({"s": secret})["s"] is secret


def test_equality_compares_values_only_between_secrets() -> None:
    assert Secret(CANARY_TOKEN) == Secret(CANARY_TOKEN)
    assert Secret(CANARY_TOKEN) != Secret(CANARY_TOKEN + "x")
    assert Secret(CANARY_TOKEN) != CANARY_TOKEN  # a plain string is never equal
    assert hash(Secret(CANARY_TOKEN)) == hash(Secret(CANARY_TOKEN))


def test_fingerprint_identifies_without_revealing() -> None:
    fingerprint = Secret(CANARY_TOKEN).fingerprint()
    assert fingerprint == Secret(CANARY_TOKEN).fingerprint()
    assert fingerprint != Secret(CANARY_TOKEN + "x").fingerprint()
    assert len(fingerprint) == 12
    assert_no_canary(fingerprint)


def test_only_strings_are_accepted() -> None:
    with pytest.raises(TypeError, match="needs a str, got int"):
        Secret(12345)  # type: ignore[arg-type]
