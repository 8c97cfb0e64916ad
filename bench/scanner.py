"""trellolens scan against detect-secrets: recall, precision and time, side by side in one run.

1. The held-out corpus (bench/scan_heldout, quoted): Trello credentials in configuration files,
   code, CI, docs and fixtures written from public examples' shapes, with real-world look-alikes
   and other services' credentials; written and committed before either tool was run on it.
   Scored per credential (bench/scan_score.py): a finding counts where it overlaps a credential's
   lines; findings on other services' credentials are counted apart, for both tools.
2. The tuned corpus (tests/scan/corpus): the one the patterns were developed on, kept as the
   regression suite (tests/scan/test_scan_corpus.py); scored the same way, shown, not quoted.
3. Time on this repository's files (git ls-files -co --exclude-standard), best of 3: both tools
   read the same list of files with their default settings.

Run: .venv/bin/python bench/scanner.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from results import record, repeats
from scan_score import (
    HELD_OUT,
    HELD_OUT_LABELS,
    TUNED,
    TUNED_LABELS,
    Score,
    score_corpus,
    table,
)
from trellolens.scan.git_sources import tracked_files
from trellolens.scan.scanner import ScanRequest, scan

ROOT = Path(__file__).resolve().parent.parent
REPEATS = repeats(3, 1)


def best_of(work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def trellolens_repository() -> int:
    return len(scan(ScanRequest(paths=(str(ROOT),)), cwd=ROOT).findings)


def detect_secrets_repository() -> int:
    from detect_secrets.core.secrets_collection import SecretsCollection
    from detect_secrets.settings import default_settings

    with default_settings():
        collection = SecretsCollection(root=str(ROOT))
        for name in tracked_files(ROOT, [":(literal)."]):
            collection.scan_file(name)
        return sum(1 for _ in collection)


def summary(score: Score) -> str:
    return (
        f"{score.true_positives}/{score.labelled} found, {len(score.false_positives)} false "
        f"alarms (recall {score.recall:.0%}, precision {score.precision:.0%})"
    )


def main() -> None:
    held_out = score_corpus(HELD_OUT, HELD_OUT_LABELS)
    print("Held-out corpus (bench/scan_heldout), per credential:")
    print(table(held_out))
    for score in held_out:
        for finding in score.false_positives:
            print(f"  {score.tool} false alarm: {finding.file}:{finding.line}")
        for credential in score.missed:
            print(f"  {score.tool} missed: {credential.file}:{credential.line} {credential.kind}")
    tuned = score_corpus(TUNED, TUNED_LABELS)
    print("\nTuned corpus (tests/scan/corpus, the regression suite; not quoted):")
    print(table(tuned))
    files = len(tracked_files(ROOT, [":(literal)."]))
    ours = best_of(trellolens_repository)
    theirs = best_of(detect_secrets_repository)
    print(f"\nThis repository, {files} files, best of {REPEATS}:")
    print(f"  trellolens scan  {ours:.3f} s  ({trellolens_repository()} findings)")
    print(f"  detect-secrets   {theirs:.3f} s  ({detect_secrets_repository()} findings)")
    ours_score, theirs_score = held_out
    record(
        "scanner",
        f"Trello credentials in the held-out corpus ({ours_score.labelled} credentials, "
        "look-alikes, other services' keys), per credential",
        summary(ours_score),
        f"detect-secrets 1.5, default plugins (no Trello plugin; its hex-entropy and keyword "
        f"detectors): {summary(theirs_score)}",
        f"recall {ours_score.recall:.0%} vs {theirs_score.recall:.0%}, precision "
        f"{ours_score.precision:.0%} vs {theirs_score.precision:.0%}",
    )
    record(
        "scanner",
        f"in-process scan of this repository's {files} files (best of {REPEATS})",
        f"{ours:.2f} s",
        f"detect-secrets `SecretsCollection.scan_file`, default settings: {theirs:.2f} s",
        f"{theirs / ours:.0f}x less time",
    )


if __name__ == "__main__":
    main()
