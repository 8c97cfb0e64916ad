"""How a board (or the changes to one) is stored in Redis: JSON, zlib, and an HMAC tag.

Redis is shared, so whatever is read from it is untrusted. An entry is ``MAGIC + tag + zlib(JSON)``
where ``tag`` is HMAC-SHA256, under the reading token's ``CacheToken.signing_key``, of the entry's
Redis key and its compressed bytes: a party that can write Redis but does not hold the token cannot
forge a board, nor move an entry to another board, token or version. The key is derived from the
Trello token that read the board (``Secret.derived_key``), so every replica holding that token
(the app's, from its secrets; a visitor's, from their sign-in) shares the entries, and no one else.

Decoding never raises: a wrong tag, bad zlib, a body that grows past ``MAX_DECOMPRESSED_BYTES``
(a zlib bomb), bad JSON or a board that does not parse is a miss (the board is loaded again) with
one warning per entry, never the value.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import zlib
from dataclasses import replace

from trellolens.board import Board, board_to_export, parse_board
from trellolens.board.changes import BoardChanges
from trellolens.errors import BoardFormatError
from trellolens.shared.cache_token import CacheToken

log = logging.getLogger("trellolens.shared")

MAGIC = b"TLB1"
TAG_BYTES = 32
MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024
"""The largest board JSON read back (50,000 actions are well under 100 MB); more is a bomb."""
SOURCE = "the shared board cache"


class _UnreadableEntryError(ValueError):  # private: never leaves this module
    """An entry that is not one of ours (the message names why, never its bytes)."""


def _tag(token: CacheToken, name: str, body: bytes) -> bytes:
    message = name.encode() + b"\0" + body
    return hmac.new(token.signing_key, message, hashlib.sha256).digest()


def seal(token: CacheToken, name: str, payload: object) -> bytes:
    """``payload`` as JSON, compressed and tagged for the Redis key ``name``."""
    body = zlib.compress(json.dumps(payload, separators=(",", ":")).encode(), 6)
    return MAGIC + _tag(token, name, body) + body


def open_sealed(token: CacheToken, name: str, blob: bytes) -> object:
    """The JSON payload of ``blob``; ``_UnreadableEntryError`` when it is not an entry we wrote."""
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + TAG_BYTES:
        raise _UnreadableEntryError("not a trellolens entry")
    tag = blob[len(MAGIC) : len(MAGIC) + TAG_BYTES]
    body = blob[len(MAGIC) + TAG_BYTES :]
    if not hmac.compare_digest(tag, _tag(token, name, body)):
        raise _UnreadableEntryError("its signature does not match")
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(body, MAX_DECOMPRESSED_BYTES)
    except zlib.error:
        raise _UnreadableEntryError("bad zlib data") from None
    if inflater.unconsumed_tail or not inflater.eof:
        raise _UnreadableEntryError(f"more than {MAX_DECOMPRESSED_BYTES} bytes, or cut short")
    try:
        return json.loads(raw)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise _UnreadableEntryError("bad JSON") from None


def encode(token: CacheToken, name: str, board: Board) -> bytes:
    envelope = {"history_complete": board.history_complete, "board": board_to_export(board)}
    return seal(token, name, envelope)


def encode_changes(token: CacheToken, name: str, changes: BoardChanges) -> bytes:
    return seal(token, name, {"since": changes.since, "board": board_to_export(changes.board)})


def _parsed(token: CacheToken, name: str, blob: bytes) -> tuple[dict[str, object], Board]:
    envelope = open_sealed(token, name, blob)
    if not isinstance(envelope, dict):
        raise _UnreadableEntryError("not an envelope")
    try:
        return envelope, parse_board(envelope["board"], SOURCE)
    except (KeyError, TypeError, BoardFormatError):
        raise _UnreadableEntryError("not a board") from None


def decode(token: CacheToken, name: str, blob: bytes) -> Board | None:
    """The board in ``blob``; None (and one warning) when it is not one of ours."""
    try:
        envelope, board = _parsed(token, name, blob)
    except _UnreadableEntryError as problem:
        warn_unreadable(name, str(problem))
        return None
    complete = envelope.get("history_complete")
    return replace(board, history_complete=complete if isinstance(complete, bool) else None)


def decode_changes(token: CacheToken, name: str, blob: bytes) -> BoardChanges | None:
    """The changes in ``blob``; None (and one warning) when they are not ours."""
    try:
        envelope, board = _parsed(token, name, blob)
        since = envelope.get("since")
        if not isinstance(since, str):
            raise _UnreadableEntryError("no 'since'")
    except _UnreadableEntryError as problem:
        warn_unreadable(name, str(problem))
        return None
    return BoardChanges(since, board)


_warned: set[str] = set()


def warn_unreadable(name: str, why: str) -> None:
    """One warning per Redis key (a poller reads it every 0.1 s): what and why, no bytes."""
    if name in _warned:
        return
    if len(_warned) > 10_000:
        _warned.clear()
    _warned.add(name)
    log.warning("Ignored an unreadable entry in Redis (%s): %s; loading it again", name, why)
