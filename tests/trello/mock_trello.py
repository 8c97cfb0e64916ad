"""Small ``httpx.MockTransport`` handlers for unit tests of the client (no emulator needed)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from trellolens.credentials import Secret
from trellolens.trello import RetryPolicy, TrelloClient, WindowRegistry

BASE_URL = "https://trello.test/1"
FAST_RETRY = RetryPolicy(base_delay=0.001, rate_limit_delay=0.001, max_delay=0.01)

Handler = Callable[[httpx.Request], httpx.Response]


def make_client(handler: Handler, **options: Any) -> TrelloClient:
    """A client on ``handler`` with its own rate-limit windows and near-instant retries."""
    options.setdefault("retry", FAST_RETRY)
    options.setdefault("registry", WindowRegistry())
    return TrelloClient(
        Secret(CANARY_KEY),
        Secret(CANARY_TOKEN),
        base_url=BASE_URL,
        transport=httpx.MockTransport(handler),
        **options,
    )


def replies(*responses: httpx.Response | Exception) -> tuple[Handler, list[httpx.Request]]:
    """A handler answering with ``responses`` in turn (the last one forever), and what it saw."""
    seen: list[httpx.Request] = []
    queue: Iterator[httpx.Response | Exception] = iter(responses)
    last: list[httpx.Response | Exception] = [responses[-1]]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = next(queue, last[0])
        if isinstance(answer, Exception):
            raise answer
        return answer

    return handler, seen


NEWEST = datetime(2024, 1, 1, tzinfo=UTC)


def trello_date(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_date(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def action(index: int) -> dict[str, Any]:
    """Action ``index``, a second older than ``index - 1`` (Trello lists newest first)."""
    return {
        "id": f"{0x60000000 - index:08x}{index:016x}",
        "type": "commentCard",
        "date": trello_date(NEWEST - timedelta(seconds=index)),
        "idMemberCreator": "m1",
        "data": {"card": {"id": "c1"}, "text": "hi"},
    }


def board_payload(nested_actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "b" * 24,
        "name": "Test board",
        "url": "https://trello.test/b/x",
        "lists": [{"id": "l1", "name": "Doing", "pos": 1, "closed": False}],
        "cards": [{"id": "c1", "name": "Card", "idList": "l1", "idLabels": ["lb1"]}],
        "labels": [{"id": "lb1", "name": "bug", "color": "red"}],
        "members": [{"id": "m1", "fullName": "Ann", "username": "ann"}],
        "checklists": [
            {
                "id": "k1",
                "name": "Todo",
                "idCard": "c1",
                "checkItems": [{"id": "i1", "name": "a", "state": "complete", "pos": 1}],
            }
        ],
        "actions": nested_actions,
    }


class PagedBoard:
    """A board with ``total`` actions: nested up to ``actions_limit``, the rest paged by
    ``before=<date>`` (only actions strictly older than it)."""

    def __init__(self, total: int) -> None:
        self.actions = [action(i) for i in range(total)]
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        query = request.url.params
        if request.url.path.endswith("/actions"):
            before = parse_date(query["before"])
            older = [a for a in self.actions if parse_date(a["date"]) < before]
            return httpx.Response(200, json=older[: int(query["limit"])])
        return httpx.Response(200, json=board_payload(self.actions[: int(query["actions_limit"])]))
