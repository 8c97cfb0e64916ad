"""The Forecast page's inputs and their place in the URL. Owns the keys starting ``forecast_page.``.

``?window=12&trials=100000&seed=7&cards=20&until=2024-06-30&growth=1`` (``random=1`` for a fresh
draw each time); a value at its default stays out of the URL. The widgets get their defaults
through their state (``view_link.seed``), so a value from a link and a default never collide.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import streamlit as st

from trellolens.ui.components.view_link import LinkParam, flag, int_between, one, seed

KEY_PREFIX = "forecast_page."
WINDOW_KEY = f"{KEY_PREFIX}window_weeks"
TRIALS_KEY = f"{KEY_PREFIX}trials"
FIXED_SEED_KEY = f"{KEY_PREFIX}fixed_seed"
SEED_KEY = f"{KEY_PREFIX}seed"
CARDS_KEY = f"{KEY_PREFIX}cards"
UNTIL_KEY = f"{KEY_PREFIX}until"
SCOPE_GROWTH_KEY = f"{KEY_PREFIX}scope_growth"

TRIAL_CHOICES = (1_000, 10_000, 100_000)
DEFAULT_WEEKS = 8
MAX_WEEKS = 104
DEFAULT_TRIALS = 10_000
DEFAULT_SEED = 1
MAX_SEED = 2**32 - 1
MAX_CARDS = 100_000
DEFAULT_HORIZON = timedelta(days=14)
MAX_HORIZON = timedelta(days=3650)


def default_cards(in_progress: int) -> int:
    return max(in_progress, 1)


def default_until(start: date) -> date:
    return start + DEFAULT_HORIZON


def _unless(default: object) -> Callable[[object], list[str]]:
    return lambda value: [] if value == default else [str(value)]


def _trials(values: list[str]) -> int:
    text = one(values).strip().replace(",", "").replace("_", "")
    if not text.isdigit() or int(text) not in TRIAL_CHOICES:
        raise ValueError(text)
    return int(text)


def _until_parser(start: date) -> Callable[[list[str]], date]:
    def parse(values: list[str]) -> date:
        text = one(values).strip()
        day = date.fromisoformat(text) if len(text) == 10 else None
        if day is None or not start < day <= start + MAX_HORIZON:
            raise ValueError(text)
        return day

    return parse


def link_params(start: date, in_progress: int) -> list[LinkParam]:
    """The Forecast page's parameters, for a forecast that starts on ``start``."""
    return [*_sampling_params(), *_question_params(start, in_progress)]


def _sampling_params() -> list[LinkParam]:
    """How the simulation samples: its window, trials and seed."""
    return [
        LinkParam(
            "window",
            WINDOW_KEY,
            int_between(1, MAX_WEEKS),
            _unless(DEFAULT_WEEKS),
            "the sampling window",
            f"a number of weeks from 1 to {MAX_WEEKS}",
        ),
        LinkParam(
            "trials",
            TRIALS_KEY,
            _trials,
            _unless(DEFAULT_TRIALS),
            "the number of trials",
            "1000, 10000 or 100000",
        ),
        LinkParam(
            "seed",
            SEED_KEY,
            int_between(0, MAX_SEED),
            _unless(DEFAULT_SEED),
            "the seed",
            f"a whole number from 0 to {MAX_SEED}",
        ),
        LinkParam(
            "random",
            FIXED_SEED_KEY,
            lambda values: not flag(values),
            lambda fixed: [] if fixed else ["1"],
            "the random seed switch",
            "1 or 0",
        ),
    ]


def _question_params(start: date, in_progress: int) -> list[LinkParam]:
    """What is asked: how many cards, until when, with scope growth or not."""
    cards = default_cards(in_progress)
    until = default_until(start)
    return [
        LinkParam(
            "cards",
            CARDS_KEY,
            int_between(1, MAX_CARDS),
            _unless(cards),
            "the number of cards",
            f"a whole number from 1 to {MAX_CARDS:,}",
        ),
        LinkParam(
            "until",
            UNTIL_KEY,
            _until_parser(start),
            lambda day: [] if day == until else [day.isoformat()],
            "the forecast date",
            f"a date after {start:%Y-%m-%d}, such as {until:%Y-%m-%d}",
        ),
        LinkParam(
            "growth",
            SCOPE_GROWTH_KEY,
            flag,
            lambda on: ["1"] if on else [],
            "the scope growth switch",
            "1 or 0",
        ),
    ]


def seed_defaults(start: date, in_progress: int) -> None:
    """Each input's default in its state; a date the new as-of date has passed goes back to it."""
    seed(WINDOW_KEY, DEFAULT_WEEKS)
    seed(TRIALS_KEY, DEFAULT_TRIALS)
    seed(FIXED_SEED_KEY, True)
    seed(SEED_KEY, DEFAULT_SEED)
    seed(CARDS_KEY, default_cards(in_progress))
    seed(SCOPE_GROWTH_KEY, False)
    until = st.session_state.get(UNTIL_KEY)
    if not isinstance(until, date) or not start < until <= start + MAX_HORIZON:
        st.session_state[UNTIL_KEY] = default_until(start)
