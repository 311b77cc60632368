"""The console of a thidua command that runs flows (`thidua tick`, `thidua demo`, the embedded scheduler): thidua's own
records in Vietnamese lines, without tracebacks, and none of Prefect's English lines about runs; the Prefect UI gets
every record as it was."""

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import prefect.flow_engine
import prefect.server.api.server
import prefect.task_engine
import pytest
from prefect import flow, get_run_logger, task
from prefect.logging.handlers import PrefectConsoleHandler

from deployments.prefect_env import EngineLinesOff, console_without_tracebacks

PREFECT = str(Path(prefect.__file__).parent)
THIDUA_TASK = str(Path(__file__).parents[1] / "tasks" / "send.py")


def record(name: str, pathname: str, level: int, msg: str, **extra: object) -> logging.LogRecord:
    return logging.getLogger(name).makeRecord(name, level, pathname, 1, msg, (), None, extra=extra)


@pytest.mark.parametrize(
    ("name", "pathname", "level", "msg"),
    [
        ("prefect.task_runs", prefect.task_engine.__file__, logging.INFO, "Finished in state Completed()"),
        ("prefect.task_runs", prefect.task_engine.__file__, logging.ERROR, "Task run failed with exception: ChannelStopped('…')"),
        ("prefect.task_runs", prefect.task_engine.__file__, logging.ERROR, "Finished in state Failed('Task run encountered an exception')"),
        ("prefect.flow_runs", prefect.flow_engine.__file__, logging.INFO, "Beginning subflow run 'x' for flow 'Thông báo và nhắc hạn'"),
        ("prefect.flow_runs", prefect.flow_engine.__file__, logging.ERROR, "Encountered exception during execution: DispatchProblems('…')"),
        ("prefect", prefect.server.api.server.__file__, logging.INFO, "Starting temporary server on http://127.0.0.1:8312"),
    ],
)
def test_prefects_own_lines_about_runs_stay_off_the_console(name: str, pathname: str, level: int, msg: str) -> None:
    assert not EngineLinesOff(PREFECT).filter(record(name, pathname, level, msg))


def test_what_thidua_logs_and_prefects_warnings_stay_on_the_console() -> None:
    keep = EngineLinesOff(PREFECT)
    assert keep.filter(record("prefect.task_runs", THIDUA_TASK, logging.ERROR, "Gửi thông báo gặp sự cố", task_run_name="gửi thông báo"))
    assert keep.filter(record("prefect.task_runs", THIDUA_TASK, logging.INFO, "Đã gửi 3 tin", task_run_name="gửi thông báo"))
    assert keep.filter(record("thidua.notifications", THIDUA_TASK, logging.ERROR, "Kênh email dừng gửi"))
    assert keep.filter(record("prefect.events.clients", prefect.server.api.server.__file__, logging.WARNING, "API unreachable"))


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """A Prefect console handler on the root logger, as Prefect's logging.yml installs one (writing to a buffer)."""
    out = io.StringIO()
    handler = PrefectConsoleHandler(stream=out)
    root = logging.getLogger()
    before = [(h, h.formatter, list(h.filters)) for h in root.handlers]  # console_without_tracebacks changes them all
    root.addHandler(handler)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        for h, formatter, filters in before:
            h.setFormatter(formatter)
            h.filters[:] = filters


class Stopped(Exception):
    pass


@task(name="gửi thông báo")
def _send() -> None:
    get_run_logger().error("Gửi thông báo gặp sự cố, cần quản trị viên xử lý")
    raise Stopped("kênh email dừng gửi")


@flow(name="Điều phối thử")
def _dispatch() -> str:
    get_run_logger().info("Đã ghi 3 tin vào hộp thư đi")
    try:
        _send()
    except Stopped:
        return "đã xử lý"
    return "không có sự cố"


@pytest.mark.slow
def test_a_run_leaves_only_thiduas_vietnamese_lines_on_the_console(prefect_harness: None, console: io.StringIO) -> None:
    console_without_tracebacks()
    console_without_tracebacks()  # twice (tick then the embedded scheduler): one filter, one formatter
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "stream", None) is console)
    assert sum(isinstance(f, EngineLinesOff) for f in handler.filters) == 1
    assert _dispatch() == "đã xử lý"
    lines = console.getvalue().splitlines()
    assert len(lines) == 2, lines  # no "Beginning flow run", "Finished in state …", "Task run failed with exception"
    assert re.fullmatch(r"\d\d:\d\d:\d\d\.\d{3} \| THÔNG TIN \| lượt chạy '[\w-]+' - Đã ghi 3 tin vào hộp thư đi", lines[0])
    assert re.fullmatch(r".* \| LỖI       \| bước 'gửi thông báo-\w+' - Gửi thông báo gặp sự cố, cần quản trị viên xử lý", lines[1])
