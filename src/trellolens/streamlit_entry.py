"""The script `trellolens run` hands to `streamlit run`.

It sits outside ``trellolens/ui`` on purpose: Streamlit treats a ``pages/`` folder beside the main
script as old-style pages and shows them in the sidebar until ``st.navigation`` takes over.

``streamlit run`` finds the ``st.App`` below (by reading this file) and imports this module to
serve it, with the routes and middleware of Sign in with Trello; every browser session then runs
this same file as ``__main__``, which draws the dashboard.
"""

from __future__ import annotations

import streamlit as st

from trellolens.ui.access.oauth2_routes import oauth2_routes
from trellolens.ui.access.signin_routes import signin_middleware, signin_routes

if __name__ == "__main__":  # a browser session's run of the script
    from trellolens.ui.app import main

    main()
else:  # imported by `streamlit run` to serve the app
    app = st.App(
        __file__, routes=[*signin_routes(), *oauth2_routes()], middleware=signin_middleware()
    )
