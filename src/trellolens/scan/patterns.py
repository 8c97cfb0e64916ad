"""What a Trello credential looks like in text, and the context rule that tells it from a hash.

Shapes (Trello documents none of them; these are what its keys and tokens look like):

- ``api-key``: 32 hex digits (lower-case, or an upper-cased copy);
- ``token``: ``ATTA`` followed by 72 letters and digits (current tokens; the ones seen in the wild
  are ``ATTA`` + 64 hex + 8 hex, we match the wider shape);
- ``legacy-token``: 64 hex digits (tokens issued before the ``ATTA`` prefix);
- ``api-secret``: 64 hex digits (the OAuth 1 secret next to the key).

A current token needs no context, unless it is documentation (``ATTAxxxx...``). A value alone on
its line takes its name from the line above when that line opens a multi-line value (YAML
``token: |``, ``TOKEN = (``, a JSON ``"key":``). A bare run of 32 or 64 hex digits is usually a
hash, so the context rule (docs/scanner.md) asks what the value is *called*: the text before it on its line,
cut at the last ``,``/``;``/``&``, else the whole text before it, else an opening line that
mentions Trello just above (``trello:``, ``[trello]``, ``Trello(``). In a URL's path only the
segment or query parameter before the value names it (``/1/tokens/<value>``, ``?key=<value>``).
Words such as sha256, checksum, hash, digest, integrity, etag, commit or id (``buildId`` too)
veto the value; ``key`` names a key,
``token`` a token, ``secret`` a secret, and ``trello`` on its own a key (32) or a token (64).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass

API_KEY_KIND = "api-key"
"""A finding's kind (not a credentials key name: that is ``credentials.model.API_KEY``)."""
TOKEN = "token"  # noqa: S105 -- a kind name
LEGACY_TOKEN = "legacy-token"  # noqa: S105 -- a kind name
API_SECRET = "api-secret"  # noqa: S105 -- a kind name
SECRETS_FILE = "secrets-file"
KINDS: tuple[str, ...] = (API_KEY_KIND, TOKEN, LEGACY_TOKEN, API_SECRET, SECRETS_FILE)
TOKEN_KINDS = frozenset({TOKEN, LEGACY_TOKEN})

ATTA_TOKEN = re.compile(r"(?<![A-Za-z0-9])(?:ATTA|atta)[A-Za-z0-9]{72}(?![A-Za-z0-9])")
HEX_VALUE = re.compile(
    r"(?<![A-Za-z0-9_-])(?:[0-9a-f]{64}|[0-9a-f]{32}|[0-9A-F]{64}|[0-9A-F]{32})(?![A-Za-z0-9_-])"
)
"""Exactly 32 or 64 hex digits, one case (a copy may be upper-cased): ``key-<hex>``, ``<hex>-us6``
or ``dop_v1_<hex>`` belong to others."""
PLACEHOLDER_WORDS = re.compile(
    r"x{4}|your|here|example|placeholder|redacted|dummy|sample|fake|changeme|insert", re.IGNORECASE
)
"""In an ``ATTA...`` shape, documentation (``ATTAxxxx...``); real tokens are hex after ATTA."""
VALUE_ON_NEXT_LINE = re.compile(
    r"""(?:[:=(]\s*(?:[|>][+-]?\d?[+-]?|\"\"\"|'''|\(|\[|\\)?|\\)\s*$"""
)
"""A line whose value follows below: ``token: |``, ``key: >-``, ``TOKEN = (``, ``"token":``."""
BLANK_BEFORE = re.compile(r"""[\s"'`(\[{]*""")
LONG_HEX = re.compile(r"[0-9a-fA-F]{32,}")
SEGMENT_BREAK = re.compile(r"[,;&]")
URL_PATH = re.compile(r"://[^\s\"'<>()?#]*?([^/\s\"'<>()?#]*)/$")
URL_QUERY = re.compile(r"://[^\s\"'<>()]*[?&]([^=&?\s\"'<>()]*)=$")

VETO = re.compile(
    r"md5|sha-?(?:1|224|256|384|512)|(?<![a-z])sha(?![a-z])|checksum|\bsums?\b|digest|hash"
    r"|integrity|etag|fingerprint|commit|revision|nonce|salt|(?<![a-z])[ug]?uid(?![a-z])"
    r"|(?<![a-z])id(?![a-z])|(?-i:[a-z0-9](?:Id|ID)s?)(?![a-z])",
    re.IGNORECASE,
)
KEY_WORD = re.compile(
    r"(?:api|app|consumer|developer|public|trello)[\s_.-]?key(?![a-z0-9])|(?<![a-z0-9_])key(?![a-z0-9_])",
    re.IGNORECASE,
)
TOKEN_WORD = re.compile(r"token", re.IGNORECASE)
SECRET_WORD = re.compile(r"secret", re.IGNORECASE)
TRELLO_WORD = re.compile(r"trello", re.IGNORECASE)
OPENERS = ("(", "{", "[", ":", "=", ",", "\\", "]")
CONTEXT_LINES = 4
"""How many lines above a value may name it (``trello:`` over an indented ``value: ...``)."""
MIN_DISTINCT_HEX = 6
"""Fewer distinct digits than this is a placeholder (``0000...``, ``abababab...``), not a key."""


