"""Entry point Streamlit Community Cloud looks for: the dashboard, trellolens.ui.app.

``streamlit run streamlit_app.py`` finds the ``st.App`` below (by reading this file) and imports
this module to serve it, with the routes and middleware of Sign in with Trello; every browser
session then runs this same file as ``__main__``, which draws the dashboard.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

try:
    from trellolens.ui.access.oauth2_routes import oauth2_routes
    from trellolens.ui.access.signin_routes import signin_middleware, signin_routes
except ModuleNotFoundError as exc:  # a clone where the package is not installed
    if exc.name != "trellolens":
        raise
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    from trellolens.ui.access.oauth2_routes import oauth2_routes
    from trellolens.ui.access.signin_routes import signin_middleware, signin_routes

if __name__ == "__main__":  # a browser session's run of the script
    from trellolens.ui.app import main

    main()
else:  # imported by `streamlit run` to serve the app
    app = st.App(
        __file__, routes=[*signin_routes(), *oauth2_routes()], middleware=signin_middleware()
    )
