"""One schedule definition, two runners: Prefect serve and the embedded APScheduler."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from apscheduler.util import ref_to_obj
from sqlalchemy import Engine
from typer.testing import CliRunner

from cli import app
from config import Settings
from deployments.embedded import JOB_ID, MISFIRE_GRACE_S, SchedulerAlreadyRunning, build_scheduler, exclusive_store
from deployments.schedule import DailySchedule, daily_schedule

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_schedule_comes_from_settings_with_a_stable_slug() -> None:
    schedule = daily_schedule(Settings(dispatch_time="06:30"))
    assert (schedule.cron, schedule.slug, schedule.timezone) == ("30 6 * * *", "thidua-daily-0630", "Asia/Ho_Chi_Minh")


def test_embedded_job_fires_daily_at_local_time_and_survives_a_day_of_downtime(sqlite_engine: Engine) -> None:
    scheduler = build_scheduler(sqlite_engine, DailySchedule(7, 0))
    (job,) = scheduler.get_jobs()
    assert job.id == JOB_ID and ref_to_obj(job.func_ref).__name__ == "run_tick"
    fire = job.trigger.get_next_fire_time(None, datetime(2025, 11, 30, 8, 0, tzinfo=VN))
    assert fire == datetime(2025, 12, 1, 7, 0, tzinfo=VN)
    assert scheduler._job_defaults == {"misfire_grace_time": MISFIRE_GRACE_S, "coalesce": True, "max_instances": 1}
    assert MISFIRE_GRACE_S == 86400


def test_only_one_embedded_scheduler_per_job_store(engine: Engine) -> None:
    with exclusive_store(engine):
        with pytest.raises(SchedulerAlreadyRunning), exclusive_store(engine):
            pass
    with exclusive_store(engine):  # released when the first scheduler stops
        pass


def test_serve_without_a_prefect_server_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "prefect server start" in result.stderr and "--embedded" in result.stderr
