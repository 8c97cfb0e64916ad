"""Recall and precision on the labelled corpus, side by side with detect-secrets; a clean self-scan."""

from __future__ import annotations

from tests.helpers.paths import REPO_ROOT
from tests.scan.corpus_score import (
    CORPUS,
    corpus_files,
    labels,
    score_both,
    table,
    trellolens_hits,
)
from trellolens.scan.patterns import TOKEN
from trellolens.scan.scanner import ScanRequest, scan

CORPUS_GLOB = "tests/scan/corpus/**"
HELD_OUT_GLOB = "bench/scan_heldout/**"  # the benchmark's held-out corpus, fake values too


def test_corpus_recall_and_precision_against_detect_secrets() -> None:
    ours, theirs = score_both()
    print("\n" + table((ours, theirs)))
    assert ours.missed == ()
    assert ours.false_lines == ()
    assert ours.recall == 1.0
    assert ours.precision == 1.0
    assert ours.recall >= theirs.recall
    assert ours.precision >= theirs.precision


def test_corpus_kinds_match_the_labels_exactly() -> None:
    expected = {(label.file, label.line, label.kind) for label in labels()}
    assert trellolens_hits() == expected


def test_corpus_covers_every_format_and_kind() -> None:
    truth = labels()
    suffixes = {label.file.rsplit(".", 1)[-1] for label in truth}
    assert {"py", "js", "toml", "env", "yml", "yaml", "json", "ipynb", "sh"} <= suffixes
    assert any(label.file.endswith("Dockerfile") for label in truth)
    assert {label.kind for label in truth} == {"api-key", "token", "legacy-token", "api-secret"}
    lookalikes = [path for path in corpus_files() if path.parent.name == "lookalikes"]
    assert len(lookalikes) >= 10


def test_corpus_tokens_are_canaries() -> None:
    for path in corpus_files():
        text = path.read_text(encoding="utf-8")
        for label in labels():
            if label.kind == TOKEN and path == CORPUS / label.file:
                line = text.splitlines()[label.line - 1]
                assert "ATTACANARY" in line


def test_this_repository_is_clean_apart_from_the_corpora() -> None:
    result = scan(
        ScanRequest(paths=(str(REPO_ROOT),), excludes=(CORPUS_GLOB, HELD_OUT_GLOB)), cwd=REPO_ROOT
    )
    assert result.in_git
    leftovers = [f.describe() for f in result.findings]
    assert leftovers == []


def test_pre_commit_hook_runs_the_staged_scan() -> None:
    import yaml

    [hook] = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "trellolens-scan"
    assert hook["entry"] == "trellolens scan --staged"
    assert (hook["language"], hook["pass_filenames"], hook["always_run"]) == ("python", False, True)
