"""Package names that load on first use (PEP 562), so importing a package stays light.

A package lists each public name and where it lives, then::

    __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

Target = str | tuple[str, str]
"""The module holding the name, or ``(module, attribute)`` when it is named differently there."""


def lazy_exports(
    package: str, exports: Mapping[str, Target]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level ``__getattr__`` and ``__dir__`` of ``package`` for ``exports``."""
    namespace = sys.modules[package].__dict__

    def load(name: str) -> Any:
        target = exports.get(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, attribute = (target, name) if isinstance(target, str) else target
        value = getattr(importlib.import_module(module), attribute)
        namespace[name] = value  # later look-ups skip the module's __getattr__
        return value

    def names() -> list[str]:
        return sorted({*namespace, *exports})

    return load, names
