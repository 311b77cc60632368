"""`thidua serve --embedded`: APScheduler 3 in this process, for an office without a Prefect server.

Jobs live in our own database (SQLAlchemyJobStore). APScheduler 3 cannot share a job store between
schedulers, so a lock enforces one scheduler per store: a PostgreSQL advisory lock held by the
scheduler's connection, or an exclusive file lock beside the SQLite database.

Started after a crash, it finishes the day's unfinished work: the daily flow records in our database
that a day's dispatch finished; if today's dispatch time has passed without that record, the
dispatch runs at once (and a crashed sender's messages, its liveness lock gone, go out in it).
"""

import fcntl
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine, text

from deployments.schedule import DailySchedule
from models.db import session_scope
from models.queries.events import dispatch_done
from models.types import utcnow

JOB_ID = "thidua-daily"
RESUME_JOB_ID = "thidua-resume"
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
    from deployments.prefect_env import console_without_tracebacks
    from flows.daily import daily

    console_without_tracebacks()
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


def resume_unfinished(scheduler: BlockingScheduler, engine: Engine, schedule: DailySchedule, now: datetime | None = None) -> bool:
    """Add a run of the dispatcher now if today's dispatch time has passed and today's dispatch did not finish."""
    local = (now or utcnow()).astimezone(ZoneInfo(schedule.timezone))
    if (local.hour, local.minute) < (schedule.hour, schedule.minute):
        return False
    with session_scope(engine) as session:
        if dispatch_done(session, local.date()):
            return False
    scheduler.add_job(
        "deployments.embedded:run_tick", "date", run_date=local, id=RESUME_JOB_ID, name="Điều phối tiếp việc còn dở trong ngày",
        replace_existing=True, misfire_grace_time=MISFIRE_GRACE_S,
    )
    return True


def serve_embedded(engine: Engine, schedule: DailySchedule) -> None:
    """Run the scheduler until interrupted, first finishing today's dispatch if a crash cut it short."""
    with exclusive_store(engine):
        scheduler = build_scheduler(engine, schedule)
        resume_unfinished(scheduler, engine, schedule)
        scheduler.start()
