"""PolledCache on its own: no AWS needed."""

from __future__ import annotations

from trellolens.credentials.model import SourceResult
from trellolens.credentials.sources.aws_cache import Fetched, PolledCache


def test_clear_forgets_entries_and_their_locks() -> None:
    cache = PolledCache()
    calls: list[str] = []

    def refresh(previous: Fetched | None) -> Fetched:
        calls.append("refresh")
        return Fetched("v1", SourceResult({}, {}))

    for key in range(50):  # e.g. one per region or secret id a long-running process has seen
        cache.get(("aws-sm", key), refresh, interval=60.0)
    cache.clear()
    assert cache._locks == {}  # a cleared cache holds nothing per key
    assert cache._entries == {}
    cache.get(("aws-sm", 0), refresh, interval=60.0)
    assert len(calls) == 51  # an entry is fetched anew after clear()
