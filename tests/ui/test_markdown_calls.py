"""No Streamlit element that renders markdown receives a formatted string with an unescaped part.

An AST walk over src/trellolens/ui: every call of a markdown-rendering element (st.markdown,
st.write, st.caption, st.status, alerts, st.toast, st.expander, widget labels, headers,
st.tabs, ``help=`` of any call, ``status.update(label=...)``...) whose text argument is an
f-string, a ``+`` concatenation, a ``%`` format or a ``.format`` call must pass each interpolated
part through ``plain`` (ui/markdown_text.py), unless the part cannot hold text: a number or date
with a format spec, ``len()``/``int()``/``round()``, an UPPER_CASE constant, a literal.
A new ``st.status(f"Loading **{name}**")`` fails here, before any page runs.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.helpers.paths import REPO_ROOT

UI = REPO_ROOT / "src" / "trellolens" / "ui"
ESCAPE = "plain"
MARKDOWN_ELEMENTS = frozenset(
    {
        *("markdown", "write", "caption", "text", "title", "header", "subheader"),
        *("info", "warning", "error", "success", "exception", "toast", "status", "expander"),
        *("popover", "tabs", "metric", "button", "download_button", "link_button", "page_link"),
        *("form_submit_button", "checkbox", "toggle", "radio", "selectbox", "multiselect"),
        *("slider", "select_slider", "text_input", "number_input", "text_area", "date_input"),
        *("time_input", "file_uploader", "color_picker", "camera_input", "pills"),
        *("segmented_control", "chat_input", "update", "progress", "spinner", "dialog"),
    }
)
"""Streamlit calls whose text is rendered as markdown (``update``: ``status.update(label=)``)."""
TEXT_KEYWORDS = frozenset({"label", "body", "help", "placeholder", "text", "captions", "title"})
NOT_STREAMLIT = frozenset({"log", "logger", "logging", "warnings", "click", "parser", "os"})
SAFE_CALLS = frozenset({ESCAPE, "len", "int", "round", "float", "abs"})
NUMERIC_SPEC = re.compile(r".*[bcdeEfFgGnoxX%]|.*[,_%].*")
"""Format specs that format a number (``.1f``, ``,``, ``g``) or a date (``%Y-%m-%d``)."""
CONSTANT = re.compile(r"[A-Z][A-Z0-9_]*")


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    call: str
    part: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.call}(...) interpolates {self.part} without {ESCAPE}()"
        )


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _spec_is_numeric(spec: ast.expr | None) -> bool:
    if not isinstance(spec, ast.JoinedStr):
        return False
    text = "".join(str(v.value) for v in spec.values if isinstance(v, ast.Constant))
    return bool(text) and bool(NUMERIC_SPEC.fullmatch(text))


def unsafe_parts(node: ast.expr) -> Iterator[ast.expr]:
    """The parts of a text argument that could carry markdown into the page unescaped."""
    if isinstance(node, ast.Constant):
        return
    if isinstance(node, ast.JoinedStr):
        for value in node.values:
            if isinstance(value, ast.FormattedValue) and not _spec_is_numeric(value.format_spec):
                yield from unsafe_parts(value.value)
    elif isinstance(node, ast.BinOp):
        yield from unsafe_parts(node.left)
        yield from unsafe_parts(node.right)
    elif isinstance(node, ast.IfExp):
        yield from unsafe_parts(node.body)
        yield from unsafe_parts(node.orelse)
    elif isinstance(node, ast.Tuple | ast.List):
        for element in node.elts:
            yield from unsafe_parts(element)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "format":
            yield from unsafe_parts(node.func.value)
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                yield from unsafe_parts(argument)
        else:
            yield node
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id == "counted":  # ui/wording.py: a number and nouns, safe if they are
            for argument in node.args[1:]:
                yield from unsafe_parts(argument)
        elif node.func.id not in SAFE_CALLS:
            yield node
    elif isinstance(node, ast.Name | ast.Attribute):
        name = node.id if isinstance(node, ast.Name) else node.attr
        if not CONSTANT.fullmatch(name):
            yield node
    elif not isinstance(node, ast.Compare | ast.BoolOp | ast.UnaryOp):
        yield node


def _is_formatted(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return True
    if isinstance(node, ast.IfExp):
        return _is_formatted(node.body) or _is_formatted(node.orelse)
    if isinstance(node, ast.Tuple | ast.List):
        return any(_is_formatted(element) for element in node.elts)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


def text_arguments(call: ast.Call) -> Iterator[ast.expr]:
    """The arguments of ``call`` that Streamlit renders as markdown."""
    func = call.func
    if (
        isinstance(func, ast.Attribute)
        and _root_name(func.value) not in NOT_STREAMLIT
        and func.attr in MARKDOWN_ELEMENTS
    ):
        yield from call.args
        yield from (k.value for k in call.keywords if k.arg in TEXT_KEYWORDS)
        return
    yield from (k.value for k in call.keywords if k.arg == "help")


def findings(source: str, file: str) -> list[Finding]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        for argument in text_arguments(node):
            if not _is_formatted(argument):
                continue
            for part in unsafe_parts(argument):
                call = ast.unparse(node.func)
                found.append(Finding(file, node.lineno, call, ast.unparse(part)))
    return found


def ui_findings() -> list[Finding]:
    return [
        finding
        for path in sorted(UI.rglob("*.py"))
        for finding in findings(path.read_text(encoding="utf-8"), str(path.relative_to(UI)))
    ]


def test_every_interpolated_part_of_a_markdown_text_is_escaped() -> None:
    assert [str(finding) for finding in ui_findings()] == []


OLD_STATUS_LINE = """
import streamlit as st
with st.status(f"Loading **{name}** from Trello...") as status:
    status.update(label=f"Loaded **{plain(name)}**")
"""


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(OLD_STATUS_LINE, id="old-status-line"),
        'st.caption("Board: " + board.name)',
        'st.sidebar.info("Done list: {}".format(done.name))',
        'st.toast("%s moved" % card.name)',
        'col.metric(f"{lst.name}", 3)',
        'st.tabs([f"Lists of {board.name}", "Cards"])',
        'st.dataframe(rows, column_config={"x": st.column_config.Column(help=f"{field}")})',
        'st.expander(f"Card {card.name.upper()}")',
        'st.button(f"Open {title if wide else name}")',
    ],
)
def test_the_walk_catches_an_unescaped_part(source: str) -> None:
    assert findings(source, "example.py"), source


@pytest.mark.parametrize(
    "source",
    [
        'st.status(f"Loading **{plain(name)}** from Trello...")',
        'st.caption(f"{len(rows)} rows as of {moment:%Y-%m-%d}, {share:.1%} done, {n:,} trials")',
        'st.caption(f"kept {TTL_SECONDS // 60} minutes" + (" (shared)" if shared else ""))',
        'log.warning(f"refused: {why}")',
        "st.caption(name)",
        'st.write(f"{plain(a)} and {plain(b)}")',
    ],
)
def test_the_walk_passes_escaped_or_numeric_parts(source: str) -> None:
    assert findings(source, "example.py") == []
