"""The Forecast page's CSV table: every question asked, with its 50/85/95 % answers."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

LEVELS = (50, 85, 95)
"""The likelihoods every forecast answers for, in per cent."""


def forecast_answers(rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    """``question`` then one column per level (``50 %``, ...), a row per question."""
    return pd.DataFrame(list(rows), columns=["question", *(f"{p} %" for p in LEVELS)])
