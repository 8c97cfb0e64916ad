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


def trickle_slow_body(port: int, give_up_after: float) -> tuple[str, float]:
    """Announce a 1,000-byte body and send one byte every 0.25 s until the server closes the
    connection (or ``give_up_after`` seconds pass): its answer and how long it held on."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        answer = Answer(conn)
        started = time.monotonic()
        conn.sendall(post_headers("Content-Length: 1000\r\n"))
        while answer.closed_at is None and time.monotonic() - started < give_up_after:
            try:
                conn.sendall(b"{")
            except OSError:
                break
            time.sleep(0.25)
        text = answer.wait(5)
        return text, (answer.closed_at or time.monotonic()) - started
