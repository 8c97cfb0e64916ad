"""Board, list, label, member, card and file names that are markdown, HTML or links stay text.

Every page is run under AppTest on an uploaded export whose every name is hostile; each markdown
body, widget label and metric label on the page is parsed as CommonMark with GFM autolinks (what
Streamlit's front end renders) and may hold no link or image to the hostile targets and no HTML.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import cycle
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import OPEN_EXPORT_PAGE, PAGES
from trellolens.testing import generate_export
from trellolens.ui.app import PAGES_DIR
from trellolens.ui.components.copy_link import COPY_BUTTON
from trellolens.ui.components.workflow_editor import WHOLE_NAME_CHIPS
from trellolens.ui.markdown_text import plain

HOSTILE = (
    "[Session expired](https://evil.example/login)",
    "![beacon](https://evil.example/beacon.png)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[click me](javascript:alert(1))",
    "https://evil.example/bare",
    "<https://evil.example/angle>",
    "www.evil.example",
    "mail@evil.example",
    "**bold** :red[red] $x$ `code` # heading",
)
HOSTILE_FILE_NAME = "[export](https://evil.example/file).json"
PAGE_FILES = sorted(path.name for path in PAGES_DIR.glob("*.py") if path.name != "__init__.py")


class EveryLink(MarkdownIt):
    """Stricter than the browser: javascript: links count too."""

    def validateLink(self, url: str) -> bool:  # noqa: N802 -- MarkdownIt's name
        return True


MARKDOWN = EveryLink("commonmark", {"linkify": True}).enable(["linkify", "table", "strikethrough"])
assert MARKDOWN.linkify is not None
MARKDOWN.linkify.tlds("example", True)  # GFM autolinks www. and e-mail addresses on any domain


def hostile_export() -> dict[str, Any]:
    export = generate_export(lists=5, cards=30, actions=400, seed=12)
    names = cycle(HOSTILE)
    export["name"] = "[Board](https://evil.example/board) <b>x</b>"
    for item in (*export["lists"], *export["cards"], *export["labels"]):
        item["name"] = f"{next(names)} {item['id'][-4:]}"  # unique: workflow names lists
    for member in export["members"]:
        member["fullName"] = next(names)
    return export


def markdown_texts(at: AppTest) -> Iterator[str]:
    """Every text on the page that Streamlit renders as markdown."""
    stack: list[Any] = [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        for field in ("body", "label", "help", "placeholder"):
            value = getattr(proto, field, None)
            ours = {COPY_BUTTON.strip(), WHOLE_NAME_CHIPS.strip()}  # fixed strings, no board text
            if isinstance(value, str) and value and value.strip() not in ours:
                yield value


def offending(text: str) -> list[str]:
    """What in ``text`` would render as a hostile link, any image, or any HTML tag."""
    found: list[str] = []
    tokens: list[Token] = []
    for token in MARKDOWN.parse(text):
        tokens.append(token)
        tokens.extend(token.children or [])
    for token in tokens:
        href = str(token.attrGet("href") or token.attrGet("src") or "")
        if token.type == "image":
            found.append(f"image {href}")
        elif token.type == "link_open" and ("evil" in href or "javascript" in href.lower()):
            found.append(f"link {href}")
        elif token.type in {"html_inline", "html_block"}:
            found.append(f"html {token.content}")
    return found


@pytest.fixture
def hostile_app(app: AppTest) -> AppTest:
    at = app.switch_page(OPEN_EXPORT_PAGE).run()
    data = json.dumps(hostile_export()).encode()
    at.file_uploader[0].set_value((HOSTILE_FILE_NAME, data, "application/json"))
    at.run()
    assert not at.exception
    return at


def test_the_checker_finds_what_unescaped_names_would_render() -> None:
    for name in HOSTILE[:-1]:
        assert offending(f"Cards of {name}"), name
        assert not offending(f"Cards of {plain(name)}"), name


@pytest.mark.parametrize("page", PAGE_FILES)
def test_no_page_renders_a_hostile_name_as_a_link_image_or_tag(
    hostile_app: AppTest, page: str
) -> None:
    at = hostile_app.switch_page(str(PAGES / page)).run()
    assert not at.exception
    texts = list(markdown_texts(at))
    if page not in {"connect.py", "security.py", "boards.py"}:  # set-up; the token's boards
        assert any("Board" in text and "evil" in text for text in texts), "board name not shown"
    problems = {text: found for text in texts if (found := offending(text))}
    assert not problems


def test_a_hostile_stage_name_in_the_workflow_link_stays_text(hostile_app: AppTest) -> None:
    hostile_app.query_params["workflow"] = json.dumps(
        {"stages": ["[Session expired](https://evil.example/x)", "![b](https://evil.example/b)"]}
    )
    at = hostile_app.switch_page(str(PAGES / "flow.py"))
    at.run()
    assert not at.exception
    warnings = [str(w.value) for w in at.warning]
    assert any("Ignored the workflow in the link" in w for w in warnings)
    problems = {text: found for text in markdown_texts(at) if (found := offending(text))}
    assert not problems


def test_a_live_board_with_a_hostile_name_stays_text_even_when_it_fails() -> None:
    from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
    from tests.ui.test_live_boards import app_on
    from trellolens.testing import TokenSpec, TrelloEmulator
    from trellolens.ui.components.board_picker import SELECT_KEY

    export = hostile_export()
    emulator = TrelloEmulator(boards=[export], key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])
    with emulator.serve() as base_url:
        at = app_on(base_url, trello={"api_key": CANARY_KEY, "token": CANARY_TOKEN})
        at.selectbox(key=SELECT_KEY).select(export["id"]).run()
        assert not at.exception
        seen = list(markdown_texts(at))
        at.switch_page(str(PAGES / "overview.py")).run()
        seen += markdown_texts(at)
        emulator.revoke_token(CANARY_TOKEN)
        at.switch_page(str(PAGES / "connect.py")).run()
        at.selectbox(key=SELECT_KEY)
        seen += markdown_texts(at)
    assert not at.exception
    assert any("Board" in text and "evil" in text for text in seen)
    problems = {text: found for text in seen if (found := offending(text))}
    assert not problems
