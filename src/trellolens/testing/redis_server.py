"""A real ``redis-server`` (Debian's package) on a free loopback port, for tests and benchmarks.

    with RedisServer.start() as server:
        os.environ["TRELLOLENS_REDIS_URL"] = server.url

It requires a password (``requirepass``), keeps nothing on disk (no RDB, no AOF) and is killed on
exit. ``stop()`` and ``restart()`` act out an outage on the same port.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

REDIS_SERVER = "/usr/bin/redis-server"
START_TIMEOUT = 10.0


def free_port() -> int:
    """A TCP port nobody listens on right now, on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int, password: str) -> bool:
    """True once the server accepts the password and answers PING."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(
                f"*2\r\n$4\r\nAUTH\r\n${len(password)}\r\n{password}\r\n*1\r\n$4\r\nPING\r\n".encode()
            )
            reply = b""
            while reply.count(b"\r\n") < 2:
                chunk = conn.recv(256)
                if not chunk:
                    return False
                reply += chunk
            return reply == b"+OK\r\n+PONG\r\n"
    except OSError:
        return False


class RedisServer:
    """One ``redis-server`` process; ``url`` carries the password (a test value)."""

    def __init__(self, port: int, password: str, workdir: Path) -> None:
        self.port = port
        self.password = password
        self._workdir = workdir
        self._process: subprocess.Popen[bytes] | None = None

    @classmethod
    def start(cls, password: str | None = None) -> RedisServer:
        binary = shutil.which("redis-server") or REDIS_SERVER
        if not Path(binary).exists():
            raise RuntimeError(
                "redis-server is not installed: `make test` installs Debian's redis-server "
                "(apt-get install redis-server)"
            )
        workdir = Path(tempfile.mkdtemp(prefix="trellolens-redis-"))
        server = cls(free_port(), password or f"redis-CANARY-{secrets.token_hex(12)}", workdir)
        server.restart()
        return server

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def restart(self) -> None:
        """Start the server (again, on the same port, empty) and wait until it answers."""
        if self.running:
            return
        config = "\n".join(
            [
                f"port {self.port}",
                "bind 127.0.0.1",
                f"requirepass {self.password}",
                'save ""',
                "appendonly no",
                f"dir {self._workdir}",
                "protected-mode yes",
                "loglevel warning",
                'logfile ""',
            ]
        )
        config_file = self._workdir / "redis.conf"  # the password never goes on a command line
        config_file.write_text(config + "\n", encoding="utf-8")
        config_file.chmod(0o600)
        self._process = subprocess.Popen(
            [shutil.which("redis-server") or REDIS_SERVER, str(config_file)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        until = time.monotonic() + START_TIMEOUT
        while not _answers(self.port, self.password):
            if self._process.poll() is not None or time.monotonic() > until:
                self.stop()
                raise RuntimeError(f"redis-server did not start on 127.0.0.1:{self.port}")
            time.sleep(0.02)

    def stop(self) -> None:
        """Kill the server (an outage: nothing is saved)."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(5)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> RedisServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RedisServer(port={self.port}, running={self.running})"
