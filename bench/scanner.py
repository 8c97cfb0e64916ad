"""trellolens scan against detect-secrets: recall, precision and time, side by side in one run.

1. The labelled corpus (tests/scan/corpus): true Trello keys, tokens and secrets in code, TOML,
   .env, YAML, JSON, notebooks, a Dockerfile and shell; look-alikes (hashes in lockfiles and
   checksum files, git SHAs, UUIDs, Trello attachment URLs, other services' keys, base64, prose).
   Both tools are scored by line; per-kind columns are found/labelled.
2. Time on this repository's files (git ls-files -co --exclude-standard), best of 3: both tools
   read the same list of files with their default settings.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.scan.corpus_score import score_both, table  # noqa: E402

from trellolens.scan.git_sources import tracked_files  # noqa: E402
from trellolens.scan.scanner import ScanRequest, scan  # noqa: E402

REPEATS = 3


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


def main() -> None:
    print("Labelled corpus (tests/scan/corpus), scored by line:")
    print(table(score_both()))
    files = len(tracked_files(ROOT, [":(literal)."]))
    ours = best_of(trellolens_repository)
    theirs = best_of(detect_secrets_repository)
    print(f"\nThis repository, {files} files, best of {REPEATS}:")
    print(f"  trellolens scan  {ours:.3f} s  ({trellolens_repository()} findings)")
    print(f"  detect-secrets   {theirs:.3f} s  ({detect_secrets_repository()} findings)")
    print(f"  detect-secrets / trellolens: {theirs / ours:.1f}x the time")


if __name__ == "__main__":
    main()
