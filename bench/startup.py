"""CLI start-up: `trellolens --version` and `trellolens scan` against their peers, in one run.

Each command runs as a fresh process (as a shell or a pre-commit hook runs it); wall time and the
peak resident memory of that process (GNU time's %M) are taken over REPEATS runs, the commands
interleaved so that a noisy neighbour hits them alike. Best and median are printed; ratios use
the medians.
This machine is shared and noisy: compare the ratios, not the absolute times.

- `trellolens --version` against `python -c "import click"` (the floor of any click CLI).
  Goals: at most 1.5x the wall time, under 45 MiB peak.
- `trellolens scan` (this repository: the files git tracks or does not ignore) against
  detect-secrets' pre-commit hook, `detect-secrets-hook FILES...`, on the same files.
  Goal: at most 1.5x.
- `trellolens credentials` and `trellolens doctor` (with no credentials configured), for the record.

Run: .venv/bin/python bench/startup.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from results import record, repeats

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REPEATS = repeats(9, 5)
HOOK_REPEATS = repeats(2, 1)  # detect-secrets takes tens of seconds on this repository
MIB = 1024 * 1024
TIME = "/usr/bin/time"  # GNU time (Debian's package "time")


@dataclass
class Timings:
    name: str
    argv: list[str]
    cwd: Path = ROOT
    ok_exits: tuple[int, ...] = (0,)
    seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)

    def run(self, env: dict[str, str]) -> None:
        with tempfile.NamedTemporaryFile("r") as peak:
            # GNU time reports the peak of the command alone: a child's own ru_maxrss would
            # start at this (larger) benchmark process's peak, which fork and exec carry over.
            started = time.perf_counter()
            done = subprocess.run(
                [TIME, "-f", "%M", "-o", peak.name, *self.argv],
                cwd=self.cwd,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                check=False,
            )
            self.seconds.append(time.perf_counter() - started)
            # A crash exits early and would time as fast: any exit but the expected one fails.
            if done.returncode not in self.ok_exits or b"Traceback" in done.stderr:
                raise SystemExit(
                    f"{self.name} exited {done.returncode}: {done.stderr.decode()[-400:].strip()}"
                )
            self.peak_kib.append(int(peak.read().split()[-1]))

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mib(self) -> float:
        return statistics.median(self.peak_kib) * 1024 / MIB

    def line(self) -> str:
        return (
            f"  {self.name:<34} best {min(self.seconds) * 1000:7.0f} ms   "
            f"median {self.median * 1000:7.0f} ms   peak {self.peak_mib:6.1f} MiB"
        )


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return [name for name in listed.stdout.decode().split("\0") if name and (ROOT / name).is_file()]


def measure(commands: list[Timings], slow: Timings, env: dict[str, str]) -> None:
    for command in commands:
        command.run(env)  # warm-up: the file cache and .pyc files
    for round_number in range(REPEATS):
        for command in commands:
            command.run(env)
        if round_number < HOOK_REPEATS:
            slow.run(env)


def main() -> None:
    # Compiled .pyc files, as an installed package has (bench/fetch.py says why).
    dropped = ("TRELLO", "AWS_", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    trellolens = str(BIN / "trellolens")
    with tempfile.TemporaryDirectory() as home:
        env["HOME"] = home  # no ~/.aws or ~/.streamlit of the person running the benchmark
        click_floor = Timings("python -c 'import click'", [sys.executable, "-c", "import click"])
        version = Timings("trellolens --version", [trellolens, "--version"])
        scan = Timings("trellolens scan", [trellolens, "scan"])
        # The hook exits 1 when it finds something; credentials and doctor exit 1 when nothing
        # is configured (what they are timed on). Any other exit, or a traceback, fails the run.
        hook = Timings(
            "detect-secrets-hook FILES",
            [str(BIN / "detect-secrets-hook"), *tracked_files()],
            ok_exits=(0, 1),
        )
        credentials = Timings(
            "trellolens credentials", [trellolens, "credentials"], Path(home), ok_exits=(1,)
        )
        doctor = Timings("trellolens doctor", [trellolens, "doctor"], Path(home), ok_exits=(1,))
        measure([click_floor, version, scan, credentials, doctor], hook, env)
    print(
        f"Each command a fresh process, {REPEATS} runs interleaved after one warm-up "
        f"(detect-secrets-hook: {HOOK_REPEATS} runs):"
    )
    for timing in (click_floor, version, scan, hook, credentials, doctor):
        print(timing.line())
    print(
        f"trellolens --version / import click: {version.median / click_floor.median:.2f}x the "
        f"wall time (goal <= 1.5x), peak {version.peak_mib:.1f} MiB (goal < 45 MiB)"
    )
    print(
        f"trellolens scan / detect-secrets-hook on the same {len(hook.argv) - 1} files: "
        f"{scan.median / hook.median:.2f}x the wall time (goal <= 1.5x)"
    )
    record(
        "startup",
        "`trellolens --version`, fresh process: wall time, peak memory",
        f"{ms(version)}, {version.peak_mib:.1f} MiB",
        f"`python -c 'import click'` (the floor of any click CLI): {ms(click_floor)}, "
        f"{click_floor.peak_mib:.1f} MiB",
        f"{version.median / click_floor.median:.2f}x the time (goal <= 1.5x)",
        f"{version.median / click_floor.median:.2f}x (the peer is the floor)",
    )
    record(
        "startup",
        f"`trellolens scan` of this repository ({len(hook.argv) - 1} files), fresh process",
        ms(scan),
        f"`detect-secrets-hook FILES` (its pre-commit hook, default plugins, no baseline): "
        f"{ms(hook)}",
        f"{scan.median / hook.median:.3f}x the time (goal <= 1.5x)",
    )
    record(
        "startup",
        "`trellolens credentials` / `trellolens doctor`, nothing configured",
        f"{ms(credentials)} / {ms(doctor)}",
        "none (for the record)",
        "-",
    )


def ms(timing: Timings) -> str:
    runs = timing.seconds
    return f"{timing.median * 1000:.0f} ms (best {min(runs) * 1000:.0f} ms)"


if __name__ == "__main__":
    main()
