"""A real threaded HTTP/1.1 server on 127.0.0.1 around the emulator core.

Faults are acted out on the socket: a timeout holds the request, then hangs up; a dropped
connection closes without a response; a truncated body sends half the bytes (by default with the
full Content-Length, then hangs up). ``stop`` wakes every sleeping request, closes every open
connection and joins every thread, so ``with emulator.serve()`` exits fast.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from trellolens.testing.emulator.handler import Core, make_request

logger = logging.getLogger("trellolens.testing.emulator")


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], core: Core) -> None:
        self.core = core
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self.connections: dict[threading.Thread, socket.socket] = {}
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name="trello-emulator-connection",
            daemon=True,
        )
        with self._lock:
            self.connections[thread] = request
        thread.start()

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._lock:
                self.connections.pop(threading.current_thread(), None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up (or our own stop) is normal here; never print a traceback.
        logger.debug("emulator connection ended with an error")

    def open_connections(self) -> list[tuple[threading.Thread, socket.socket]]:
        with self._lock:
            return list(self.connections.items())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = (
        True  # send headers and body at once, as real servers do (TCP_NODELAY)
    )
    server: _HttpServer
    timeout = 120  # an idle keep-alive connection is closed after this long

    def do_GET(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = make_request(self.command, self.path, dict(self.headers.items()), body)
        stopping = self.server.stopping
        reply = self.server.core.respond(request, sleep=stopping.wait)
        fault = reply.fault
        if stopping.is_set() or (fault is not None and fault.kind in ("timeout", "drop")):
            if fault is not None and fault.kind == "timeout":
                stopping.wait(fault.seconds)
            self.close_connection = True
            return
        body = reply.body
        declared = len(body)
        if fault is not None and fault.kind == "truncate":
            body = body[: len(body) // 2]
            if fault.honest_length:
                declared = len(body)
            else:
                self.close_connection = True
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(declared))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The request line holds the URL (maybe with a token): the core logs a redacted one."""

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("emulator http: %s", format)  # the template only: args may hold the URL


class EmulatorServer:
    def __init__(self, core: Core, host: str = "127.0.0.1", port: int = 0) -> None:
        self._httpd = _HttpServer((host, port), core)
        self.host = host
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="trello-emulator-server",
            daemon=True,
        )

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/1"

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._httpd.stopping.set()
        self._httpd.shutdown()
        for _, sock in self._httpd.open_connections():
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()
        self._thread.join(timeout)
        for thread, _ in self._httpd.open_connections():
            thread.join(timeout)
