"""The files generated from uv.lock, in one place: ``make lock`` writes them, the tests check them.

    python scripts/lock.py --write    regenerate every export from uv.lock (after `uv lock`) and
                                      pin [tool.uv] build-constraint-dependencies to the build group
    python scripts/lock.py --check    exit 1 when an export differs from what uv.lock gives
    python scripts/lock.py --moved OLD_LOCK    print the versions that moved since OLD_LOCK

Each export is ``uv export --frozen`` of one selection of the lock: it reads uv.lock only, never
an index, so the check runs offline. Hashes everywhere except requirements.txt, which must also
name the project itself (``.``), a directory pip cannot hash-check.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import tomlkit

ROOT = Path(__file__).resolve().parent.parent
UV = Path(sys.executable).parent / "uv"
HEADER = "# Generated from uv.lock by `make lock` (scripts/lock.py): do not edit by hand.\n"
COMMON = ("export", "--frozen", "--format", "requirements-txt", "--no-header", "--no-annotate")

EXPORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "requirements.txt": (
        "What Streamlit Community Cloud and Heroku install (pip install -r requirements.txt):\n"
        "# the runtime dependencies at the locked versions, then trellolens itself from this\n"
        "# repository. No hashes here: pip cannot hash-check the `.` line. For AWS sources add\n"
        "# the boto3 lines of requirements/container.txt.",
        ("--no-dev", "--no-hashes", "--no-emit-project"),
    ),
    "requirements/container.txt": (
        "What the Dockerfile installs with --require-hashes: the runtime and the aws extra.",
        ("--no-dev", "--extra", "aws", "--no-emit-project"),
    ),
    "requirements/build.txt": (
        "The locked build backend: the Dockerfile builds the trellolens wheel with it.",
        ("--only-group", "build", "--no-emit-project"),
    ),
    "requirements/uv.txt": (
        "The locked uv: `make` installs it with --require-hashes, then `uv sync --locked`.",
        ("--only-group", "lock", "--no-emit-project"),
    ),
}
PROJECT_LINE = "# trellolens itself, from this repository.\n.\n"


def export_lines(*selection: str) -> list[str]:
    """The lines of ``uv export --frozen`` for ``selection`` (reads uv.lock only)."""
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_NO_CONFIG": "1"}
    done = subprocess.run(
        [str(UV), *COMMON, *selection],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"uv export failed: {done.stderr.strip().splitlines()[-1]}")
    return done.stdout.splitlines()


def export(path: str) -> str:
    """The text ``path`` must hold: the header, the purpose, then uv's export of its selection."""
    purpose, selection = EXPORTS[path]
    lines = export_lines(*selection)
    text = f"{HEADER}# {purpose}\n" + "".join(f"{line}\n" for line in lines)
    return text + PROJECT_LINE if path == "requirements.txt" else text


def build_pins() -> list[str]:
    """``name==version`` of the locked ``build`` group: what uv builds the project with."""
    exported = export_lines("--only-group", "build", "--no-emit-project", "--no-hashes")
    return sorted(line.split(" ;")[0] for line in exported if line and not line.startswith("#"))


def pin_build_backend() -> None:
    pyproject = ROOT / "pyproject.toml"
    document = tomlkit.parse(pyproject.read_text(encoding="utf-8"))
    pins = tomlkit.array()
    pins.extend(build_pins())
    document["tool"]["uv"]["build-constraint-dependencies"] = pins.multiline(True)
    pyproject.write_text(tomlkit.dumps(document), encoding="utf-8")


def write() -> None:
    pin_build_backend()
    for path in EXPORTS:
        target = ROOT / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(export(path), encoding="utf-8")


def stale() -> list[str]:
    """The exports whose file differs from what uv.lock gives (missing files included)."""
    wrong = []
    for path in EXPORTS:
        target = ROOT / path
        if not target.is_file() or target.read_text(encoding="utf-8") != export(path):
            wrong.append(path)
    return wrong


def versions(lock: Path) -> dict[str, str]:
    packages = tomllib.loads(lock.read_text(encoding="utf-8")).get("package", [])
    return {package["name"]: package["version"] for package in packages}


def moved(old_lock: Path) -> list[str]:
    """One line per package added, removed or moved between ``old_lock`` and uv.lock."""
    old, new = versions(old_lock), versions(ROOT / "uv.lock")
    lines = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        if before != after:
            lines.append(f"{name} {before or '(new)'} -> {after or '(removed)'}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true")
    group.add_argument("--check", action="store_true")
    group.add_argument("--moved", type=Path, metavar="OLD_LOCK")
    args = parser.parse_args()
    if args.write:
        write()
    elif args.check:
        wrong = stale()
        if wrong:
            sys.exit(f"{', '.join(wrong)} differ from uv.lock: run `make lock` and commit them.")
    else:
        print("\n".join(moved(args.moved)) or "no version moved")


if __name__ == "__main__":
    main()
