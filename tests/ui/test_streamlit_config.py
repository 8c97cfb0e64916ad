"""The .streamlit files shipped in the repository: visitor-safe config and a harmless template."""

from __future__ import annotations

import re
import tomllib

from streamlit.config import ShowErrorDetailsConfigOptions

from tests.helpers.paths import REPO_ROOT
from trellolens.board import MAX_UPLOAD_BYTES

CONFIG = REPO_ROOT / ".streamlit" / "config.toml"
SECRETS_EXAMPLE = REPO_ROOT / ".streamlit" / "secrets.toml.example"


def test_config_hides_error_details_and_developer_tools_from_visitors() -> None:
    config = tomllib.loads(CONFIG.read_text())
    assert config["client"]["showErrorDetails"] == ShowErrorDetailsConfigOptions.NONE.value
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["browser"]["gatherUsageStats"] is False


def test_config_upload_limit_matches_the_parser() -> None:
    config = tomllib.loads(CONFIG.read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES


def test_config_leaves_the_listening_address_to_the_launcher() -> None:
    assert "address" not in tomllib.loads(CONFIG.read_text()).get("server", {})


def test_secrets_example_documents_every_key_with_placeholders_only() -> None:
    text = SECRETS_EXAMPLE.read_text()
    secrets = tomllib.loads(text)
    trello = secrets["trello"]
    assert {"api_key", "api_secret", "token"} <= set(trello)
    assert {"api_key", "token"} <= set(trello["production"])
    assert "[connections.trello]" in text
    values = [v for v in trello.values() if isinstance(v, str)]
    values += list(trello["production"].values())
    assert all(value.startswith("your-") for value in values)
    assert not re.search(r"\b[0-9a-fA-F]{32,}\b", text), "looks like a real key or token"
    assert "chmod 600" in text


def test_real_secrets_file_is_git_ignored() -> None:
    assert ".streamlit/secrets.toml" in (REPO_ROOT / ".gitignore").read_text().splitlines()
