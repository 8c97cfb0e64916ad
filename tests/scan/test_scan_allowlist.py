"""The allowlist round trip (fingerprints only, never values), JSON output and previews."""

from __future__ import annotations

import json
from pathlib import Path

from tests.scan.scan_support import (
    CANARIES,
    KEY,
    LEGACY_TOKEN,
    SECRET,
    TOKEN,
    assert_no_canary,
    make_repo,
    run_scan,
    scan_json,
)
from trellolens.scan.allowlist import DEFAULT_NAME


def write_leaky_files(repo: Path) -> None:
    (repo / "config.toml").write_text(
        f'[trello]\napi_key = "{KEY}"\ntoken = "{TOKEN}"\napi_secret = "{SECRET}"\n'
    )
    (repo / ".env").write_text(f"TRELLO_TOKEN={LEGACY_TOKEN}\n")


def test_allowlist_round_trip_holds_no_value(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write_leaky_files(repo)
    assert run_scan(str(repo)).exit_code == 1

    update = run_scan("--update-allowlist", str(repo))
    assert update.exit_code == 0
    assert "Added 5 finding(s)" in update.stderr
    assert_no_canary(update)
    stored = (repo / DEFAULT_NAME).read_text()
    for canary in CANARIES:
        assert canary not in stored
    data = json.loads(stored)
    assert data["version"] == 1
    assert len(data["entries"]) == 5
    assert {entry["kind"] for entry in data["entries"]} == {
        "api-key",
        "token",
        "api-secret",
        "legacy-token",
        "secrets-file",
    }
    assert all(len(entry["fingerprint"]) == 64 for entry in data["entries"])

    again = run_scan(str(repo))
    assert again.exit_code == 0
    assert "(5 allowlisted)" in again.stderr
    assert_no_canary(again)

    # A new value is still reported; the allowlisted ones stay quiet.
    (repo / "more.py").write_text(f'TRELLO_API_KEY = "{KEY[::-1]}"\n')
    status, payload = scan_json(str(repo))
    assert status == 1
    summary = payload["summary"]
    assert summary == {"findings": 6, "allowlisted": 5, "new": 1}


def test_same_value_gets_another_fingerprint_in_another_allowlist(tmp_path: Path) -> None:
    first, second = make_repo(tmp_path / "a"), make_repo(tmp_path / "b")
    for repo in (first, second):
        write_leaky_files(repo)
        assert run_scan("--update-allowlist", str(repo)).exit_code == 0
    prints = [
        {e["fingerprint"] for e in json.loads((r / DEFAULT_NAME).read_text())["entries"]}
        for r in (first, second)
    ]
    assert not prints[0] & prints[1]  # salted: the files cannot be compared or looked up


def test_explicit_allowlist_must_exist_and_be_valid(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    missing = run_scan("--allowlist", str(tmp_path / "none.json"), str(repo))
    assert missing.exit_code == 2
    assert "--update-allowlist" in missing.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = run_scan("--allowlist", str(broken), str(repo))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "not valid JSON" in result.stderr
    written = tmp_path / "custom.json"
    write_leaky_files(repo)
    assert run_scan("--allowlist", str(written), "--update-allowlist", str(repo)).exit_code == 0
    assert run_scan("--allowlist", str(written), str(repo)).exit_code == 0
    assert not (repo / DEFAULT_NAME).exists()


def test_json_output_shape(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write_leaky_files(repo)
    status, payload = scan_json(str(repo))
    assert status == 1
    assert set(payload) == {"root", "findings", "summary"}
    assert payload["summary"] == {"findings": 5, "allowlisted": 0, "new": 5}
    findings = payload["findings"]
    assert isinstance(findings, list)
    for finding in findings:
        assert set(finding) == {
            "kind",
            "file",
            "line",
            "commit",
            "source",
            "preview",
            "note",
            "allowlisted",
            "verified",
        }
        assert finding["source"] == "files"
        assert finding["commit"] is None
        assert finding["verified"] is None
        preview = finding["preview"]
        assert preview == "" or (len(preview) == 7 and preview.endswith("..."))
    by_line = {(f["file"], f["line"]): f["kind"] for f in findings}
    assert by_line == {
        ("config.toml", 2): "api-key",
        ("config.toml", 3): "token",
        ("config.toml", 4): "api-secret",
        (".env", 0): "secrets-file",
        (".env", 1): "legacy-token",
    }


def test_previews_hold_four_characters_in_text_output(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write_leaky_files(repo)
    result = run_scan(str(repo))
    assert result.exit_code == 1
    assert_no_canary(result)
    assert f"config.toml:2: api-key {KEY[:4]}..." in result.stdout
    assert "config.toml:3: token ATTA..." in result.stdout
    assert ".env: secrets-file (not ignored by git" in result.stdout
    assert "rotate" in result.stderr


def test_clean_folder_exits_zero(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "app.py").write_text("import os\nTOKEN = os.environ['TRELLO_TOKEN']\n")
    result = run_scan(str(repo))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No Trello credentials found." in result.stderr