@dataclass(frozen=True)
class Match:
    """One credential in a sequence of lines: ``index`` into the lines, the kind and the value."""

    index: int
    kind: str
    value: str


def find_credentials(lines: Sequence[str], report: Container[int] | None = None) -> Iterator[Match]:
    """Every credential in ``lines`` whose line index is in ``report`` (default: all).

    Lines outside ``report`` still serve as context (the unchanged lines around a diff's
    added lines).
    """
    for index, line in enumerate(lines):
        if report is not None and index not in report:
            continue
        for found in ATTA_TOKEN.finditer(line):
            if not is_token_placeholder(found.group()):
                yield Match(index, TOKEN, found.group())
        for found in HEX_VALUE.finditer(line):
            value = found.group()
            if is_placeholder(value):
                continue
            kind = _hex_kind(len(value), _labels_for(lines, index, found.start()))
            if kind is not None:
                yield Match(index, kind, value)


def is_token_placeholder(value: str) -> bool:
    """``ATTAxxxx...``, ``ATTA`` + ``yourtokenhere...`` or a repeated run: documentation."""
    tail = value[4:]
    return bool(PLACEHOLDER_WORDS.search(tail)) or is_placeholder(tail.lower())


def is_placeholder(value: str) -> bool:
    """``000...``, ``abab...``, ``0123456789abcdef`` repeated (cut anywhere): an example."""
    value = value.lower()
    if len(set(value)) < MIN_DISTINCT_HEX:
        return True
    return any(
        value == (value[:period] * (len(value) // period + 1))[: len(value)]
        for period in range(1, len(value) // 2 + 1)
    )


def _words(text: str) -> set[str]:
    found: set[str] = set()
    if VETO.search(text):
        found.add("veto")
    if KEY_WORD.search(text):
        found.add("key")
    if TOKEN_WORD.search(text):
        found.add("token")
    if SECRET_WORD.search(text):
        found.add("secret")
    if TRELLO_WORD.search(text):
        found.add("trello")
    return found


def _labels_for(lines: Sequence[str], index: int, start: int) -> set[str]:
    """What the value at ``lines[index][start:]`` is called, nearest naming first."""
    before = lines[index][:start]
    in_url = URL_PATH.search(before) or URL_QUERY.search(before)
    if in_url:
        # In a URL only the name just before counts: ``/tokens/<value>``, ``?key=<value>``
        # (not the ``trello.com`` host before an attachment's hash or a ``utm_source=``).
        return _words(in_url.group(1))
    segment = SEGMENT_BREAK.split(_after_last_value(before))[-1]
    for text in (segment, before):
        words = _words(text)
        if words:
            return words
    if BLANK_BEFORE.fullmatch(before):
        named = _named_above(lines, index)
        if named:
            return named
    return _block_context(lines, index)


def _named_above(lines: Sequence[str], index: int) -> set[str]:
    """A value alone on its line, under ``token: |``, ``TOKEN = (`` or ``"key":``: that name."""
    for above in range(index - 1, -1, -1):
        text = lines[above].rstrip()
        if not text.strip():
            continue
        opener = VALUE_ON_NEXT_LINE.search(text)
        if opener is None:
            return set()
        return _words(SEGMENT_BREAK.split(_after_last_value(text[: opener.start()]))[-1])
    return set()


def _after_last_value(text: str) -> str:
    """``text`` after the last long hex run or token in it (the name of the next value)."""
    ends = [m.end() for m in LONG_HEX.finditer(text)] + [m.end() for m in ATTA_TOKEN.finditer(text)]
    return text[max(ends) :] if ends else text


def _block_context(lines: Sequence[str], index: int) -> set[str]:
    """Words of the nearest opening line above that mentions Trello (``trello:``, ``Trello(``)."""
    for above in range(index - 1, max(-1, index - 1 - CONTEXT_LINES), -1):
        text = lines[above].strip()
        if VETO.search(text):
            return set()
        if LONG_HEX.search(text) or not text:
            continue
        if TRELLO_WORD.search(text) and text.endswith(OPENERS):
            return _words(text)
    return set()


def _hex_kind(length: int, words: set[str]) -> str | None:
    if "veto" in words:
        return None
    if length == 32:
        named_key = "key" in words or ("trello" in words and not words & {"token", "secret"})
        return API_KEY_KIND if named_key else None
    if "secret" in words:
        return API_SECRET
    if "token" in words or ("trello" in words and "key" not in words):
        return LEGACY_TOKEN
    return None


def preview(value: str) -> str:
    """The first 4 characters and ``...``: enough to recognise, never enough to use."""
    return value[:4] + "..."
