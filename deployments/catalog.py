"""Every deployment thidua registers: the daily dispatcher on its schedule, the cycle step, the administrator's
actions. `thidua serve` serves them from one process; `thidua deploy` puts them on a work pool."""

from dataclasses import dataclass
from typing import Any

from prefect import Flow
from prefect.schedules import Cron, Schedule

from deployments.schedule import DailySchedule
from flows.admin import council_decide, record_dossier, register_unit, rerun_step, set_announcement
from flows.daily import daily
from flows.registry import DAILY_DEPLOYMENT, STEP_DEPLOYMENT, TAG
from flows.step import cycle_step

ADMIN_TAGS = [TAG, "quản trị"]


@dataclass(frozen=True)
class Entry:
    """One deployment: its flow, name, tags, description and, for the dispatcher, its schedule."""

    flow: Flow[..., Any]
    name: str
    tags: tuple[str, ...]
    description: str | None = None
    schedule: Schedule | None = None


def catalog(schedule: DailySchedule) -> list[Entry]:
    """The deployments, the dispatcher first."""
    return [
        Entry(
            daily, DAILY_DEPLOYMENT, (TAG,), "Điều phối hằng ngày: chạy mọi việc đến hạn của các kế hoạch đang hoạt động.",
            Cron(schedule.cron, timezone=schedule.timezone, slug=schedule.slug),
        ),
        Entry(cycle_step, STEP_DEPLOYMENT, (TAG,), "Một bước đến hạn của chu kỳ, do điều phối hằng ngày khởi chạy trên work pool."),
        Entry(record_dossier, "ghi-nhan-ho-so", tuple(ADMIN_TAGS)),
        Entry(register_unit, "dang-ky-thi-dua", tuple(ADMIN_TAGS)),
        Entry(set_announcement, "ngay-cong-bo-chi-so", tuple(ADMIN_TAGS)),
        Entry(rerun_step, "chay-lai-buoc", tuple(ADMIN_TAGS)),
        Entry(council_decide, "hoi-dong-quyet-dinh", tuple(ADMIN_TAGS)),
    ]
