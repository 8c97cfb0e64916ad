"""Scoring trellolens scan and detect-secrets on a labelled corpus, per credential.

A finding covers the lines from its line to its end (detect-secrets and trellolens report one
line; the tolerance is the finding's own span). A labelled credential spans its first to last
line. Per credential: a Trello credential is found (true positive) when any finding overlaps its
lines, else missed; several findings on one credential count once. A finding that overlaps no
labelled credential is a false positive. Findings on other services' credentials are neither:
they are counted apart (neither tool is scored on what the other claims to detect).

Two corpora: bench/scan_heldout (held out: written before scoring, quoted) and tests/scan/corpus
(tuned: the patterns were developed on it, kept as the regression suite). The tuned corpus's labels
hold one line per credential and no other-service entries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "bench" / "scan_heldout" / "files"
HELD_OUT_LABELS = ROOT / "bench" / "scan_heldout" / "labels.json"
TUNED = ROOT / "tests" / "scan" / "corpus"
TUNED_LABELS = TUNED / "labels.json"
TRELLO_KINDS = ("api-key", "api-secret", "legacy-token", "token")


@dataclass(frozen=True)
class Credential:
    file: str
    line: int
    end_line: int
    kind: str
    service: str


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    end_line: int


@dataclass(frozen=True)
class Score:
    tool: str
    found: dict[str, tuple[int, int]]
    """Per Trello kind: (found, labelled)."""
    false_positives: tuple[Finding, ...]
    on_other_services: int
    missed: tuple[Credential, ...]

    @property
    def true_positives(self) -> int:
        return sum(found for found, _ in self.found.values())

    @property
    def labelled(self) -> int:
        return sum(total for _, total in self.found.values())

    @property
    def recall(self) -> float:
        return self.true_positives / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        reported = self.true_positives + len(self.false_positives)
        return self.true_positives / reported if reported else 1.0


def read_labels(path: Path) -> list[Credential]:
    items = json.loads(path.read_text(encoding="utf-8"))["credentials"]
    return [
        Credential(
            item["file"],
            item["line"],
            item.get("end_line", item["line"]),
            item["kind"],
            item.get("service", "trello"),
        )
        for item in items
    ]


def overlaps(finding: Finding, credential: Credential) -> bool:
    return (
        finding.file == credential.file
        and finding.line <= credential.end_line
        and credential.line <= finding.end_line
    )


def score(tool: str, findings: set[Finding], labels: list[Credential]) -> Score:
    trello = [label for label in labels if label.service == "trello"]
    others = [label for label in labels if label.service != "trello"]
    found: dict[str, tuple[int, int]] = dict.fromkeys(TRELLO_KINDS, (0, 0))
    missed = []
    for credential in trello:
        hit = any(overlaps(finding, credential) for finding in findings)
        got, total = found[credential.kind]
        found[credential.kind] = (got + hit, total + 1)
        if not hit:
            missed.append(credential)
    unmatched = [f for f in findings if not any(overlaps(f, c) for c in trello)]
    on_others = [f for f in unmatched if any(overlaps(f, c) for c in others)]
    false = tuple(
        sorted((f for f in unmatched if f not in on_others), key=lambda f: (f.file, f.line))
    )
    return Score(tool, found, false, len(on_others), tuple(missed))


def files_under(corpus: Path) -> list[Path]:
    return sorted(
        path for path in corpus.rglob("*") if path.is_file() and path.name != "labels.json"
    )


def trellolens_findings(corpus: Path) -> set[Finding]:
    from trellolens.scan.scanner import ScanRequest, scan

    result = scan(ScanRequest(paths=(str(corpus),)), cwd=corpus)
    prefix = corpus.relative_to(result.root).as_posix() + "/" if result.in_git else ""
    return {
        Finding(f.file.removeprefix(prefix), f.line, f.line)
        for f in result.findings
        if f.kind in TRELLO_KINDS
    }


def detect_secrets_findings(corpus: Path) -> set[Finding]:
    """detect-secrets with its default plugins (it has no Trello plugin), as its hook runs."""
    from detect_secrets.core.secrets_collection import SecretsCollection
    from detect_secrets.settings import default_settings

    findings: set[Finding] = set()
    with default_settings():
        collection = SecretsCollection(root=str(corpus))
        for path in files_under(corpus):
            collection.scan_file(str(path.relative_to(corpus)))
        for filename, secret in collection:
            line = secret.line_number
            findings.add(Finding(Path(filename).as_posix(), line, line))
    return findings


def score_corpus(corpus: Path, labels_path: Path) -> tuple[Score, Score]:
    labels = read_labels(labels_path)
    return (
        score("trellolens scan", trellolens_findings(corpus), labels),
        score("detect-secrets", detect_secrets_findings(corpus), labels),
    )


def table(scores: tuple[Score, ...]) -> str:
    header = "| tool | found | missed | false alarms | recall | precision | on other services | "
    header += " | ".join(TRELLO_KINDS) + " |"
    lines = [header, "|" + "---|" * (7 + len(TRELLO_KINDS))]
    for s in scores:
        kinds = " | ".join(f"{s.found[k][0]}/{s.found[k][1]}" for k in TRELLO_KINDS)
        lines.append(
            f"| {s.tool} | {s.true_positives} | {len(s.missed)} | {len(s.false_positives)} | "
            f"{s.recall:.1%} | {s.precision:.1%} | {s.on_other_services} | {kinds} |"
        )
    return "\n".join(lines)
