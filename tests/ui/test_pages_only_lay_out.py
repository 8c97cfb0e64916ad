"""Pages only lay out: tables and charts are built below them (``ui/*_tables.py``, ``ui/views/charts.py``).

Read with ``ast``, not by importing: a page imports neither pandas nor altair at module level (a
``TYPE_CHECKING`` block, for annotations, is allowed) and never calls ``DataFrame`` or ``Chart``.
Nor does a page call into the metrics package (a forecast, an option object, anything imported
from ``trellolens.metrics``): computing goes through the data layer (``ui/data/cache.py``,
``ui/data/forecasts.py``, which cache it) or the builders; pages may name metrics types only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers.paths import REPO_ROOT

PAGES = REPO_ROOT / "src" / "trellolens" / "ui" / "pages"
BUILDERS = frozenset({"pandas", "altair"})
BUILDER_CALLS = frozenset({"DataFrame", "Chart"})
PAGE_FILES = sorted(path for path in PAGES.glob("*.py") if path.name != "__init__.py")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
        return [node.module]
    return []


def module_level_builder_imports(tree: ast.Module) -> list[str]:
    """pandas/altair imported by a module-level statement (outside ``if TYPE_CHECKING:``)."""
    found: list[str] = []
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.If | ast.Try):
            pending.extend(ast.iter_child_nodes(node))
        found += [name for name in _imported(node) if name.split(".")[0] in BUILDERS]
    return sorted(found)


def builder_calls(tree: ast.Module) -> list[str]:
    """``<anything>.DataFrame(...)``, ``DataFrame(...)``, ``alt.Chart(...)`` calls, by line."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in BUILDER_CALLS:
            found.append(f"line {node.lineno}: {name}")
    return found


METRICS = "trellolens.metrics"


def _from_metrics(module: str | None) -> bool:
    return module is not None and (module == METRICS or module.startswith(f"{METRICS}."))


def metrics_calls(tree: ast.Module) -> list[str]:
    """Calls of names imported from the metrics package (``f()``, ``module.f()``), by line."""
    names: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and _from_metrics(node.module):
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "trellolens":
            modules |= {
                alias.asname or alias.name for alias in node.names if alias.name == "metrics"
            }
        elif isinstance(node, ast.Import):
            modules |= {
                alias.asname or alias.name for alias in node.names if _from_metrics(alias.name)
            }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in names:
            found.append(f"line {node.lineno}: {func.id}")
        elif isinstance(func, ast.Attribute) and ast.unparse(func.value) in modules:
            found.append(f"line {node.lineno}: {ast.unparse(func)}")
    return found


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_there_are_pages_to_check() -> None:
    assert len(PAGE_FILES) >= 10


@pytest.mark.parametrize("page", PAGE_FILES, ids=lambda path: path.name)
def test_a_page_imports_no_pandas_or_altair(page: Path) -> None:
    assert module_level_builder_imports(parse(page)) == []


@pytest.mark.parametrize("page", PAGE_FILES, ids=lambda path: path.name)
def test_a_page_builds_no_frame_or_chart(page: Path) -> None:
    assert builder_calls(parse(page)) == []


@pytest.mark.parametrize("page", PAGE_FILES, ids=lambda path: path.name)
def test_a_page_calls_nothing_in_the_metrics_package(page: Path) -> None:
    assert metrics_calls(parse(page)) == []


def test_the_metrics_call_check_sees_every_way_in() -> None:
    tree = ast.parse(
        "from trellolens.metrics import FlowMetrics, forecast_when\n"
        "from trellolens.metrics.options import BehaviourCharts as Rule\n"
        "import trellolens.metrics.forecast as fc\n"
        "from trellolens import metrics\n"
        "def f(m: FlowMetrics) -> None:\n"
        "    forecast_when(m.daily_throughput, 3)\n"
        "    Rule()\n"
        "    fc.forecast_how_many(1)\n"
        "    metrics.compute_flow_metrics(None)\n"
        "    m.throughput_in_last(7)\n"
    )
    assert metrics_calls(tree) == [
        "line 6: forecast_when",
        "line 7: Rule",
        "line 8: fc.forecast_how_many",
        "line 9: metrics.compute_flow_metrics",
    ]


def test_the_checks_see_what_they_look_for() -> None:
    tree = ast.parse(
        "import altair as alt\nfrom pandas import DataFrame\nfrom typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import pandas as pd\n"
        "try:\n    import pandas.api\nexcept ImportError:\n    pass\n"
        "def f():\n    return DataFrame(), alt.Chart(None)\n"
    )
    assert module_level_builder_imports(tree) == ["altair", "pandas", "pandas.api"]
    assert builder_calls(tree) == ["line 11: DataFrame", "line 11: Chart"]
