"""The one schedule definition: the daily dispatcher at a local time in Asia/Ho_Chi_Minh."""

from dataclasses import dataclass

from config import Settings
from thidua.dates import TIMEZONE


@dataclass(frozen=True)
class DailySchedule:
    """When the dispatcher runs; both runners (Prefect serve, embedded APScheduler) read this."""

    hour: int
    minute: int
    timezone: str = TIMEZONE

    @property
    def cron(self) -> str:
        return f"{self.minute} {self.hour} * * *"

    @property
    def slug(self) -> str:
        """Stable, so a redeploy reconciles the schedule instead of duplicating runs."""
        return f"thidua-daily-{self.hour:02d}{self.minute:02d}"


def daily_schedule(settings: Settings) -> DailySchedule:
    hour, minute = (int(x) for x in settings.dispatch_time.split(":"))
    return DailySchedule(hour, minute)
