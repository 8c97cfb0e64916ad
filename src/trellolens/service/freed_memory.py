"""Handing memory freed after a board load back to the system.

A load's peak (HTTP bodies, the first page's decoded JSON) is freed once the Board is built, but
glibc's allocator keeps freed pages in its heaps, so the server's resident memory would stay at
the peak; ``malloc_trim`` returns them. Elsewhere (macOS, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from functools import cache


def release_freed_memory() -> bool:
    """Return the C allocator's free pages to the system; whether it could try."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # no C library to open, or one without malloc_trim
        return None
    return trim
