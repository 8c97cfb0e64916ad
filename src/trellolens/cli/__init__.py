"""The `trellolens` command: a thin click group over the library, one module per command group."""

from __future__ import annotations

from trellolens.cli.main import main

__all__ = ["main"]
