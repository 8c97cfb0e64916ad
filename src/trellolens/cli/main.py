"""The top-level click group; each command lives in a module of its own and registers here."""

from __future__ import annotations

import click

from trellolens import __version__
from trellolens.cli.board_commands import board
from trellolens.cli.credentials_command import credentials
from trellolens.cli.doctor_command import doctor
from trellolens.cli.fetch_command import fetch
from trellolens.cli.metrics_command import metrics
from trellolens.cli.rotate_command import authorize_url_command, rotate
from trellolens.cli.run_command import run
from trellolens.cli.scan_command import scan
from trellolens.cli.setup_commands import init, secrets
from trellolens.guard import redaction


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="trellolens")
def cli() -> None:
    """See and trust your Trello boards: a Streamlit dashboard with credentials handled properly."""
    redaction.install()


cli.add_command(run)
cli.add_command(board)
cli.add_command(credentials)
cli.add_command(metrics)
cli.add_command(fetch)
cli.add_command(doctor)
cli.add_command(scan)
cli.add_command(rotate)
cli.add_command(authorize_url_command)
cli.add_command(init)
cli.add_command(secrets)


def main() -> None:
    cli(prog_name="trellolens")
