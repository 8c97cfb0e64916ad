"""`make bench`: run every bench script in turn and write one table, bench/RESULTS.md.

Each script runs as a process of its own (python bench/NAME.py) with BENCH_RESULTS set, so its
``record(...)`` rows land in one file; a script that fails stops the run (exit 1) and the table is
not touched. The rows are kept in bench/RESULTS.jsonl: naming some scripts reruns only those and
replaces only their rows. ``--quick`` (or BENCH_QUICK=1) asks every script for fewer repetitions;
each row says when it was measured, under what load, and whether in quick mode.

Run: .venv/bin/python bench/run_all.py [--quick] [NAME ...]
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from results import QUICK_ENV, RESULTS_ENV, Row, load_average

BENCH = Path(__file__).resolve().parent
SCRIPTS = (
    "startup",
    "parse",
    "memory",
    "metrics",
    "credentials",
    "fetch",
    "board_load",
    "portfolio",
    "scanner",
    "app_browser",
    "scale_out",
    "webhook_to_page",
)
KEPT = BENCH / "RESULTS.jsonl"
RUNS = BENCH / "RESULTS.runs"
"""One line per run whose rows the table holds (a run of every script starts it afresh)."""
HEADER = (
    "| measure | trellolens | peer (how used) | ratio | floor ratio | measured (UTC), load |\n"
    "|---|---|---|---|---|---|"
)


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def run(names: list[str], quick: bool, rows_file: Path) -> None:
    env = os.environ | {RESULTS_ENV: str(rows_file), QUICK_ENV: "1" if quick else "0"}
    for name in names:
        print(f"== bench/{name}.py (load {load_average()})", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(BENCH / f"{name}.py")], env=env, check=False)
        if done.returncode != 0:
            raise SystemExit(f"bench/{name}.py failed (exit {done.returncode})")
        print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)


def table(rows: list[Row], runs: list[str]) -> str:
    lines = [
        "# Benchmark results",
        "",
        "- runs (bench/run_all.py; a later run of some scripts replaces only their rows):",
        *(f"  - {run}" for run in runs),
        f"- machine: {machine()}; shared with other jobs while this ran, so times are noisy:"
        " every time is the median of interleaved runs (best in brackets), ratios use medians,"
        " and each row gives the 1-minute load average when it was measured",
        "- each script's docstring says exactly how it measures (see bench/README.md)",
        "",
        HEADER,
    ]
    for row in rows:
        when = f"{row.date}, load {row.load.split()[0]}" + (", quick mode" if row.quick else "")
        lines.append(
            f"| {row.measure} (`bench/{row.bench}.py`) | {row.ours} | {row.peer} | {row.ratio} | "
            f"{row.floor or '-'} | {when} |"
        )
    return "\n".join(lines) + "\n"


def merged(kept: list[Row], fresh: list[Row], rerun: list[str]) -> list[Row]:
    """The fresh rows in place of those of the scripts that ran again, in SCRIPTS order."""
    rows = [row for row in kept if row.bench not in rerun] + fresh
    return sorted(rows, key=lambda row: SCRIPTS.index(row.bench))


def main() -> None:
    arguments = sys.argv[1:]
    quick = "--quick" in arguments or os.environ.get(QUICK_ENV) == "1"
    names = [name for name in arguments if not name.startswith("--")] or list(SCRIPTS)
    unknown = sorted(set(names) - set(SCRIPTS))
    if unknown:
        raise SystemExit(f"no such bench: {', '.join(unknown)}")
    started = datetime.now(UTC)
    first_load = load_average()
    with tempfile.TemporaryDirectory() as folder:
        rows_file = Path(folder) / "rows.jsonl"
        rows_file.touch()
        run(names, quick, rows_file)
        fresh = read_rows(rows_file)
    kept = read_rows(KEPT) if KEPT.exists() else []
    rows = merged(kept, fresh, names)
    KEPT.write_text("".join(json.dumps(asdict(row)) + "\n" for row in rows), encoding="utf-8")
    command = "make bench" + (" BENCH_QUICK=1" if quick else "")
    if names != list(SCRIPTS):
        command = f"python bench/run_all.py {'--quick ' if quick else ''}{' '.join(names)}"
    run_line = (
        f"`{command}` at {started:%Y-%m-%d %H:%M} UTC; load average (1, 5, 15 min) "
        f"{first_load} at its start, {load_average()} at its end"
    )
    earlier = RUNS.read_text(encoding="utf-8").splitlines() if RUNS.exists() else []
    runs = [run_line] if names == list(SCRIPTS) else [*earlier, run_line]
    RUNS.write_text("".join(line + "\n" for line in runs), encoding="utf-8")
    text = table(rows, runs)
    (BENCH / "RESULTS.md").write_text(text, encoding="utf-8")
    print(text)


def read_rows(path: Path) -> list[Row]:
    return [Row(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]


if __name__ == "__main__":
    main()
