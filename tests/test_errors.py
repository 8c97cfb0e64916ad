"""The error tree drawn in errors.py's docstring is the real class hierarchy, and where it shows."""

from __future__ import annotations

import inspect
import re

import pytest

import trellolens
from trellolens import errors
from trellolens.trello.client import check_base_url

LINE = re.compile(r"^(?P<drawing>[ │├└─]*)(?P<name>\w+)(?:\s+\(also (?P<also>\w+)\))?$")


def drawn_tree() -> dict[str, tuple[str | None, str | None]]:
    """Each error drawn in the docstring: its parent in the drawing and its "(also X)" base."""
    assert errors.__doc__ is not None
    lines = errors.__doc__.split("::", 1)[1].strip("\n").splitlines()
    drawn: dict[str, tuple[str | None, str | None]] = {}
    parents: list[str] = []
    for line in (line[4:] for line in lines if line.strip()):
        match = LINE.match(line)
        assert match, f"not a line of the tree: {line!r}"
        depth = len(match["drawing"]) // 4
        parents = parents[:depth]
        drawn[match["name"]] = (parents[-1] if parents else None, match["also"])
        parents.append(match["name"])
    return drawn


def real_tree() -> dict[str, tuple[str | None, str | None]]:
    """Each error class of errors.py: its parent among them and its one builtin base, if any."""
    classes = {
        name: cls
        for name, cls in vars(errors).items()
        if inspect.isclass(cls) and issubclass(cls, errors.TrellolensError)
    }
    real: dict[str, tuple[str | None, str | None]] = {}
    for name, cls in classes.items():
        ours = [base.__name__ for base in cls.__bases__ if base.__name__ in classes]
        builtin = [base.__name__ for base in cls.__bases__ if base.__name__ not in classes]
        assert len(ours) <= 1
        assert len(builtin) <= 1
        real[name] = (ours[0], builtin[0] if builtin else None) if ours else (None, None)
    return real


def test_the_docstring_draws_the_real_hierarchy() -> None:
    assert drawn_tree() == real_tree()


def test_config_error_is_a_trellolens_error_and_a_value_error_exported_at_the_top() -> None:
    assert issubclass(errors.ConfigError, errors.TrellolensError)
    assert issubclass(errors.ConfigError, ValueError)
    assert not issubclass(errors.ConfigError, errors.TrelloError)
    assert trellolens.ConfigError is errors.ConfigError


@pytest.mark.parametrize("url", ["http://proxy.example/1", "https://user:pw@x.test/1"])
def test_a_bad_base_url_is_a_config_error(url: str) -> None:
    with pytest.raises(errors.ConfigError, match="TRELLO_API_BASE_URL must"):
        check_base_url(url)
