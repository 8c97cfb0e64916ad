"""The settings a command runs on: what ``trellolens doctor`` checks in this folder."""

from __future__ import annotations

from pathlib import Path

from trellolens.settings import Settings


def cli_settings() -> Settings:
    """``[trellolens]`` of ``./.streamlit/secrets.toml``, else of ``~/.streamlit/secrets.toml``,
    else the environment (``doctor.settings_for_project`` of the working directory): so
    ``api_base_url`` and ``redis_url`` in the project's secrets count for the commands as they
    do for the dashboard. Each field is read, and checked, when a command first needs it."""
    from trellolens.doctor import settings_for_project

    return settings_for_project(Path.cwd())
