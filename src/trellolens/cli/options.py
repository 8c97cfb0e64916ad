"""Options several commands share, written once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def project_dir_option(help_text: str) -> Callable[[F], F]:
    """``--project-dir``: an existing folder, the current one by default."""
    return click.option(
        "--project-dir",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help=help_text,
    )
