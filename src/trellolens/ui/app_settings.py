"""This run's ``Settings``: ``[trellolens]`` of ``st.secrets``, then the environment.

Made per run (the secrets file may change while the app runs); each field is read when a page,
the gate or a component first asks for it (``trellolens.settings``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import streamlit as st

from trellolens.settings import SECRETS_TABLE, Settings


def secrets_table() -> Mapping[str, Any] | None:
    """``[trellolens]`` of ``st.secrets``; None without a secrets file or the table."""
    try:
        table = st.secrets.to_dict().get(SECRETS_TABLE)
    except FileNotFoundError:  # no secrets file anywhere
        return None
    return table if isinstance(table, Mapping) else None


def app_settings(table: Mapping[str, Any] | None = None) -> Settings:
    """The settings of this run (``table`` when the caller has read it already)."""
    return Settings(secrets_table() if table is None else table, os.environ)
