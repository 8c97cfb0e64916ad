"""How the CLI reports errors: one line on stderr, no traceback, exit status 2 for bad input."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import IO, Any, ParamSpec, TypeVar

import click

from trellolens.credentials.redaction import redact
from trellolens.errors import MissingCredentialsError, TrellolensError

P = ParamSpec("P")
NOTHING_CONFIGURED_LINES = 3
"""A "nothing configured" error keeps its lines: what is missing, then how to set it."""
R = TypeVar("R")

USAGE_ERROR = 2


class OneLineError(click.ClickException):
    """Printed as ``trellolens: error: <message>`` on one line; exits with status 2."""

    exit_code = USAGE_ERROR

    def __init__(self, message: str, *, max_lines: int = 1) -> None:
        # Whatever the message holds, the user sees short lines (one by default), no secret.
        lines = [" ".join(line.split()) for line in redact(message).splitlines() if line.strip()]
        kept = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])] if lines else [""]
        super().__init__("\n  ".join(kept))

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"trellolens: error: {self.format_message()}", file=file, err=file is None)


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a ``TrellolensError`` into one line on stderr and exit status 2."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except MissingCredentialsError as exc:
            raise OneLineError(str(exc), max_lines=NOTHING_CONFIGURED_LINES) from None
        except TrellolensError as exc:
            raise OneLineError(str(exc)) from None

    return wrapper
