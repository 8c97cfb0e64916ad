"""The issue's scenario: no secrets file, environment variables set, in a fresh Python process.

The common recipe ``st.secrets.get("trello", {}).get("api_key") or os.getenv(...)`` raises
``StreamlitSecretNotFoundError`` there; trellolens resolves the same variables.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from tests.helpers.paths import REPO_ROOT

SCRIPT = """
import os
import streamlit as st

try:
    api_key = st.secrets.get("trello", {}).get("api_key") or os.getenv("TRELLO_API_KEY")
    print("recipe: resolved")
except Exception as exc:
    print("recipe:", type(exc).__name__, "is FileNotFoundError:", isinstance(exc, FileNotFoundError))

from trellolens.credentials import check_credentials

resolution = check_credentials()
print("trellolens:", resolution.ok, sorted(resolution.provenance.items()))
print("streamlit note:", resolution.sources[0].note)
"""


def test_without_a_secrets_file_the_recipe_raises_and_trellolens_resolves(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("TRELLO")}
    env.update(
        {
            "HOME": str(tmp_path),  # no ~/.streamlit/secrets.toml
            "TRELLO_API_KEY": CANARY_KEY,
            "TRELLO_OAUTH_TOKEN": CANARY_TOKEN,
            "TRELLOLENS_SOURCES": "streamlit,env",
            "PYTHONPATH": str(REPO_ROOT / "src"),
        }
    )
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=tmp_path,  # no ./.streamlit/secrets.toml
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert "recipe: StreamlitSecretNotFoundError is FileNotFoundError: True" in lines
    assert "trellolens: True [('api_key', 'env'), ('token', 'env')]" in lines
    assert "streamlit note: no secrets file" in lines
    assert_no_canary(done.stdout + done.stderr)
