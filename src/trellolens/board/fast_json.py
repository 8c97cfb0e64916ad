"""JSON decoding at native speed (msgspec), with the standard library's meaning and messages.

msgspec decodes the same documents to the same values as ``json.loads``, several times faster and
without first copying the bytes into a ``str``. What it refuses (``NaN``, numbers beyond a float,
lone surrogates, a byte-order mark, deep nesting, bad JSON) goes to ``json.loads``, which either
accepts it as before or raises its usual, precise error. bench/parse.py chose msgspec over orjson
(orjson turns integers beyond 64 bits into floats).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import msgspec

_DECODER = msgspec.json.Decoder()
_ENCODER = msgspec.json.Encoder()


def fast_loads(data: bytes | memoryview | str) -> Any:
    """``data`` decoded by msgspec; raises ``msgspec.DecodeError`` or ``RecursionError``."""
    return _DECODER.decode(data)


def loads(data: bytes | str) -> Any:
    """``json.loads(data)``, faster: the same values, and the same exceptions on bad input."""
    try:
        return _DECODER.decode(data)
    except (msgspec.DecodeError, RecursionError):
        return json.loads(data)


def dumps(value: Any) -> bytes:
    """``value`` as compact UTF-8 JSON: what ``json.dumps(value, ensure_ascii=False)`` means, in a
    fraction of its time. A NaN or infinity (never in Trello's JSON, and not JSON at all) is
    written as ``null``; what msgspec cannot encode (a lone surrogate, an integer beyond 64 bits)
    goes through ``json.dumps``, which writes it or raises its usual error."""
    try:
        return _ENCODER.encode(value)
    except (TypeError, ValueError, OverflowError):  # also UnicodeEncodeError
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic objects.

    Every few hundred allocations the collector would walk all the young containers, which costs
    a third of decoding a large export; JSON values and the board model hold no cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
