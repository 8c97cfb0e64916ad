"""`python -m trellolens.cli`, the same as the `trellolens` command."""

from __future__ import annotations

from trellolens.cli.main import main

main()
