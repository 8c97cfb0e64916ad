"""The final image's filesystem, modelled from the Dockerfile's instructions (no container runtime).

``final_layout`` walks the final stage (WORKDIR, COPY, ENV and the RUN commands it knows) and
records each path it makes with its owner and mode. A RUN command it does not know fails the test,
so a new step is modelled on purpose rather than ignored.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from tests.deploy.dockerfile import Instruction


@dataclass(frozen=True)
class Entry:
    owner: str
    mode: int | None = None


@dataclass
class Layout:
    entries: dict[PurePosixPath, Entry] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    user: str = "root"

    def add(self, path: PurePosixPath, owner: str = "root", mode: int | None = None) -> None:
        for parent in reversed(path.parents):
            self.entries.setdefault(parent, Entry("root"))
        self.entries[path] = Entry(owner, mode)

    def has(self, path: str) -> bool:
        return PurePosixPath(path) in self.entries

    def owner(self, path: str) -> str:
        return self.entries[PurePosixPath(path)].owner


def final_layout(final: list[Instruction]) -> Layout:
    layout = Layout()
    workdir = PurePosixPath("/")
    for instruction in final:
        words = shlex.split(instruction.arguments) if instruction.keyword != "CMD" else []
        if instruction.keyword == "WORKDIR":
            workdir = workdir / instruction.arguments.strip()
            layout.add(workdir)
        elif instruction.keyword == "COPY":
            *_, destination = words
            target = workdir / destination
            sources = [word for word in words[:-1] if not word.startswith("--")]
            if destination.endswith("/") or destination in {".", "./"}:
                for source in sources:
                    layout.add(target / PurePosixPath(source).name)
            else:
                layout.add(target)
        elif instruction.keyword == "ENV":
            layout.env.update(re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=(\S+)", instruction.arguments))
        elif instruction.keyword == "USER":
            layout.user = instruction.arguments.strip()
        elif instruction.keyword == "RUN":
            for command in instruction.arguments.split("&&"):
                _run(layout, shlex.split(command))
    return layout


def _option(words: list[str], name: str) -> str | None:
    return words[words.index(name) + 1] if name in words else None


def _run(layout: Layout, words: list[str]) -> None:
    program = words[0]
    if program == "groupadd":
        return
    if program == "useradd":
        home = _option(words, "--home-dir")
        if home and "--create-home" in words:
            layout.add(PurePosixPath(home), owner=words[-1])
        return
    if program == "install" and "-d" in words:
        owner = _option(words, "-o") or "root"
        mode = _option(words, "-m")
        skip = {"-d", "-o", "-g", "-m", owner, _option(words, "-g"), mode}
        for path in [word for word in words[1:] if word not in skip]:
            layout.add(PurePosixPath(path), owner, int(mode, 8) if mode else None)
        return
    raise AssertionError(f"the layout model does not know the RUN command {program!r}: add it")
