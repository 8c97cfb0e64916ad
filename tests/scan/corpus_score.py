"""Recall and precision of trellolens scan and detect-secrets on the labelled corpus.

Both tools are scored the same way, by line: a labelled credential is found when the tool reports
its (file, line); a reported line that holds no labelled credential is a false positive.
``trellolens`` is also checked for the right kind in the corpus test.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
LABELS = CORPUS / "labels.json"
Hit = tuple[str, int]


@dataclass(frozen=True)
class Label:
    file: str
    line: int
    kind: str


@dataclass(frozen=True)
class Score:
    tool: str
    true_positives: int
    false_positives: int
    false_negatives: int
    recall_by_kind: dict[str, tuple[int, int]]
    false_lines: tuple[Hit, ...]
    missed: tuple[Label, ...]
    seconds: float

    @property
    def recall(self) -> float:
        found = self.true_positives + self.false_negatives
        return self.true_positives / found if found else 1.0

    @property
    def precision(self) -> float:
        reported = self.true_positives + self.false_positives
        return self.true_positives / reported if reported else 1.0


def labels() -> list[Label]:
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    return [Label(item["file"], item["line"], item["kind"]) for item in data["credentials"]]


def corpus_files() -> list[Path]:
    return sorted(path for path in CORPUS.rglob("*") if path.is_file() and path != LABELS)


def trellolens_hits() -> set[tuple[str, int, str]]:
    from trellolens.scan.scanner import ScanRequest, scan

    result = scan(ScanRequest(paths=(str(CORPUS),)), cwd=CORPUS)
    prefix = CORPUS.relative_to(result.root).as_posix() + "/" if result.in_git else ""
    return {(f.file.removeprefix(prefix), f.line, f.kind) for f in result.findings}


def detect_secrets_hits() -> set[Hit]:
    from detect_secrets.core.secrets_collection import SecretsCollection
    from detect_secrets.settings import default_settings

    hits: set[Hit] = set()
    with default_settings():
        collection = SecretsCollection(root=str(CORPUS))
        for path in corpus_files():
            collection.scan_file(str(path.relative_to(CORPUS)))
        for filename, secret in collection:
            hits.add((Path(filename).as_posix(), secret.line_number))
    return hits


def score(tool: str, hits: set[Hit], seconds: float) -> Score:
    truth = labels()
    true_lines = {(label.file, label.line) for label in truth}
    missed = tuple(label for label in truth if (label.file, label.line) not in hits)
    by_kind: dict[str, tuple[int, int]] = {}
    for label in truth:
        found, total = by_kind.get(label.kind, (0, 0))
        by_kind[label.kind] = (found + (label not in missed), total + 1)
    false_lines = tuple(sorted(hits - true_lines))
    return Score(
        tool,
        len(truth) - len(missed),
        len(false_lines),
        len(missed),
        by_kind,
        false_lines,
        missed,
        seconds,
    )


def timed(work: Callable[[], set[Hit]]) -> tuple[set[Hit], float]:
    started = time.perf_counter()
    hits = work()
    return hits, time.perf_counter() - started


def score_both() -> tuple[Score, Score]:
    ours, our_seconds = timed(lambda: {(f, n) for f, n, _ in trellolens_hits()})
    theirs, their_seconds = timed(detect_secrets_hits)
    return score("trellolens scan", ours, our_seconds), score(
        "detect-secrets", theirs, their_seconds
    )


def table(scores: tuple[Score, ...]) -> str:
    kinds = sorted({kind for s in scores for kind in s.recall_by_kind})
    header = ["tool", "TP", "FP", "FN", "recall", "precision", *kinds, "seconds"]
    rows = [header]
    for s in scores:
        per_kind = [f"{s.recall_by_kind[k][0]}/{s.recall_by_kind[k][1]}" for k in kinds]
        rows.append(
            [
                s.tool,
                str(s.true_positives),
                str(s.false_positives),
                str(s.false_negatives),
                f"{s.recall:.1%}",
                f"{s.precision:.1%}",
                *per_kind,
                f"{s.seconds:.3f}",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
