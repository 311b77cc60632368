"""The embedded scheduler resumes (issue 11, Deliver 8): started after a crash, it finishes the day's unfinished work."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from deployments.embedded import RESUME_JOB_ID, build_scheduler, resume_unfinished
from deployments.schedule import DailySchedule
from models.db import session_scope
from models.queries.events import dispatch_done, record_dispatch

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SCHEDULE = DailySchedule(7, 0)


def test_a_restart_after_the_dispatch_time_runs_the_unfinished_day_at_once(engine: Engine) -> None:
    scheduler = build_scheduler(engine, SCHEDULE)
    assert not resume_unfinished(scheduler, engine, SCHEDULE, datetime(2025, 11, 28, 6, 59, tzinfo=VN))  # not yet due
    restart = datetime(2025, 11, 28, 7, 5, tzinfo=VN)  # killed mid-dispatch at 07:02, restarted at once
    assert resume_unfinished(scheduler, engine, SCHEDULE, restart)
    job = scheduler.get_job(RESUME_JOB_ID)
    assert job is not None and job.func_ref == "deployments.embedded:run_tick" and job.trigger.run_date == restart


def test_a_finished_day_is_not_run_again(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert not dispatch_done(session, date(2025, 11, 28))
        record_dispatch(session, date(2025, 11, 28))
        record_dispatch(session, date(2025, 11, 28))  # a re-run of the day records nothing new
    with session_scope(engine) as session:
        assert dispatch_done(session, date(2025, 11, 28)) and not dispatch_done(session, date(2025, 11, 29))
    scheduler = build_scheduler(engine, SCHEDULE)
    assert not resume_unfinished(scheduler, engine, SCHEDULE, datetime(2025, 11, 28, 9, 0, tzinfo=VN))
    assert scheduler.get_job(RESUME_JOB_ID) is None
