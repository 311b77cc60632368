"""`thidua serve --embedded`: APScheduler 3 in this process, for an office without a Prefect server.

Jobs live in our own database (SQLAlchemyJobStore). APScheduler 3 cannot share a job store between
schedulers, so a lock enforces one scheduler per store: a PostgreSQL advisory lock held by the
scheduler's connection, or an exclusive file lock beside the SQLite database.
"""

import fcntl
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine, text

from deployments.schedule import DailySchedule

JOB_ID = "thidua-daily"
MISFIRE_GRACE_S = 24 * 3600  # a tick missed while the machine was off still runs, up to a day late


class SchedulerAlreadyRunning(RuntimeError):
    """Another scheduler holds this job store."""


@contextmanager
def exclusive_store(engine: Engine) -> Iterator[None]:
    """Hold the job store for this process only; raise SchedulerAlreadyRunning if someone else does."""
    if engine.dialect.name == "postgresql":
        key = zlib.crc32(b"thidua-apscheduler")
        with engine.connect() as conn:
            if not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar():
                raise SchedulerAlreadyRunning("một bộ lập lịch khác đang dùng cơ sở dữ liệu này")
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
        return
    database = Path(engine.url.database or "thidua.db")
    with open(database.with_suffix(".scheduler.lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SchedulerAlreadyRunning("một bộ lập lịch khác đang dùng cơ sở dữ liệu này") from None
        yield


def run_tick() -> None:
    """The job: one run of the daily dispatcher for today (importable, as the job store pickles a reference)."""
    from flows.daily import daily

    daily()


def build_scheduler(engine: Engine, schedule: DailySchedule) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename="apscheduler_jobs")},
        job_defaults={"coalesce": True, "misfire_grace_time": MISFIRE_GRACE_S, "max_instances": 1},
        timezone=schedule.timezone,
    )
    scheduler.add_job(
        "deployments.embedded:run_tick",
        CronTrigger(hour=schedule.hour, minute=schedule.minute, timezone=schedule.timezone),
        id=JOB_ID,
        name="Điều phối hằng ngày",
        replace_existing=True,
    )
    return scheduler


def serve_embedded(engine: Engine, schedule: DailySchedule) -> None:
    """Run the scheduler until interrupted."""
    with exclusive_store(engine):
        build_scheduler(engine, schedule).start()
