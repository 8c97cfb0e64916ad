"""The top-level click group; each command lives in a module of its own and registers here.

Commands are registered by module path and imported only when run (or listed by ``--help``), so
``trellolens --version`` and ``trellolens scan`` never pay for pandas, streamlit or the metrics.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

COMMANDS = {
    "run": "trellolens.cli.run_command:run",
    "board": "trellolens.cli.board_commands:board",
    "credentials": "trellolens.cli.credentials_command:credentials",
    "metrics": "trellolens.cli.metrics_command:metrics",
    "fetch": "trellolens.cli.fetch_command:fetch",
    "doctor": "trellolens.cli.doctor_command:doctor",
    "scan": "trellolens.cli.scan_command:scan",
    "rotate": "trellolens.cli.rotate_command:rotate",
    "authorize-url": "trellolens.cli.rotate_command:authorize_url_command",
    "init": "trellolens.cli.setup_commands:init",
    "login": "trellolens.cli.login_command:login",
    "secrets": "trellolens.cli.setup_commands:secrets",
    "webhooks": "trellolens.cli.webhooks_command:webhooks",
}
"""Command name -> ``module:attribute`` of its click command, imported on first use."""


class LazyGroup(click.Group):
    """A click group that imports a command's module only when that command is needed."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy.get(cmd_name)
        if target is not None and cmd_name not in self.commands:
            module, _, attribute = target.partition(":")
            command = getattr(importlib.import_module(module), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{target} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="trellolens", prog_name="trellolens")
def cli() -> None:
    """See and trust your Trello boards: a Streamlit dashboard with credentials handled properly."""
    from trellolens.credentials import redaction

    redaction.install()


def main() -> None:
    cli(prog_name="trellolens")
