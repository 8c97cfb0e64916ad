"""One parsed model per board version, shared by every token that may read the board: a token is
handed it only after proving access with its own request, and a token that cannot read the board
never gets it. Boards loaded unpinned (the Boards page) are kept only while someone holds them.
All against the emulator over real HTTP."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from trellolens.credentials import Secret
from trellolens.errors import TrelloError
from trellolens.service import BoardService, CachePolicy
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export
from trellolens.trello import TrelloClient

EXPORT = generate_export(lists=4, cards=20, actions=120, seed=41)
BOARD_ID = str(EXPORT["id"])
PEER_TOKEN = "ATTA" + "CANARY" * 10 + "PEER"
OUTSIDER_TOKEN = "ATTA" + "CANARY" * 10 + "OUTSIDER"
OUTSIDER_MEMBER = "5f0000000000000000000abc"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def served() -> Iterator[tuple[TrelloEmulator, str]]:
    tokens = [
        TokenSpec(CANARY_TOKEN),
        TokenSpec(PEER_TOKEN),
        TokenSpec(OUTSIDER_TOKEN, member_id=OUTSIDER_MEMBER),
    ]
    emu = TrelloEmulator(boards=[EXPORT], key=CANARY_KEY, tokens=tokens)
    with emu.serve() as base_url:
        yield emu, base_url


def client(base_url: str, token: str) -> TrelloClient:
    return TrelloClient(Secret(CANARY_KEY), Secret(token), base_url=base_url)


def board_loads(emu: TrelloEmulator) -> int:
    return len([r for r in emu.requests if r.path == f"/1/boards/{BOARD_ID}"])


def access_checks(emu: TrelloEmulator) -> int:
    return len([r for r in emu.requests if r.path == f"/1/boards/{BOARD_ID}/dateLastActivity"])


def test_two_tokens_that_may_read_a_board_share_one_model(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    service = BoardService()
    with client(base_url, CANARY_TOKEN) as mine, client(base_url, PEER_TOKEN) as theirs:
        first = service.board(mine, BOARD_ID).board
        assert access_checks(emu) == 0  # loading it proved this token's access
        second = service.board(theirs, BOARD_ID).board
        assert second is first  # one model in the process, not one per token
        assert board_loads(emu) == 1
        assert access_checks(emu) == 1  # the second token proved its own access, once
        assert service.board(theirs, BOARD_ID).board is first
        assert access_checks(emu) == 1


def test_a_token_that_cannot_read_the_board_never_gets_the_shared_model(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    service = BoardService()
    with client(base_url, CANARY_TOKEN) as mine, client(base_url, OUTSIDER_TOKEN) as outsider:
        service.board(mine, BOARD_ID)
        for _ in range(2):  # a refusal is not kept: asked each time, refused each time
            with pytest.raises(TrelloError) as refused:
                service.board(outsider, BOARD_ID)
            assert refused.value.status == 401
            assert OUTSIDER_TOKEN not in str(refused.value)
        unpinned = service.loader(outsider, pin=False)
        with pytest.raises(TrelloError):
            unpinned(BOARD_ID)
    assert access_checks(emu) == 3
    assert board_loads(emu) == 1


def test_a_revoked_token_loses_the_shared_model_once_its_proof_expires(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    clock = Clock()
    service = BoardService(CachePolicy(board_seconds=600), clock=clock)
    with client(base_url, CANARY_TOKEN) as mine, client(base_url, PEER_TOKEN) as theirs:
        service.board(theirs, BOARD_ID)
        emu.revoke_token(PEER_TOKEN)
        clock.now += 601  # the proof is as old as a board is kept: asked again
        service.board(mine, BOARD_ID)  # reloaded with a token that still may
        with pytest.raises(TrelloError):
            service.board(theirs, BOARD_ID)


def test_a_board_loaded_unpinned_goes_once_nobody_holds_it(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    service = BoardService()
    with client(base_url, CANARY_TOKEN) as mine, client(base_url, PEER_TOKEN) as theirs:
        board = service.loader(mine, pin=False)(BOARD_ID)
        assert service.loader(theirs, pin=False)(BOARD_ID) is board  # held: shared
        assert board_loads(emu) == 1
        gone = weakref.ref(board)
        del board
        gc.collect()
        assert gone() is None  # the service kept no strong reference
        service.loader(mine, pin=False)(BOARD_ID)
        assert board_loads(emu) == 2


def test_opening_a_board_the_boards_page_holds_pins_that_copy(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    service = BoardService()
    with client(base_url, CANARY_TOKEN) as mine, client(base_url, PEER_TOKEN) as theirs:
        listed = service.loader(mine, pin=False)(BOARD_ID)
        opened = service.board(theirs, BOARD_ID).board
        assert opened is listed
        assert board_loads(emu) == 1
        del listed, opened
        gc.collect()
        assert service.board(mine, BOARD_ID).board is not None
        assert board_loads(emu) == 1  # pinned now: kept though nobody held it


def test_the_boards_page_uses_a_board_a_page_holds_and_invalidate_drops_its_own(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    service = BoardService()
    with client(base_url, CANARY_TOKEN) as mine, client(base_url, PEER_TOKEN) as theirs:
        opened = service.board(mine, BOARD_ID).board
        assert service.loader(theirs, pin=False)(BOARD_ID) is opened
        assert board_loads(emu) == 1
        service.clear()
        listed = service.loader(mine, pin=False)(BOARD_ID)
        service.invalidate(BOARD_ID)  # a webhook: the unpinned copy is not handed out again
        assert service.loader(mine, pin=False)(BOARD_ID) is not listed
        assert board_loads(emu) == 3
