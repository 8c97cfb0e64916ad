"""The script `trellolens run` hands to `streamlit run`."""

from __future__ import annotations

from trellolens.ui.app import main

main()
