"""Raw-socket probes of a webhook endpoint: hostile bodies (huge, chunked, slow) sent byte by byte
while a thread reads the answer, so a refusal sent before the server hangs up is not lost."""

from __future__ import annotations

import socket
import threading
import time

CHUNK = b"x" * 65_536


def post_headers(extra: str) -> bytes:
    return (
        f"POST /trello/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}"
        "Content-Type: application/json\r\n\r\n"
    ).encode()


class Answer:
    """Reads what the server answers while the test is still sending (before any reset)."""

    def __init__(self, conn: socket.socket) -> None:
        self.data = b""
        self.closed_at: float | None = None
        self._conn = conn
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            while chunk := self._conn.recv(65_536):
                self.data += chunk
        except OSError:
            pass
        self.closed_at = time.monotonic()

    def wait(self, seconds: float) -> str:
        self._thread.join(seconds)
        return self.data.decode("latin-1")


def send_chunked(conn: socket.socket, total: int) -> int:
    """Send ``total`` bytes as a chunked body; the bytes sent before the server hung up."""
    sent = 0
    try:
        conn.sendall(post_headers("Transfer-Encoding: chunked\r\n"))
        while sent < total:
            conn.sendall(b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK))
            sent += len(CHUNK)
        conn.sendall(b"0\r\n\r\n")
    except OSError:
        pass
    return sent
