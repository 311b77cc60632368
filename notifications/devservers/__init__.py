"""Local stand-ins for the SMTP server and the Zalo API, on loopback only, for development, tests and demos; and
what the harnesses that start them share (a free port, a clean environment, a bounded wait)."""

import json
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Self

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on loopback that is free right now."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def bare_environ() -> dict[str, str]:
    """This process's environment without thidua's and Prefect's settings: the base of a process given its own."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("THIDUA_", "PREFECT_")) and k != "DATABASE_URL"}


def wait_until(condition: Callable[[], bool], limit_s: float, every_s: float = 0.01) -> bool:
    """Poll `condition` until it holds or `limit_s` passes; whether it held."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every_s)
    return condition()


class RecordingServer:
    """Lifecycle shared by the local servers: an optional JSON-lines store of what they receive.

    Subclasses set `store_file` and implement `_serve()` and `_shutdown()`.
    """

    store_file: str

    def __init__(self, store: Path | None) -> None:
        self._store = store
        self._file: IO[str] | None = None

    def _write(self, row: dict[str, Any]) -> None:
        """Append one received message to the store (callers hold their own lock)."""
        if self._file:
            self._file.write(json.dumps(row, ensure_ascii=False) + "\n")
            self._file.flush()

    def _serve(self) -> None:
        raise NotImplementedError

    def _shutdown(self) -> None:
        raise NotImplementedError

    def start(self) -> Self:
        if self._store:
            self._store.mkdir(parents=True, exist_ok=True)
            self._file = (self._store / self.store_file).open("a", encoding="utf-8")
        self._serve()
        return self

    def stop(self) -> None:
        self._shutdown()
        if self._file:
            self._file.close()
            self._file = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run_until_stopped(server: RecordingServer, *announce: Callable[[RecordingServer], str]) -> None:
    """Run `server` as a process: print its ready lines, then serve until SIGTERM or Ctrl-C."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with server:
        for line in announce:
            print(line(server), flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
