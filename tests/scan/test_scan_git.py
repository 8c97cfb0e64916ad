"""`trellolens scan` on a temporary git repository: files, --staged, --history, secrets files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scan.scan_support import (
    KEY,
    LEGACY_TOKEN,
    TOKEN,
    assert_no_canary,
    commit_all,
    git,
    make_repo,
    run_scan,
    scan_json,
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo")
    (repo / "README.md").write_text("# demo\n")
    commit_all(repo, "start")
    return repo


def findings(payload: dict[str, object]) -> list[dict[str, object]]:
    found = payload["findings"]
    assert isinstance(found, list)
    return found


def test_token_committed_then_deleted_is_only_in_history(repo: Path) -> None:
    (repo / "config.py").write_text(f'import os\n\nTRELLO_TOKEN = "{TOKEN}"\n')
    leaked = commit_all(repo, "add config")
    (repo / "config.py").unlink()
    commit_all(repo, "remove config")

    status, payload = scan_json(str(repo))
    assert (status, findings(payload)) == (0, [])

    status, payload = scan_json("--history", str(repo))
    assert status == 1
    [finding] = findings(payload)
    assert finding["commit"] == leaked
    assert (finding["file"], finding["line"], finding["kind"]) == ("config.py", 3, "token")
    assert finding["source"] == "history"
    assert finding["preview"] == "ATTA..."

    text = run_scan("--history", str(repo))
    assert text.exit_code == 1
    assert f"{leaked[:12]} config.py:3: token ATTA..." in text.stdout
    assert_no_canary(text)


def test_staged_catches_a_token_before_commit(repo: Path) -> None:
    (repo / "app.py").write_text("a = 1\nb = 2\n")
    commit_all(repo, "app")
    (repo / "app.py").write_text(f'a = 1\nb = 2\nTRELLO_API_KEY = "{KEY}"\n')
    (repo / "unstaged.py").write_text(f'token = "{LEGACY_TOKEN}"\n')
    git(repo, "add", "app.py")

    status, payload = scan_json("--staged", str(repo))
    assert status == 1
    assert [(f["file"], f["line"], f["kind"]) for f in findings(payload)] == [
        ("app.py", 3, "api-key")
    ]
    git(repo, "restore", "--staged", "app.py")
    assert scan_json("--staged", str(repo))[0] == 0


def test_staged_reports_added_lines_only_with_new_line_numbers(repo: Path) -> None:
    before = [f"line {n}" for n in range(1, 21)]
    (repo / "long.txt").write_text("\n".join([*before, f"trello token {LEGACY_TOKEN}"]) + "\n")
    commit_all(repo, "long file with a token at line 21")
    after = ["new first line", *before[:10], f"api_key: {KEY}", *before[10:]]
    (repo / "long.txt").write_text("\n".join([*after, f"trello token {LEGACY_TOKEN}"]) + "\n")
    git(repo, "add", "long.txt")
    status, payload = scan_json("--staged", str(repo))
    assert status == 1
    assert [(f["line"], f["kind"]) for f in findings(payload)] == [(12, "api-key")]


def test_tracked_streamlit_secrets_is_a_finding(repo: Path) -> None:
    (repo / ".streamlit").mkdir()
    (repo / ".streamlit" / "secrets.toml").write_text(f'[trello]\ntoken = "{TOKEN}"\n')
    commit_all(repo, "oops")
    status, payload = scan_json(str(repo))
    assert status == 1
    kinds = {(f["file"], f["kind"], f["note"]) for f in findings(payload)}
    assert (".streamlit/secrets.toml", "token", None) in kinds
    [secrets_file] = [f for f in findings(payload) if f["kind"] == "secrets-file"]
    assert secrets_file["file"] == ".streamlit/secrets.toml"
    assert "tracked by git" in str(secrets_file["note"])
    assert secrets_file["preview"] == ""


def test_untracked_env_is_a_finding_unless_ignored(repo: Path) -> None:
    (repo / ".env").write_text("DEBUG=1\n")
    (repo / ".env.example").write_text("TRELLO_TOKEN=\n")
    status, payload = scan_json(str(repo))
    assert status == 1
    assert [(f["file"], f["kind"]) for f in findings(payload)] == [(".env", "secrets-file")]
    assert "not ignored" in str(findings(payload)[0]["note"])

    (repo / ".gitignore").write_text(".env\n")
    (repo / ".env").write_text(f"TRELLO_TOKEN={TOKEN}\n")  # ignored: neither file nor value
    status, payload = scan_json(str(repo))
    assert (status, findings(payload)) == (0, [])


def test_history_reports_a_secrets_file_ever_committed(repo: Path) -> None:
    (repo / ".env.production").write_text("DEBUG=0\n")
    added = commit_all(repo, "add env")
    git(repo, "rm", "-q", ".env.production")
    commit_all(repo, "remove env")
    status, payload = scan_json("--history", str(repo))
    assert status == 1
    [finding] = findings(payload)
    assert (finding["kind"], finding["file"], finding["commit"]) == (
        "secrets-file",
        ".env.production",
        added,
    )


def test_history_finds_tokens_on_other_branches(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "experiment")
    (repo / "notes.md").write_text(f"My Trello API key: {KEY}\n")
    on_branch = commit_all(repo, "notes")
    git(repo, "checkout", "-q", "main")
    status, payload = scan_json("--history", str(repo))
    assert status == 1
    assert [(f["commit"], f["kind"]) for f in findings(payload)] == [(on_branch, "api-key")]


def test_ignored_and_huge_files_are_skipped_binary_files_and_notebooks_are_read(
    repo: Path,
) -> None:
    (repo / ".gitignore").write_text("build/\n")
    (repo / "build").mkdir()
    (repo / "build" / "app.py").write_text(f'TRELLO_TOKEN = "{TOKEN}"\n')
    (repo / "blob.bin").write_bytes(b"\0\1" + f"token={LEGACY_TOKEN}".encode())
    (repo / "big.txt").write_text(f"token={LEGACY_TOKEN}\n" + "x" * (5 * 1024 * 1024))
    cell = f'"source": ["TRELLO_API_KEY = \\"{KEY}\\""]'
    (repo / "nb.ipynb").write_text('{"cells": [{\n' + cell + "\n}]}\n")
    status, payload = scan_json(str(repo))
    assert status == 1
    assert [(f["file"], f["line"], f["kind"]) for f in findings(payload)] == [
        ("blob.bin", 1, "legacy-token"),
        ("nb.ipynb", 2, "api-key"),
    ]
    # A file named on the command line is scanned even when git ignores it.
    status, payload = scan_json(str(repo / "build" / "app.py"))
    assert [(f["file"], f["kind"]) for f in findings(payload)] == [("build/app.py", "token")]


def test_outside_git_walks_the_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deploy.sh").write_text(f"export TRELLO_TOKEN={LEGACY_TOKEN}\n")
    (tmp_path / ".env").write_text("A=1\n")  # no git: nothing can commit it
    status, payload = scan_json(str(tmp_path))
    assert status == 1
    assert [(f["file"], f["kind"]) for f in findings(payload)] == [
        ("sub/deploy.sh", "legacy-token")
    ]


def test_exit_code_two_for_usage_errors(tmp_path: Path) -> None:
    missing = run_scan(str(tmp_path / "missing"))
    assert missing.exit_code == 2
    assert missing.stderr.strip().startswith("trellolens: error: ")
    assert "no such file or folder" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    for mode in ("--staged", "--history"):
        outside = run_scan(mode, str(tmp_path))
        assert outside.exit_code == 2
        assert f"{mode} needs a git repository" in outside.stderr
        assert "Traceback" not in outside.stderr


def test_exclude_skips_matching_paths(repo: Path) -> None:
    (repo / "fixtures").mkdir()
    (repo / "fixtures" / "secrets.py").write_text(f'TRELLO_TOKEN = "{TOKEN}"\n')
    assert scan_json(str(repo))[0] == 1
    assert scan_json("--exclude", "fixtures/**", str(repo))[0] == 0
    assert scan_json("--exclude", "fixtures", str(repo))[0] == 0


def test_staged_without_paths_covers_the_repository_from_a_subfolder(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "docs").mkdir()
    (repo / "deploy.sh").write_text(f"export TRELLO_TOKEN={LEGACY_TOKEN}\n")
    git(repo, "add", "deploy.sh")
    monkeypatch.chdir(repo / "docs")
    status, payload = scan_json("--staged")
    assert status == 1
    assert [(f["file"], f["kind"]) for f in findings(payload)] == [("deploy.sh", "legacy-token")]
