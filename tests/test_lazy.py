"""trellolens.lazy: a package's names load on first use, once, and unknown names fail as usual."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from types import ModuleType

import pytest

from trellolens.lazy import lazy_exports


@pytest.fixture
def package() -> Iterator[ModuleType]:
    module = ModuleType("lazy_probe")
    sys.modules["lazy_probe"] = module
    load, names = lazy_exports("lazy_probe", {"dumps": "json", "Decoder": ("json", "JSONDecoder")})
    module.__getattr__ = load  # type: ignore[method-assign]  # PEP 562 hook, set at run time
    module.__dir__ = names  # type: ignore[method-assign]
    yield module
    del sys.modules["lazy_probe"]


def test_a_name_loads_on_first_use_and_is_then_a_plain_attribute(package: ModuleType) -> None:
    import json

    assert "dumps" not in vars(package)
    assert package.dumps is json.dumps
    assert vars(package)["dumps"] is json.dumps
    assert package.Decoder is json.JSONDecoder  # named differently where it lives


def test_an_unknown_name_is_an_attribute_error(package: ModuleType) -> None:
    with pytest.raises(AttributeError, match="module 'lazy_probe' has no attribute 'nope'"):
        _ = package.nope


def test_dir_lists_the_names_before_they_load(package: ModuleType) -> None:
    assert {"dumps", "Decoder"} <= set(dir(package))
