"""The script `trellolens run` hands to `streamlit run`.

It sits outside ``trellolens/ui`` on purpose: Streamlit treats a ``pages/`` folder beside the main
script as old-style pages and shows them in the sidebar until ``st.navigation`` takes over.
"""

from __future__ import annotations

from trellolens.ui.app import main

main()
