"""py-trello 0.20.1 against the real emulator server through its ``http_service`` hook."""

from __future__ import annotations

from tests.testing.emulator_support import BOARD, KEY, TOKEN, make_emulator
from trello import TrelloClient
from trellolens.testing.emulator import requests_adapter


def test_py_trello_lists_boards_lists_cards_checklists_and_actions() -> None:
    emulator = make_emulator()
    with emulator.serve() as base_url:
        session = requests_adapter(base_url)
        trello = TrelloClient(KEY, token=TOKEN, http_service=session)  # OAuth 1 signed header
        boards = trello.list_boards()
        assert [b.id for b in boards] == [BOARD.id]
        board = trello.get_board(BOARD.id)
        assert board.name == BOARD.name
        lists = board.all_lists()
        assert [lst.id for lst in lists] == [lst.id for lst in BOARD.lists]
        cards = [card for lst in lists for card in lst.list_cards(card_filter="all")]
        assert sorted(c.id for c in cards) == sorted(c.id for c in BOARD.cards)
        checklists = sum(len(card.checklists) for card in cards)
        assert checklists == len(BOARD.checklists)
        actions = board.fetch_actions("all", action_limit=1000)
        assert [a["id"] for a in actions] == [a.id for a in BOARD.actions[:1000]]
        labels = board.get_labels()
        assert {lbl.id for lbl in labels} == {lbl.id for lbl in BOARD.labels}
        session.close()
    with_checklists = sum(1 for c in BOARD.cards if c.checklist_ids)
    # list_boards + get_board + lists + one per list + one per card with checklists + actions + labels
    assert emulator.request_count == 3 + len(BOARD.lists) + with_checklists + 2
    assert not any(r.credentials_in_url for r in emulator.requests)


def test_py_trello_query_credentials_are_accepted_and_seen_in_urls() -> None:
    emulator = make_emulator()
    with emulator.serve() as base_url:
        session = requests_adapter(base_url)
        # Without a token, py-trello sends key= and token=api_secret in the query string.
        trello = TrelloClient(KEY, api_secret=TOKEN, http_service=session)
        assert [b.id for b in trello.list_boards()] == [BOARD.id]
        session.close()
    assert emulator.requests[0].credentials_in_url
    assert TOKEN in emulator.requests[0].raw_target
