"""`trellolens run`: start the dashboard, as `make run` does."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = "8501"


def app_script() -> Path:
    """The Streamlit entry point shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "ui" / "entry.py"


def streamlit_argv(extra: tuple[str, ...]) -> list[str]:
    """Arguments for ``streamlit run``: loopback only and no telemetry unless the user says otherwise."""
    argv = ["streamlit", "run", str(app_script())]
    given = " ".join(extra)
    if "--server.address" not in given:
        argv += ["--server.address", DEFAULT_ADDRESS]
    if "--server.port" not in given:
        argv += ["--server.port", DEFAULT_PORT]
    if "--browser.gatherUsageStats" not in given:
        argv += ["--browser.gatherUsageStats", "false"]
    return [*argv, *extra]


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)
@click.argument("streamlit_args", nargs=-1, type=click.UNPROCESSED)
def run(streamlit_args: tuple[str, ...]) -> None:
    """Start the dashboard at http://localhost:8501 (loopback only).

    Extra arguments go to `streamlit run`, e.g. `trellolens run --server.port 8600`.
    """
    from streamlit.web import cli as streamlit_cli

    sys.argv = streamlit_argv(streamlit_args)
    os.environ.setdefault("STREAMLIT_CLIENT_TOOLBAR_MODE", "viewer")
    sys.exit(streamlit_cli.main())
