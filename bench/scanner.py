"""trellolens scan against detect-secrets: recall, precision and time, side by side in one run.

1. The held-out corpus (bench/scan_heldout, quoted): Trello credentials in configuration files,
   code, CI, docs and fixtures written from public examples' shapes, with real-world look-alikes
   and other services' credentials; written and committed before either tool was run on it.
   Scored per credential (bench/scan_score.py): a finding counts where it overlaps a credential's
   lines; findings on other services' credentials are counted apart, for both tools.
2. The tuned corpus (tests/scan/corpus): the one the patterns were developed on, kept as the
   regression suite (tests/scan/test_scan_corpus.py); scored the same way, shown, not quoted.
(Time on this repository, each tool as its own process the way a pre-commit hook runs it, is
bench/startup.py's.)

Run: .venv/bin/python bench/scanner.py
"""

from __future__ import annotations

from results import record
from scan_score import (
    HELD_OUT,
    HELD_OUT_LABELS,
    TUNED,
    TUNED_LABELS,
    Score,
    score_corpus,
    table,
)


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


if __name__ == "__main__":
    main()
