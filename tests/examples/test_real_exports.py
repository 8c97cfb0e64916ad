"""examples/ and a tutorial-style py-trello app against both real Trello exports, served over HTTP.

The 2014 export's card labels have no ids; py-trello's Label needs one (it crashed with
``KeyError: 'id'``), so the emulator must give every label a stable id wherever it appears.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.examples.scenarios import APPS, KEY, SOURCES, TOKEN, assert_no_canary
from tests.helpers.paths import REPO_ROOT
from tests.ui.test_page_connect import everything_rendered
from trellolens.testing import TokenSpec, TrelloEmulator

EXPORTS = REPO_ROOT / "tests" / "fixtures" / "trello-exports"
EXPORT_FILES = sorted(EXPORTS.glob("*.json"))
TUTORIAL_APP = Path(__file__).with_name("tutorial_app.py")
HEX_ID = re.compile(r"[0-9a-f]{24}")


def export(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8-sig"))
    return data


@pytest.fixture(autouse=True)
def _fresh_secrets() -> Iterator[None]:
    from streamlit.runtime.secrets import secrets_singleton

    secrets_singleton._reset()
    yield
    secrets_singleton._reset()


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[TrelloEmulator, str]]:
    emu = TrelloEmulator(boards=EXPORT_FILES, key=KEY, tokens=[TokenSpec(TOKEN)])
    with emu.serve() as base_url:
        yield emu, base_url


def run_app(app: Path, base_url: str, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.chdir(workdir)
    for name in [n for n in os.environ if n.startswith(("TRELLO", "AWS_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("TRELLO_API_KEY", KEY)
    monkeypatch.setenv("TRELLO_OAUTH_TOKEN", TOKEN)
    monkeypatch.setenv("TRELLO_API_BASE_URL", base_url)
    monkeypatch.setenv("TRELLOLENS_SOURCES", SOURCES)
    st.cache_data.clear()
    return AppTest.from_file(str(app), default_timeout=60).run()


@pytest.mark.parametrize("app", sorted(APPS), ids=sorted(APPS))
def test_examples_list_both_real_boards(
    app: str, served: tuple[TrelloEmulator, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(APPS[app], served[1], tmp_path, monkeypatch)
    assert not at.exception
    assert not at.error
    names = sorted(export(path)["name"] for path in EXPORT_FILES)
    assert sorted(text.value for text in at.text) == names
    assert_no_canary(everything_rendered(at))


def test_tutorial_app_shows_every_open_card_with_its_labels_and_checklists(
    served: tuple[TrelloEmulator, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, base_url = served
    at = run_app(TUTORIAL_APP, base_url, tmp_path, monkeypatch)
    assert not at.exception, at.exception
    assert sorted(h.value for h in at.header) == sorted(export(p)["name"] for p in EXPORT_FILES)
    lines = [text.value for text in at.text]
    for path in EXPORT_FILES:
        data = export(path)
        open_cards = [card for card in data["cards"] if not card["closed"]]
        for card in open_cards:
            names = ", ".join(lbl.get("name") or lbl.get("color") for lbl in card["labels"])
            assert any(line.startswith(f"{card['name']} | labels: {names} |") for line in lines)
    expected_cards = sum(
        1 for path in EXPORT_FILES for card in export(path)["cards"] if not card["closed"]
    )
    assert len(lines) == expected_cards
    checked = sum(int(line.rsplit(" ", 1)[1].split("/")[0]) for line in lines)
    assert checked > 0  # the 2018 export's checklists came through
    assert not any(request.credentials_in_url for request in emu.requests)
    assert_no_canary(everything_rendered(at))


@pytest.mark.parametrize("path", EXPORT_FILES, ids=[p.stem for p in EXPORT_FILES])
def test_every_label_has_one_stable_trello_shaped_id_everywhere(path: Path) -> None:
    served_ids: list[dict[str, set[str]]] = []
    for _ in range(2):  # two emulators: the same ids each time
        emu = TrelloEmulator(boards=[path], key=KEY, tokens=[TokenSpec(TOKEN)])
        board_id = export(path)["id"]
        with httpx.Client(
            transport=httpx.MockTransport(emu.handler),
            base_url="https://api.trello.com/1",
            params={"key": KEY, "token": TOKEN},
        ) as api:
            labels = api.get(f"/boards/{board_id}/labels").json()
            cards = api.get(f"/boards/{board_id}/cards/all").json()
        by_color = {lbl["color"]: lbl["id"] for lbl in labels}
        card_label_ids: set[str] = set()
        for card in cards:
            assert [lbl["id"] for lbl in card["labels"]] == card["idLabels"]
            for lbl in card["labels"]:
                assert lbl["id"] == by_color[lbl["color"]]
                card_label_ids.add(lbl["id"])
        assert all(HEX_ID.fullmatch(lbl["id"]) for lbl in labels)
        assert card_label_ids
        served_ids.append({"board": {lbl["id"] for lbl in labels}, "cards": card_label_ids})
    assert served_ids[0] == served_ids[1]
