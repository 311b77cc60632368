"""The Prefect task that sends due outbox messages: one task run per batch of messages, never one per message."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from prefect import task
from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext

from config import get_settings
from models.db import default_engine, make_engine, session_scope
from notifications.channels import build_channels
from notifications.outbox import SendReport, send_due
from services.alerts import enqueue_alerts
from services.freshness import still_true
from services.runtime import instant_on
from tasks.logs import run_logger
from tasks.naming import named_task
from thidua.channels import REGISTRY


class ChannelStopped(Exception):
    """Sending met a problem the administrator must know of (a channel stopped, messages refused or failing)."""

    def __init__(self, report: SendReport) -> None:
        self.report = report
        super().__init__("Gửi thông báo gặp sự cố, cần quản trị viên xử lý: " + "; ".join(report.problems()))


def run_name(parameters: Mapping[str, Any]) -> str:
    """The task run's name: "gửi thông báo" (every channel) or "gửi thông báo: email, zalo"."""
    channels = parameters.get("channels")
    return f"gửi thông báo: {', '.join(channels)}" if channels else "gửi thông báo"


@task(name="gửi thông báo", task_run_name=run_name, retries=0)
def send_notifications(
    channels: list[str] | None = None, batch_size: int = 500, database_url: str | None = None, now: datetime | None = None
) -> SendReport:
    """Send every due outbox row of `channels` (default: all) as of `now` (default: this instant), each checked
    against the database just before it goes out, showing progress while it sends.

    Outside a flow run (`send_notifications.fn(...)`) it logs to the `thidua.notifications` logger and
    publishes no artifact. Raises `ChannelStopped` after recording everything if anything went wrong.
    """
    in_run = TaskRunContext.get() is not None
    logger = run_logger("thidua.notifications")
    engine = make_engine(database_url) if database_url else default_engine()
    progress = None
    if in_run:
        artifact = create_progress_artifact(0.0, description="Gửi thông báo trong hộp thư đi")
        progress = lambda done, total: update_progress_artifact(artifact, 100.0 * done / max(total, 1))  # noqa: E731
    channel_map = build_channels(get_settings(), engine, only=channels)
    timeout = timedelta(seconds=get_settings().claim_timeout_s)
    report = send_due(engine, channel_map, batch_size=batch_size, progress=progress, now=now, still_true=still_true(engine), claim_timeout=timeout)
    logger.info("Kết quả gửi thông báo: %s", report.summary())
    if report.problems():
        logger.error("Gửi thông báo gặp sự cố, cần quản trị viên xử lý:\n%s", "\n".join(report.problems()))
        raise ChannelStopped(report)
    return report


@dataclass
class Sending:
    """What sending did for a flow: messages sent by channel, the problems by key, and the channels stopped."""

    sent: dict[str, int] = field(default_factory=dict)
    issues: dict[str, str] = field(default_factory=dict)
    down: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return list(self.issues.values())


def send_messages(day: date | None = None, channels: list[str] | None = None) -> Sending:
    """Send what is due in the outbox as of `day` (default: now) on `channels` (default: all).

    A problem fails the send task (the alert in the UI) but not the calling flow: the other channels
    and plans carry on, and the daily dispatcher ends Failed once all its work is done.
    """
    try:
        report = send_notifications(channels=channels, now=instant_on(day) if day else None)
    except ChannelStopped as stopped:
        report = stopped.report
    return Sending(dict(report.sent), report.issues(), list(report.down))


@named_task("báo quản trị viên", cache_policy=NO_CACHE)
def alert_administrator(day: date, issues: dict[str, str], down: list[str]) -> int:
    """Write the day's alerts to each plan's standing agency (once a day per problem) and send them through the
    channels that still work; returns how many alerts were new."""
    with session_scope() as session:
        written = enqueue_alerts(session, day, issues, down)
    working = [name for name in REGISTRY if name not in down]
    if written and working:
        send_messages(day, working)
    return written
