"""Entry point Streamlit Community Cloud looks for: hands over to trellolens.ui.app."""

from __future__ import annotations

import sys
from pathlib import Path

try:
    from trellolens.ui.app import main
except ModuleNotFoundError as exc:  # a clone where the package is not installed
    if exc.name != "trellolens":
        raise
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    from trellolens.ui.app import main

main()
