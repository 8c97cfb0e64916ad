"""The doctor's shared_state.redis check: absent without the setting, never shows the password."""

from __future__ import annotations

import pytest

from trellolens.doctor.check import Status
from trellolens.doctor.checks_shared import redis_url_check
from trellolens.settings import Settings

PASSWORD = "ATTA" + "CANARY" * 6 + "REDISPW"


def test_absent_without_the_setting() -> None:
    assert redis_url_check(Settings({}, {})) is None
    assert redis_url_check(Settings({}, {"TRELLOLENS_REDIS_URL": "  "})) is None


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"rediss://app:{PASSWORD}@redis.example.com:6380/0", Status.PASS),
        ("redis://127.0.0.1:6379/0", Status.PASS),
        (f"redis://:{PASSWORD}@redis.internal:6379/0", Status.WARN),
        ("redis://redis.internal:6379/0", Status.FAIL),
        ("http://redis.internal", Status.FAIL),
    ],
)
def test_statuses(url: str, status: Status) -> None:
    check = redis_url_check(Settings({}, {"TRELLOLENS_REDIS_URL": url}))
    assert check is not None
    assert check.status is status
    assert PASSWORD not in check.detail + check.fix
    assert "TRELLOLENS_REDIS_URL" in check.detail + check.fix or status is Status.PASS
