"""Trello's real-world refusals: response size, database time, the /1/members window, retry-after."""

from __future__ import annotations

import pytest

from tests.testing.emulator_support import BOARD, client, make_emulator
from trellolens.testing import RateLimits, ResponseLimits, generate_board, generate_export

WHOLE = {"cards": "all", "lists": "all", "actions": "all", "actions_limit": "1000"}


class FakeClock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def test_too_many_cards_in_one_answer_is_refused_with_trellos_error() -> None:
    emulator = make_emulator(response_limits=ResponseLimits(max_cards=59))
    http = client(emulator)
    refused = http.get(f"/boards/{BOARD.id}", params=WHOLE)
    assert refused.status_code == 403
    assert refused.json()["error"] == "API_TOO_MANY_CARDS_REQUESTED"
    assert refused.headers["x-rate-limit-api-token-remaining"] == "99"  # it was counted
    assert http.get(f"/boards/{BOARD.id}/cards/all").status_code == 403
    assert http.get(f"/boards/{BOARD.id}/lists", params={"cards": "all"}).status_code == 403
    # The advice: split it. Open cards alone, or pages of cards, fit.
    assert http.get(f"/boards/{BOARD.id}/cards/all", params={"limit": 59}).status_code == 200
    assert http.get(f"/boards/{BOARD.id}", params={"lists": "all"}).status_code == 200
    emulator.response_limits = ResponseLimits()
    assert http.get(f"/boards/{BOARD.id}", params=WHOLE).status_code == 200


def test_a_token_over_its_database_budget_is_refused_until_it_frees_up() -> None:
    clock = FakeClock()
    emulator = make_emulator(
        clock=clock, response_limits=ResponseLimits(db_budget=3000, db_interval_s=10.0)
    )
    http = client(emulator)
    assert http.get(f"/boards/{BOARD.id}", params=WHOLE).status_code == 200  # ~1100 objects
    assert http.get(f"/boards/{BOARD.id}/actions", params={"limit": 1000}).status_code == 200
    clock.now += 4
    refused = http.get(f"/boards/{BOARD.id}/actions", params={"limit": 1000})
    assert refused.status_code == 429
    assert refused.json() == {
        "error": "API_TOKEN_DB_LIMIT_EXCEEDED",
        "message": "Database time limit exceeded",
    }
    assert refused.headers["retry-after"] == "6"  # when the first answer leaves the window
    assert http.get(f"/boards/{BOARD.id}", params={"fields": "name"}).status_code == 200  # cheap
    clock.now += 6
    assert http.get(f"/boards/{BOARD.id}/actions", params={"limit": 1000}).status_code == 200
    emulator.reset()
    assert http.get(f"/boards/{BOARD.id}", params=WHOLE).status_code == 200


def test_a_request_bigger_than_the_whole_budget_never_gets_through() -> None:
    emulator = make_emulator(response_limits=ResponseLimits(db_budget=500))
    refused = client(emulator).get(f"/boards/{BOARD.id}/actions", params={"limit": 1000})
    assert refused.status_code == 429
    assert refused.json()["error"] == "API_TOKEN_DB_LIMIT_EXCEEDED"
    assert refused.headers["retry-after"] == "10"


def test_the_members_window_counts_100_requests_in_900_seconds() -> None:
    clock = FakeClock()
    emulator = make_emulator(clock=clock)
    http = client(emulator)
    answers = [http.get("/members/me/boards") for _ in range(100)]
    assert {a.status_code for a in answers} == {200}
    assert answers[0].headers["x-rate-limit-member-max"] == "100"
    assert answers[0].headers["x-rate-limit-member-interval-ms"] == "900000"
    assert [a.headers["x-rate-limit-member-remaining"] for a in answers[-2:]] == ["1", "0"]
    clock.now += 30  # the 10-second windows are free again; the members window is not
    refused = http.get("/members/me")
    assert refused.status_code == 429
    assert refused.json() == {
        "error": "RATE_LIMIT_EXCEEDED",
        "message": "Exceeded rate limit to /1/member",
    }
    assert refused.headers["retry-after"] == "870"
    assert refused.headers["x-rate-limit-member-remaining"] == "0"
    board = http.get(f"/boards/{BOARD.id}")  # other routes are not in that window
    assert board.status_code == 200
    assert "x-rate-limit-member-max" not in board.headers
    clock.now += 870
    assert http.get("/members/me/boards").status_code == 200


def test_a_429_from_the_token_window_says_when_to_retry() -> None:
    clock = FakeClock()
    emulator = make_emulator(clock=clock, rate_limits=RateLimits(token_max=2, interval_s=10.0))
    http = client(emulator)
    http.get(f"/boards/{BOARD.id}")
    clock.now += 3
    http.get(f"/boards/{BOARD.id}")
    refused = http.get(f"/boards/{BOARD.id}")
    assert refused.json()["error"] == "API_TOKEN_LIMIT_EXCEEDED"
    assert refused.headers["retry-after"] == "7"
    emulator.faults.rate_limit_storm(seconds=2.5)
    assert http.get(f"/boards/{BOARD.id}").headers["retry-after"] == "3"


def test_no_invented_enterprise_and_derived_short_links_are_marked() -> None:
    export = generate_export(cards=3, actions=10, seed=4)
    export.pop("shortLink", None)
    for card in export["cards"]:
        card.pop("shortUrl", None)
        card.pop("shortLink", None)
    emulator = make_emulator(boards=[export])
    board = client(emulator).get(f"/boards/{export['id']}", params={"fields": "all"}).json()
    assert "idEnterprise" not in board
    derived = emulator.derived_short_links
    assert derived[export["id"]] == export["id"][-8:]
    assert {card["id"] for card in export["cards"]} <= set(derived)
    untouched = make_emulator(boards=[generate_board(cards=3, actions=10, seed=4)])
    assert not set(untouched.derived_short_links) & {card["id"] for card in export["cards"]}


@pytest.mark.parametrize("param", ["before", "since"])
def test_cards_page_by_id(param: str) -> None:
    emulator = make_emulator()
    http = client(emulator)
    newest = http.get(f"/boards/{BOARD.id}/cards/all", params={"limit": 25}).json()
    ids = sorted((c.id for c in BOARD.cards), reverse=True)
    assert [c["id"] for c in newest] == ids[:25]
    older = http.get(
        f"/boards/{BOARD.id}/cards/all", params={"limit": 25, "before": newest[-1]["id"]}
    ).json()
    assert [c["id"] for c in older] == ids[25:50]
    bad = http.get(f"/boards/{BOARD.id}/cards", params={param: "yesterday"})
    assert (bad.status_code, bad.text) == (400, f"invalid value for {param}")


def test_a_members_storm_hits_only_members_routes_and_says_when_to_retry() -> None:
    emulator = make_emulator()
    emulator.faults.rate_limit_storm(requests=1, kind="member", retry_after=42)
    http = client(emulator)
    assert http.get(f"/boards/{BOARD.id}").status_code == 200  # not a members route
    refused = http.get("/members/me/boards")
    assert refused.status_code == 429
    assert refused.json()["error"] == "RATE_LIMIT_EXCEEDED"
    assert refused.headers["retry-after"] == "42"
    assert refused.headers["x-rate-limit-member-remaining"] == "0"
    assert http.get("/members/me/boards").status_code == 200
    with pytest.raises(ValueError, match="member"):
        emulator.faults.rate_limit_storm(requests=1, kind="members")
