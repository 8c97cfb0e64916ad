"""The top-level click group; each command lives in a module of its own and registers here.

Commands are registered by module path and imported only when run (or listed by ``--help``), so
``trellolens --version`` and ``trellolens scan`` never pay for pandas, streamlit or the metrics.
"""

from __future__ import annotations

import gc
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
        self.own_process = False
        """Set by ``main()``: this process runs one command and ends (the collector is tuned)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy.get(cmd_name)
        if target is not None and cmd_name not in self.commands:
            module, _, attribute = target.partition(":")
            command = getattr(_import_command_module(module, self.own_process), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{target} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


def _import_command_module(module: str, own_process: bool) -> Any:
    """Import ``module``; in a process of its own, with the cyclic garbage collector paused, and
    then frozen out of later collections: importing a command's modules allocates thousands of
    objects that live as long as the process and that the collector would scan again and again.
    (Not in a process that goes on, such as a test run: frozen garbage would never be collected.)"""
    if not own_process:
        return importlib.import_module(module)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return importlib.import_module(module)
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="trellolens", prog_name="trellolens")
def cli() -> None:
    """See and trust your Trello boards: a Streamlit dashboard with credentials handled properly."""
    from trellolens.credentials import redaction

    redaction.install()


def main() -> None:
    cli.own_process = True
    try:
        cli(prog_name="trellolens")
    finally:
        # The process ends here: spare the interpreter's final collection over everything the
        # command built (about 20-40 ms after `fetch`); objects are still finalized as usual.
        gc.freeze()
