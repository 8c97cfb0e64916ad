"""Rate limits, 429 storms, 5xx, latency, and faults acted out over real HTTP."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from tests.testing.emulator_support import BOARD, TOKEN, auth_header, client, make_emulator
from trellolens.testing import RateLimits, TokenSpec, generate_board

SMALL = RateLimits(token_max=3, key_max=5, interval_s=0.3)


class FakeClock:
    """The emulator's clock, moved by hand: windows and storms without sleeping or racing."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_window_with_trello_headers_and_body() -> None:
    clock = FakeClock()
    emulator = make_emulator(rate_limits=SMALL, clock=clock)
    http = client(emulator)
    remaining = [
        http.get("/members/me").headers["x-rate-limit-api-token-remaining"] for _ in range(3)
    ]
    assert remaining == ["2", "1", "0"]
    refused = http.get("/members/me")
    assert refused.status_code == 429
    assert refused.json() == {"error": "API_TOKEN_LIMIT_EXCEEDED", "message": "Rate limit exceeded"}
    assert refused.headers["x-rate-limit-api-token-max"] == "3"
    assert refused.headers["x-rate-limit-api-token-interval-ms"] == "300"
    assert refused.headers["x-rate-limit-api-key-max"] == "5"
    clock.now += 0.35
    assert http.get("/members/me").status_code == 200


def test_key_window_spans_tokens() -> None:
    emulator = make_emulator(rate_limits=SMALL, clock=FakeClock())
    emulator.add_token(TokenSpec("ATTACANARYsecond"))
    statuses = [client(emulator).get("/members/me").status_code for _ in range(3)]
    statuses += [
        client(emulator, "ATTACANARYsecond").get("/members/me").status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 200, 200, 200, 429]
    refused = client(emulator, "ATTACANARYsecond").get("/members/me")
    assert refused.json()["error"] == "API_KEY_LIMIT_EXCEEDED"
    emulator.reset()
    assert client(emulator).get("/members/me").status_code == 200


def test_storms_by_count_and_by_time_then_server_errors() -> None:
    clock = FakeClock()
    emulator = make_emulator(clock=clock)
    http = client(emulator)
    emulator.faults.rate_limit_storm(requests=2, kind="key")
    assert [http.get("/members/me").status_code for _ in range(3)] == [429, 429, 200]
    assert emulator.requests[0].status == 429
    emulator.faults.rate_limit_storm(seconds=0.2)
    refused = http.get("/members/me")
    assert refused.json()["error"] == "API_TOKEN_LIMIT_EXCEEDED"
    assert refused.headers["x-rate-limit-api-token-remaining"] == "0"
    clock.now += 0.25
    assert http.get("/members/me").status_code == 200
    emulator.faults.server_errors(2, status=503)
    assert [http.get("/members/me").status_code for _ in range(3)] == [503, 503, 200]
    with pytest.raises(ValueError, match="one of"):
        emulator.faults.server_errors(1, status=418)
    with pytest.raises(ValueError, match="exactly one"):
        emulator.faults.rate_limit_storm()


def test_handler_mode_faults_raise_httpx_errors() -> None:
    emulator = make_emulator()
    http = client(emulator)
    emulator.faults.timeouts(1)
    with pytest.raises(httpx.ReadTimeout):
        http.get("/members/me")
    emulator.faults.drop_connections(1)
    with pytest.raises(httpx.RemoteProtocolError):
        http.get("/members/me")
    emulator.faults.truncate_bodies(1)
    with pytest.raises(json.JSONDecodeError):
        http.get("/members/me").json()
    assert http.get("/members/me").status_code == 200
    assert [r.fault for r in emulator.requests] == ["timeout", "drop", "truncate", None]
    assert [r.status for r in emulator.requests] == [None, None, 200, 200]


