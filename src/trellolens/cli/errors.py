"""How the CLI reports errors: one line on stderr, no traceback, exit status 2 for bad input."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import click

from trellolens.errors import TrellolensError

P = ParamSpec("P")
R = TypeVar("R")

USAGE_ERROR = 2


class OneLineError(click.ClickException):
    """A click exception printed as ``trellolens: error: <message>`` with a chosen exit code."""

    def __init__(self, message: str, exit_code: int = USAGE_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: object = None) -> None:
        click.echo(f"trellolens: error: {self.format_message()}", err=True)


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a ``TrellolensError`` into one line on stderr and exit status 2."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except TrellolensError as exc:
            raise OneLineError(str(exc)) from None

    return wrapper
