"""Counts read as words: "1 card", "2 cards"; no page builds "{n} cards" by hand."""

from __future__ import annotations

import re

import pytest

from tests.helpers.paths import REPO_ROOT
from trellolens.ui.wording import counted

UI = REPO_ROOT / "src" / "trellolens" / "ui"
HAND_MADE_PLURAL = re.compile(r"\{[^{}:]+\} (cards|boards|lists|open lists|days)\b")
NOT_YET_CONVERTED = {"pages/forecast.py"}
"""Being reworked in parallel (issue 27); its counts move to ``counted`` after that lands."""


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 cards"), (1, "1 card"), (2, "2 cards"), (-1, "-1 cards")],
)
def test_counted(count: int, expected: str) -> None:
    assert counted(count, "card") == expected


def test_an_irregular_plural() -> None:
    assert counted(1, "work type", "work types") == "1 work type"
    assert counted(3, "entry", "entries") == "3 entries"


def test_no_page_writes_a_plural_after_a_number_by_hand() -> None:
    offenders = []
    for path in sorted(UI.rglob("*.py")):
        relative = path.relative_to(UI).as_posix()
        if relative in NOT_YET_CONVERTED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if HAND_MADE_PLURAL.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
