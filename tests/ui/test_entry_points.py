"""Both entry points serve the sign-in route and cookie: `streamlit run` finds their st.App."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from streamlit.web.server.app_discovery import discover_asgi_app

from tests.helpers.paths import REPO_ROOT
from trellolens.cli.run_command import app_script

ENTRY_POINTS = [REPO_ROOT / "streamlit_app.py", app_script()]


@pytest.mark.parametrize("script", ENTRY_POINTS, ids=lambda path: path.name)
def test_streamlit_run_serves_the_st_app_with_the_sign_in_route_and_cookie(script: Path) -> None:
    found = discover_asgi_app(script)
    assert found.is_asgi_app
    assert found.import_string == f"{script.stem}:app"
    (call,) = [
        node
        for node in ast.walk(ast.parse(script.read_text()))
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.App"
    ]
    keywords = {keyword.arg: ast.unparse(keyword.value) for keyword in call.keywords}
    assert ast.unparse(call.args[0]) == "__file__"  # each session runs this same file
    assert keywords == {
        "routes": "[*signin_routes(), *oauth2_routes()]",  # OAuth 1.0a's callback and 2.0's
        "middleware": "signin_middleware()",
    }
