"""How the CLI reports errors: one line on stderr, no traceback, exit status 2 for bad input."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import IO, Any, ParamSpec, TypeVar

import click

from trellolens.errors import TrellolensError
from trellolens.guard.redaction import redact

P = ParamSpec("P")
R = TypeVar("R")

USAGE_ERROR = 2


class OneLineError(click.ClickException):
    """Printed as ``trellolens: error: <message>`` on one line; exits with status 2."""

    exit_code = USAGE_ERROR

    def __init__(self, message: str) -> None:
        # Whatever the message holds, the user sees a single line with no secret in it.
        super().__init__(" ".join(redact(message).split()))

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"trellolens: error: {self.format_message()}", file=file, err=file is None)


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a ``TrellolensError`` into one line on stderr and exit status 2."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except TrellolensError as exc:
            raise OneLineError(str(exc)) from None

    return wrapper
