"""``Secret``: a string that never shows itself; ``.reveal()`` is the only way to read it."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import threading
import weakref
from typing import NoReturn

MASK = "**********"
_FINGERPRINT_LABEL = b"trellolens-fingerprint-v1:"

# Every live Secret, held weakly, so log redaction (trellolens.credentials.redaction) can mask its value
# without this module importing the redaction module. The version changes whenever a Secret is made.
_live: weakref.WeakValueDictionary[int, Secret] = weakref.WeakValueDictionary()
_serial = itertools.count()
_live_lock = threading.Lock()
_live_version = 0


def secrets_version() -> int:
    """A number that changes whenever a ``Secret`` is made (to skip unchanged snapshots)."""
    return _live_version


def live_secrets() -> list[Secret]:
    """Every ``Secret`` still in memory."""
    with _live_lock:
        return list(_live.values())


def _track(secret: Secret) -> None:
    global _live_version
    with _live_lock:
        _live[next(_serial)] = secret
        _live_version += 1


class Secret:
    """A secret value, masked in ``str``, ``repr``, ``format`` and logging; never pickled.

    Equality with another ``Secret`` is constant-time. ``fingerprint()`` identifies a value
    (to tell whether two profiles share a token) without revealing it.
    """

    __slots__ = ("__weakref__", "_value")

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"Secret needs a str, got {type(value).__name__}")
        self._value = value
        _track(self)

    def reveal(self) -> str:
        """The value itself: pass it straight to the code that needs it, never to a log or page."""
        return self._value

    def fingerprint(self) -> str:
        """A short, one-way identifier of the value (12 hex digits of a labelled SHA-256)."""
        return hashlib.sha256(_FINGERPRINT_LABEL + self._value.encode()).hexdigest()[:12]

    def derived_key(self, purpose: bytes) -> bytes:
        """A 32-byte key for ``purpose`` (HMAC-SHA256 of it under the value): one-way, and a
        different key for each purpose, so no use of it tells anything about another."""
        return hmac.new(
            self._value.encode(), b"trellolens key: " + purpose, hashlib.sha256
        ).digest()

    def __repr__(self) -> str:
        return f"Secret('{MASK}')"

    def __str__(self) -> str:
        return MASK

    def __format__(self, format_spec: str) -> str:
        return MASK

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: object) -> Secret:
        return self

    def __reduce__(self) -> NoReturn:
        raise TypeError("Secret values are never pickled: keep them out of st.cache_data and files")