def test_real_server_faults() -> None:
    emulator = make_emulator()
    with (
        emulator.serve() as base_url,
        httpx.Client(base_url=base_url, headers=auth_header(), timeout=0.5) as http,
    ):
        emulator.faults.timeouts(1, seconds=30)
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            http.get("/members/me")
        assert time.monotonic() - started < 2
        emulator.faults.drop_connections(1)
        with pytest.raises(httpx.RemoteProtocolError):
            http.get("/members/me")
        emulator.faults.truncate_bodies(1)  # full Content-Length, then the server hangs up
        with pytest.raises(httpx.RemoteProtocolError):
            http.get(f"/boards/{BOARD.id}/actions")
        emulator.faults.truncate_bodies(1, honest_length=True)
        cut = http.get(f"/boards/{BOARD.id}/actions")
        assert cut.status_code == 200
        with pytest.raises(json.JSONDecodeError):
            cut.json()
        assert http.get("/members/me").status_code == 200
    assert emulator.request_count == 5


def test_serve_exits_fast_with_requests_still_sleeping() -> None:
    emulator = make_emulator(latency_ms=20)
    emulator.faults.timeouts(2, seconds=60)
    errors: list[BaseException] = []

    def stuck(base_url: str) -> None:
        try:
            httpx.get(f"{base_url}/members/me", headers=auth_header(), timeout=30)
        except httpx.HTTPError as error:
            errors.append(error)

    started = time.monotonic()
    with emulator.serve() as base_url:
        threads = [threading.Thread(target=stuck, args=(base_url,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        while emulator.request_count < 2:
            time.sleep(0.01)
    assert time.monotonic() - started < 3
    for thread in threads:
        thread.join(5)
    assert len(errors) == 2
    assert not [t for t in threading.enumerate() if t.name.startswith("trello-emulator")]


def test_latency_and_concurrent_clients() -> None:
    emulator = make_emulator(latency_ms=200)
    with emulator.serve() as base_url:
        results: list[int] = []

        def one() -> None:
            results.append(httpx.get(f"{base_url}/members/me", headers=auth_header()).status_code)

        threads = [threading.Thread(target=one) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results == [200] * 8
    spans = [(r.started, r.finished) for r in emulator.requests]
    assert all(finished - started >= 0.2 for started, finished in spans)  # the latency
    # Served side by side, not one after another: some requests were answered at the same time.
    assert any(a[0] < b[1] and b[0] < a[1] for i, a in enumerate(spans) for b in spans[i + 1 :])
    emulator.faults.latency(0)
    assert client(emulator).get("/members/me").status_code == 200


def test_control_endpoints_over_http() -> None:
    emulator = make_emulator()
    emulator.revoke_token(TOKEN)
    with emulator.serve() as base_url:
        root = base_url.removesuffix("/1")
        assert httpx.get(f"{base_url}/members/me", headers=auth_header()).status_code == 401
        log = httpx.get(f"{root}/_emulator/requests").json()
        assert log["count"] == 1
        assert log["requests"][0]["status"] == 401
        assert httpx.post(f"{root}/_emulator/reset?boards=true").json() == {"reset": True}
        assert httpx.get(f"{root}/_emulator/requests").json()["count"] == 0
        assert httpx.get(f"{base_url}/members/me", headers=auth_header()).status_code == 200
    assert emulator.request_count == 1


def test_refuse_board_answers_403_for_that_board_only_until_cleared() -> None:
    other = generate_board(lists=3, cards=5, actions=20, seed=4)
    emulator = make_emulator(boards=[BOARD, other])
    http = client(emulator)
    emulator.faults.refuse_board(BOARD.id)
    for path in (f"/boards/{BOARD.id}", f"/boards/{BOARD.id}/actions"):
        refused = http.get(path)
        assert refused.status_code == 403
        assert refused.text == "forbidden"
    assert http.get(f"/boards/{other.id}").status_code == 200
    assert http.get("/members/me/boards").status_code == 200  # still listed, as in Trello
    emulator.faults.clear()
    assert http.get(f"/boards/{BOARD.id}").status_code == 200
