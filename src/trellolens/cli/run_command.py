"""`trellolens run`: start the dashboard, as `make run` does."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import click

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = "8501"


def app_script() -> Path:
    """The Streamlit entry point shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "streamlit_entry.py"


# Our defaults, each dropped when the user sets the option on the command line or in the environment.
DEFAULTS = {
    "server.address": DEFAULT_ADDRESS,
    "server.port": DEFAULT_PORT,
    "browser.gatherUsageStats": "false",
}


def _env_name(option: str) -> str:
    """Streamlit's environment variable for a config option, e.g. STREAMLIT_SERVER_ADDRESS."""
    section, _, name = option.partition(".")
    snake = "".join(f"_{ch}" if ch.isupper() else ch for ch in name)
    return f"STREAMLIT_{section}_{snake}".upper()


def _given(option: str, extra: tuple[str, ...], environ: Mapping[str, str]) -> bool:
    flag = f"--{option}"
    return _env_name(option) in environ or any(
        arg == flag or arg.startswith(f"{flag}=") for arg in extra
    )


def streamlit_argv(extra: tuple[str, ...], environ: Mapping[str, str] | None = None) -> list[str]:
    """Arguments for ``streamlit run``: loopback only and no telemetry unless the user says otherwise."""
    env = os.environ if environ is None else environ
    argv = ["streamlit", "run", str(app_script())]
    for option, value in DEFAULTS.items():
        if not _given(option, extra, env):
            argv += [f"--{option}", value]
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
    os.environ.setdefault("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "none")
    sys.exit(streamlit_cli.main())
