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


LEVELS = {"DEBUG": "GỠ LỖI", "INFO": "THÔNG TIN", "WARNING": "CẢNH BÁO", "ERROR": "LỖI", "CRITICAL": "NGHIÊM TRỌNG"}
RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")


class _WithoutTraceback(logging.Formatter):
    """A console line in Vietnamese, without its traceback: `07:00:01.250 | LỖI      | bước 'gửi thông báo' - …`
    (Prefect's layout: time, level, the run or the logger, the message). A failed task or flow run is one line on
    the console (its message names the exception); the full traceback still reaches the Prefect UI, whose records
    are not touched (the API handler formats the originals)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s.%(msecs)03d | %(levelname)-9s | %(who)s - %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        plain = logging.makeLogRecord(record.__dict__)  # a copy: the API handler keeps the original
        plain.exc_info, plain.exc_text, plain.stack_info = None, None, None
        plain.levelname = LEVELS.get(record.levelname, record.levelname)
        task, flow = getattr(record, "task_run_name", None), getattr(record, "flow_run_name", None)
        plain.who = f"bước {task!r}" if task else f"lượt chạy {flow!r}" if flow else record.name
        return super().format(plain)


class EngineLinesOff(logging.Filter):
    """Keeps off a console what Prefect's own code says, in English, about runs: `Beginning flow run …`, `Finished in
    state Failed(…)`, `Task run failed with exception: …`, and its notices below warnings (`Starting temporary server
    on …`). What thidua's code logs (through `get_run_logger` too) passes, and so do Prefect's other warnings and
    errors. A filter of the console handler only: the Prefect UI receives every record."""

    def __init__(self, prefect_folder: str) -> None:
        super().__init__()
        self.prefect_folder = os.path.join(os.path.realpath(prefect_folder), "")

    def filter(self, record: logging.LogRecord) -> bool:
        if not os.path.realpath(record.pathname).startswith(self.prefect_folder):
            return True  # logged by thidua (or another library): kept
        if record.name.startswith(RUN_LOGGERS):
            return False  # the engine's state lines of a run
        return record.levelno >= logging.WARNING


def console_without_tracebacks() -> None:
    """The console of a CLI command that runs flows (call after importing Prefect): Vietnamese lines without Python
    tracebacks, and none of the engine's English state lines (`EngineLinesOff`)."""
    import prefect

    for handler in logging.getLogger().handlers:
        if type(handler).__name__ != "PrefectConsoleHandler":
            continue
        if not isinstance(handler.formatter, _WithoutTraceback):
            handler.setFormatter(_WithoutTraceback())
        if not any(isinstance(f, EngineLinesOff) for f in handler.filters):
            handler.addFilter(EngineLinesOff(os.path.dirname(prefect.__file__)))


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
