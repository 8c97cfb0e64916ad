"""Shapes of real leaks the scanner used to miss or misjudge (cases of our own making)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scan.scan_support import (
    KEY,
    LEGACY_TOKEN,
    SECRET,
    TOKEN,
    commit_all,
    git,
    make_repo,
    run_scan,
    scan_json,
)
from trellolens.scan.patterns import find_credentials


def kinds(*lines: str) -> list[tuple[int, str]]:
    return [(m.index, m.kind) for m in find_credentials(lines)]


def found(payload: dict[str, object]) -> list[tuple[object, object, object]]:
    items = payload["findings"]
    assert isinstance(items, list)
    return [(f["file"], f["line"], f["kind"]) for f in items]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"TRELLO_API_KEY={KEY.upper()}", "api-key"),
        (f"TRELLO_TOKEN={LEGACY_TOKEN.upper()}", "legacy-token"),
        (f'"apiSecret": "{SECRET.upper()}"', "api-secret"),
        (f"echo {TOKEN.lower()}", "token"),
    ],
    ids=["upper-key", "upper-legacy-token", "upper-secret", "lower-cased-token"],
)
def test_case_changed_values_are_found(line: str, expected: str) -> None:
    assert kinds(line) == [(0, expected)]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (("token: |", f"  {LEGACY_TOKEN}"), "legacy-token"),
        (("apiKey: >-", f"    {KEY}"), "api-key"),
        (("api_secret: |+", f"  {SECRET}", ""), "api-secret"),
        (('TRELLO_TOKEN = """', LEGACY_TOKEN, '"""'), "legacy-token"),
        (("TRELLO_API_KEY = (", f'    "{KEY}"', ")"), "api-key"),
        (('  "token":', f'    "{LEGACY_TOKEN}"'), "legacy-token"),
        (("export TRELLO_TOKEN=\\", f"  {LEGACY_TOKEN}"), "legacy-token"),
    ],
    ids=["yaml-literal", "yaml-folded", "yaml-keep", "python-triple", "python-paren", "json", "sh"],
)
def test_values_on_the_line_below_their_name_are_found(
    lines: tuple[str, ...], expected: str
) -> None:
    assert kinds(*lines) == [(1, expected)]


@pytest.mark.parametrize(
    "lines",
    [
        ("sha256: |", f"  {LEGACY_TOKEN}"),
        ("description: >-", f"  {KEY}"),
        ("checksums = (", f'    "{LEGACY_TOKEN}",'),
    ],
)
def test_other_multi_line_values_are_not_credentials(lines: tuple[str, ...]) -> None:
    assert kinds(*lines) == []


@pytest.mark.parametrize(
    "line",
    [
        "TRELLO_TOKEN=ATTA" + "x" * 72,
        "token: ATTA" + "X" * 72,
        "TRELLO_TOKEN=ATTA" + ("yourtokenhere" * 6)[:72],
        "TRELLO_TOKEN=ATTA" + "0" * 72,
        "TRELLO_TOKEN=ATTA" + ("0123456789abcdef" * 5)[:72],
        "TRELLO_TOKEN=your-token-here",
        "TRELLO_API_KEY=<your-api-key>",
    ],
)
def test_documentation_placeholders_are_not_credentials(line: str) -> None:
    assert kinds(line) == []


@pytest.mark.parametrize(
    "lines",
    [
        ('"trello": {', f'  "buildId": "{KEY}",'),
        (f'"trelloBoardId": "{KEY}"',),
        (f'trelloRequestID = "{KEY}"',),
        ("trello:", f"  correlationIds: {KEY}"),
    ],
)
def test_camel_case_ids_near_trello_are_not_keys(lines: tuple[str, ...]) -> None:
    assert kinds(*lines) == []


def test_a_camel_case_key_name_is_still_a_key() -> None:
    assert kinds(f'"trelloApiKey": "{KEY}"') == [(0, "api-key")]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo")
    (repo / "README.md").write_text("# demo\n")
    commit_all(repo, "start")
    return repo


def test_history_reads_commit_messages(repo: Path) -> None:
    (repo / "a.txt").write_text("a\n")
    leaked = commit_all(repo, f"Rotate the token\n\nold one was TRELLO_TOKEN={LEGACY_TOKEN}")
    (repo / "b.txt").write_text("b\n")
    other = commit_all(repo, f"mention {TOKEN} by mistake")
    status, payload = scan_json("--history", str(repo))
    assert status == 1
    assert sorted(found(payload)) == [
        ("(commit message)", 1, "token"),
        ("(commit message)", 3, "legacy-token"),
    ]
    items = payload["findings"]
    assert isinstance(items, list)
    commits = {f["kind"]: f["commit"] for f in items}
    assert commits == {"legacy-token": leaked, "token": other}


def test_history_reads_annotated_tag_messages(repo: Path) -> None:
    git(repo, "tag", "-a", "v1.0", "-m", f"release\n\ntrello key {KEY}")
    git(repo, "tag", "light")  # a lightweight tag has no message of its own
    status, payload = scan_json("--history", str(repo))
    assert status == 1
    assert found(payload) == [("(tag v1.0 message)", 3, "api-key")]


def test_history_reads_binary_files(repo: Path) -> None:
    (repo / "cache.sqlite").write_bytes(b"SQLite\0\1\2" + f"\ntoken={LEGACY_TOKEN}\n".encode())
    commit_all(repo, "add a database")
    (repo / "cache.sqlite").unlink()
    commit_all(repo, "remove it")
    status, payload = scan_json("--history", str(repo))
    assert status == 1
    assert found(payload) == [("cache.sqlite", 2, "legacy-token")]


def test_outside_git_a_secrets_file_is_not_reported_nor_advised_into_itself(
    tmp_path: Path,
) -> None:
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(f'[trello]\ntoken = "{TOKEN}"\n')
    (tmp_path / ".env").write_text(f"TRELLO_TOKEN={LEGACY_TOKEN}\n")
    result = run_scan(str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "secrets.toml" in result.stderr
    assert "not reported" in result.stderr
    (tmp_path / "deploy.sh").write_text(f"export TRELLO_TOKEN={LEGACY_TOKEN}\n")
    result = run_scan(str(tmp_path))
    assert result.exit_code == 1
    assert "deploy.sh:1: legacy-token" in result.stdout
    assert ".streamlit/secrets.toml:" not in result.stdout
    assert "git-ignored" not in result.stderr


def test_an_ignored_secrets_file_named_explicitly_is_not_called_unignored(repo: Path) -> None:
    (repo / ".gitignore").write_text(".streamlit/secrets.toml\n")
    (repo / ".streamlit").mkdir()
    secrets = repo / ".streamlit" / "secrets.toml"
    secrets.write_text(f'[trello]\ntoken = "{TOKEN}"\n')
    result = run_scan(str(secrets))
    assert result.exit_code == 0, result.output
    assert "not ignored" not in result.output
