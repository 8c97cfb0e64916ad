"""Read a webhook body in a stream, bounded in size and time, before anything is buffered.

A ``Content-Length`` above the limit is refused without reading; a chunked (or lying) body is
refused as soon as the bytes received pass the limit, so memory per request stays under it; a
body that has not fully arrived within ``seconds`` is refused too (a slow sender holds a
connection for seconds, not minutes).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from starlette.requests import ClientDisconnect, Request


@dataclass(frozen=True)
class BodyRefused:
    """Why the body was not read: an HTTP status and one line."""

    status: int
    why: str


async def bounded_body(request: Request, limit: int, seconds: float) -> bytes | BodyRefused:
    """The whole body, or why it was refused (too large, bad length, too slow)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            return BodyRefused(400, "bad Content-Length")
        if int(declared) > limit:
            return BodyRefused(413, "body too large")
    received = bytearray()
    try:
        async with asyncio.timeout(seconds):
            async for chunk in request.stream():
                received += chunk
                if len(received) > limit:
                    return BodyRefused(413, "body too large")
    except TimeoutError:
        return BodyRefused(408, f"the body did not arrive within {seconds:g} s")
    except ClientDisconnect:
        return BodyRefused(400, "the sender went away before the body ended")
    return bytes(received)
