"""``SlotStore``: single-flight slots kept for a TTL, the least recently used one dropped first."""

from __future__ import annotations

from trellolens.service.slots import SlotStore


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_least_recently_used_slot_goes_first() -> None:
    store: SlotStore[int] = SlotStore(ttl=60, max_entries=2, clock=Clock())
    loads: list[str] = []

    def load(key: str) -> int:
        loads.append(key)
        return len(loads)

    assert store.get_or_load("a", lambda: load("a")) == 1
    assert store.get_or_load("b", lambda: load("b")) == 2
    assert store.get_or_load("a", lambda: load("a")) == 1  # a is now the most recent
    store.get_or_load("c", lambda: load("c"))  # b goes
    store.get_or_load("a", lambda: load("a"))
    store.get_or_load("b", lambda: load("b"))
    assert loads == ["a", "b", "c", "b"]


def test_a_value_expires_and_invalidate_and_clear_forget_it() -> None:
    clock = Clock()
    store: SlotStore[str] = SlotStore(ttl=10, max_entries=8, clock=clock)
    assert store.get_or_load(("who", "b1", None), lambda: "first") == "first"
    clock.now = 9.9
    assert store.get_or_load(("who", "b1", None), lambda: "second") == "first"
    clock.now = 10.0
    assert store.get_or_load(("who", "b1", None), lambda: "third") == "third"
    assert store.invalidate(lambda key: isinstance(key, tuple) and key[1] == "b1") == 1
    assert store.get_or_load(("who", "b1", None), lambda: "fourth") == "fourth"
    store.clear()
    assert store.get_or_load(("who", "b1", None), lambda: "fifth") == "fifth"


def test_an_ended_sign_in_serves_what_is_held_and_nothing_else() -> None:
    """After the TTL, a load refused with ``SignInRequiredError`` returns the value held (the
    dashboard keeps showing it); with nothing held, or on any other error, the error is raised."""
    import pytest

    from trellolens.errors import SignInRequiredError, TrelloUnavailableError

    clock = Clock()
    store: SlotStore[str] = SlotStore(ttl=60, max_entries=4, clock=clock)
    held_on = (SignInRequiredError,)

    def ended() -> str:
        raise SignInRequiredError("sign in again: `trellolens login`")

    def down() -> str:
        raise TrelloUnavailableError("Trello could not be reached")

    assert store.get_or_load("boards", lambda: "held", held_on) == "held"
    clock.now = 120.0  # expired
    assert store.get_or_load("boards", ended, held_on) == "held"
    with pytest.raises(TrelloUnavailableError):
        store.get_or_load("boards", down, held_on)
    with pytest.raises(SignInRequiredError):
        store.get_or_load("other", ended, held_on)
    with pytest.raises(SignInRequiredError):
        store.get_or_load("boards", ended)  # not asked to hold on
    assert store.get_or_load("boards", lambda: "new", held_on) == "new"
