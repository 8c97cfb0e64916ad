"""After a board load the freed peak goes back to the system (glibc), and elsewhere nothing
breaks."""

from __future__ import annotations

import sys

import pytest

from trellolens.service import freed_memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_on_linux_the_heap_is_trimmed() -> None:
    assert freed_memory.release_freed_memory() is True


def test_without_glibc_it_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    freed_memory._malloc_trim.cache_clear()
    monkeypatch.setattr("sys.platform", "darwin")
    try:
        assert freed_memory.release_freed_memory() is False
    finally:
        freed_memory._malloc_trim.cache_clear()


def test_a_c_library_without_malloc_trim_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    class Musl:
        def __init__(self, name: object) -> None:
            del name

    freed_memory._malloc_trim.cache_clear()
    monkeypatch.setattr("ctypes.CDLL", Musl)
    try:
        assert freed_memory.release_freed_memory() is False
    finally:
        freed_memory._malloc_trim.cache_clear()
