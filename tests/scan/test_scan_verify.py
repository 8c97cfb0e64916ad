"""`scan --verify` against the Trello emulator's real HTTP server: live, revoked, no key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scan.scan_support import (
    KEY,
    LEGACY_TOKEN,
    OTHER_TOKEN,
    TOKEN,
    make_repo,
    scan_json,
)
from trellolens.testing import TokenSpec, TrelloEmulator


@pytest.fixture
def emulator_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TrelloEmulator, str]]:
    emulator = TrelloEmulator(key=KEY, tokens=[TokenSpec(TOKEN), TokenSpec(OTHER_TOKEN)])
    emulator.revoke_token(OTHER_TOKEN)
    # Only the environment is consulted for a fallback key, never this machine's secrets.
    monkeypatch.setenv("TRELLOLENS_SOURCES", "env")
    for name in ("TRELLO_API_KEY", "TRELLO_TOKEN", "TRELLO_OAUTH_TOKEN", "TRELLO_API_SECRET"):
        monkeypatch.delenv(name, raising=False)
    with emulator.serve() as base_url:
        monkeypatch.setenv("TRELLO_API_BASE_URL", base_url)
        yield emulator, base_url


def verdicts(payload: dict[str, object]) -> dict[tuple[str, int], object]:
    findings = payload["findings"]
    assert isinstance(findings, list)
    return {(f["file"], f["line"]): f["verified"] for f in findings}


def test_verify_uses_the_key_in_the_same_file(
    tmp_path: Path, emulator_url: tuple[TrelloEmulator, str]
) -> None:
    emulator, _ = emulator_url
    repo = make_repo(tmp_path / "repo")
    (repo / "app.toml").write_text(
        f'[trello]\napi_key = "{KEY}"\ntoken = "{TOKEN}"\nold = "{OTHER_TOKEN}"\n'
        f'legacy_token = "{LEGACY_TOKEN}"\n'
    )
    (repo / "keyless.py").write_text(f'TRELLO_TOKEN = "{TOKEN}"\n')
    status, payload = scan_json("--verify", str(repo))
    assert status == 1
    assert verdicts(payload) == {
        ("app.toml", 2): None,
        ("app.toml", 3): "live",
        ("app.toml", 4): "revoked or invalid",
        ("app.toml", 5): "revoked or invalid",
        ("keyless.py", 1): "unknown (no key)",
    }
    asked = [r.path for r in emulator.requests]
    assert len(asked) == 3
    assert all(path.startswith("/1/tokens/") for path in asked)


def test_verify_falls_back_to_the_resolved_key(
    tmp_path: Path, emulator_url: tuple[TrelloEmulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRELLO_API_KEY", KEY)
    repo = make_repo(tmp_path / "repo")
    (repo / "keyless.py").write_text(f'TRELLO_TOKEN = "{TOKEN}"\n')
    status, payload = scan_json("--verify", str(repo))
    assert status == 1
    assert verdicts(payload) == {("keyless.py", 1): "live"}


def test_verify_reports_a_rejected_key(
    tmp_path: Path, emulator_url: tuple[TrelloEmulator, str]
) -> None:
    repo = make_repo(tmp_path / "repo")
    other_key = KEY[::-1]
    (repo / "app.env").write_text(f"TRELLO_API_KEY={other_key}\nTRELLO_TOKEN={TOKEN}\n")
    status, payload = scan_json("--verify", str(repo))
    assert status == 1
    assert verdicts(payload)[("app.env", 2)] == "unknown (Trello rejected the key)"
