"""The Prefect task that sends due outbox messages: one task run per batch of messages, never one per message."""

import logging
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from prefect import task
from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.context import TaskRunContext
from prefect.logging import get_run_logger

from config import get_settings
from models.db import default_engine, make_engine
from notifications.channels import build_channels
from notifications.outbox import SendReport, send_due


class ChannelStopped(Exception):
    """A channel hit a configuration error; the administrator must act. Carries the report."""

    def __init__(self, report: SendReport) -> None:
        self.report = report
        super().__init__(f"Dừng gửi thông báo, cần quản trị viên xử lý: {report.stopped}")


def run_name(parameters: Mapping[str, Any]) -> str:
    """The task run's name: "gửi thông báo" (every channel) or "gửi thông báo: email, zalo"."""
    channels = parameters.get("channels")
    return f"gửi thông báo: {', '.join(channels)}" if channels else "gửi thông báo"


@task(name="gui-thong-bao", task_run_name=run_name, retries=0)
def send_notifications(channels: list[str] | None = None, batch_size: int = 500, database_url: str | None = None) -> SendReport:
    """Send every due outbox row of `channels` (default: all), showing progress while it sends.

    Outside a flow run (`send_notifications.fn(...)`) it logs to the `thidua.notifications` logger and
    publishes no artifact. Raises `ChannelStopped` after recording everything if a channel stopped.
    """
    in_run = TaskRunContext.get() is not None
    logger = get_run_logger() if in_run else logging.getLogger("thidua.notifications")
    engine = make_engine(database_url) if database_url else default_engine()
    progress = None
    if in_run:
        artifact = create_progress_artifact(0.0, description="Gửi thông báo trong hộp thư đi")
        progress = lambda done, total: update_progress_artifact(artifact, 100.0 * done / max(total, 1))  # noqa: E731
    report = send_due(engine, build_channels(get_settings(), engine, only=channels), batch_size=batch_size, progress=progress)
    logger.info("Kết quả gửi thông báo: %s", asdict(report))
    if report.stopped:
        logger.error("Dừng gửi thông báo, cần quản trị viên xử lý: %s", report.stopped)
        raise ChannelStopped(report)
    return report


def send_messages() -> tuple[dict[str, int], list[str]]:
    """Send what is due in the outbox: messages sent by channel, and alerts for the administrator.

    A channel stopped by a configuration error fails the send task (the administrator's alert in the
    UI) but not the flow: the other channels and plans carry on.
    """
    try:
        return dict(send_notifications().sent), []
    except ChannelStopped as stopped:
        return dict(stopped.report.sent), [f"DỪNG GỬI — cần quản trị viên xử lý: {stopped.report.stopped}"]
