"""Prefect's environment on this machine: no internet calls, a temporary server that fits a busy machine, a quiet
console, and exact task-run counts.

Call `offline_prefect`/`quiet_prefect` before importing Prefect. Without a Prefect server (no
`PREFECT_API_URL`), each process starts Prefect's temporary server: it gets a home folder of its own
(its database, not the `~/.prefect` one every earlier run has grown and another process may hold)
and two minutes to start (the default 20 s was not enough on a busy machine: `thidua tick` and
`make demo` died there). `settled_task_runs` counts task runs
through the API once the server has recorded them all: task-run states reach the server as events and
are written in the background; waiting until the count settles gives exact counts, and lets the
temporary server stop with nothing left to flush (stopping it mid-flush prints `CancelledError`).
"""

import asyncio
import atexit
import logging
import os
import shutil
import tempfile

STARTUP_TIMEOUT_S = 120


def offline_prefect() -> None:
    """No telemetry or promotional calls (they fail without internet and print errors); a temporary server with a
    home of its own and time to start. Explicit settings win."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(STARTUP_TIMEOUT_S))
    if not os.environ.get("PREFECT_API_URL") and not os.environ.get("PREFECT_HOME"):
        home = tempfile.mkdtemp(prefix="thidua-prefect-")
        atexit.register(shutil.rmtree, home, True)  # registered first, so it runs after Prefect stops its server
        os.environ["PREFECT_HOME"] = home


def quiet_prefect() -> None:
    """Also keep the console to warnings and errors; the Prefect UI still receives every log."""
    offline_prefect()
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")


class _WithoutTraceback(logging.Formatter):
    """Formats a record as `inner` does, but without its traceback: a failed task or flow run is one line on the
    console (its message names the exception); the full traceback still reaches the Prefect UI."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        if not record.exc_info and not record.stack_info:
            return self.inner.format(record)
        plain = logging.makeLogRecord(record.__dict__)  # a copy: the API handler keeps the original
        plain.exc_info, plain.exc_text, plain.stack_info = None, None, None
        return self.inner.format(plain)


def console_without_tracebacks() -> None:
    """Keep Python tracebacks off the console of a CLI command that runs flows (call after importing Prefect)."""
    for handler in logging.getLogger().handlers:
        if type(handler).__name__ == "PrefectConsoleHandler" and not isinstance(handler.formatter, _WithoutTraceback):
            handler.setFormatter(_WithoutTraceback(handler.formatter))


async def _settled_count(poll_s: float, readings: int) -> int:
    from prefect.client.orchestration import get_client

    last, stable = -1, 0
    async with get_client() as client:
        while stable < readings:
            count = (await client._client.post("/task_runs/count", json={})).json()
            stable, last = (stable + 1, last) if count == last else (0, count)
            await asyncio.sleep(poll_s)
    return last


def settled_task_runs(poll_s: float = 0.5, readings: int = 3) -> int:
    """The number of task runs the API knows, once `readings` polls in a row agree."""
    return asyncio.run(_settled_count(poll_s, readings))
