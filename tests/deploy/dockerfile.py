"""A small Dockerfile and .dockerignore reader for the tests (instructions, stages, ignore rules)."""

from __future__ import annotations

import fnmatch
import json
import shlex
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str

    def exec_form(self) -> list[str] | None:
        """The JSON array of an exec-form instruction (``CMD ["sh", "-c", ...]``), else None."""
        text = self.arguments.strip()
        if not text.startswith("["):
            return None
        parsed = json.loads(text)
        assert isinstance(parsed, list)
        return [str(item) for item in parsed]


def instructions(dockerfile: Path) -> list[Instruction]:
    """Every instruction, continuation lines joined, comments and blank lines dropped."""
    joined: list[str] = []
    pending = ""
    for line in dockerfile.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        joined.append(pending + stripped)
        pending = ""
    found = []
    for text in joined:
        keyword, _, arguments = text.partition(" ")
        found.append(Instruction(keyword.upper(), arguments.strip()))
    return found


def final_stage(found: list[Instruction]) -> list[Instruction]:
    starts = [index for index, instruction in enumerate(found) if instruction.keyword == "FROM"]
    return found[starts[-1] :]


def copy_sources(instruction: Instruction) -> list[str]:
    """The context paths a COPY or ADD reads (none for ``COPY --from=stage``)."""
    words = shlex.split(instruction.arguments)
    if any(word.startswith("--from=") for word in words):
        return []
    paths = [word for word in words if not word.startswith("--")]
    return paths[:-1]


def ignore_rules(dockerignore: Path) -> list[str]:
    return [
        line.strip()
        for line in dockerignore.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def _matches(path: str, pattern: str) -> bool:
    if pattern.startswith("**/"):
        tail = pattern[3:]
        return fnmatch.fnmatchcase(path, tail) or fnmatch.fnmatchcase(path, "*/" + tail)
    return fnmatch.fnmatchcase(path, pattern)


def ignored(path: str, rules: list[str]) -> bool:
    """Whether Docker leaves ``path`` (or a folder above it) out of the build context.

    Close enough to Docker's matcher for these tests (``*`` may also cross ``/`` here, so it errs
    towards "ignored"): ``**/`` matches at any depth, a later ``!rule`` includes again.
    """
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    result = False
    for rule in rules:
        pattern = rule.removeprefix("!").strip("/")
        if any(_matches(prefix, pattern) for prefix in prefixes):
            result = not rule.startswith("!")
    return result
