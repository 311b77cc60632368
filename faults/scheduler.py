"""The embedded scheduler (`thidua serve --embedded`) killed with SIGKILL in the middle of the day's dispatch and
started again at once: it finishes the day, losing nothing and repeating at most what was in flight."""

import signal
from datetime import timedelta

from faults.harness import (
    Outcome,
    Workspace,
    delivery_counts,
    in_flight,
    mail_keys,
    outbox_rows,
    plan_text,
    stop,
    unit_rows,
)
from models.db import session_scope
from models.queries.events import dispatch_done
from models.types import utcnow
from notifications.devservers import wait_until
from notifications.devservers.smtp_sink import SmtpSink
from thidua.dates import local_day

PLAN = "faults-today"
UNITS = 150


def _plan_for_today() -> str:
    """A plan whose cycle is this year, with deadlines in ten days and today a working day: today's dispatch has
    the launch (caught up) and a reminder for every unit (not on the last ten days of December: the deadlines would
    fall in the next year)."""
    today = local_day(utcnow())
    deadline = today + timedelta(days=10)
    text = plan_text(PLAN, **{
        "start: 19/07/2024": f"start: 01/01/{today.year}",
        "end: 30/11/2025": f"end: 31/12/{today.year}",
        'day: "30/11"': f'day: "{deadline:%d/%m}"',
    })  # fmt: skip
    return text + f"\ncalendar:\n  extra_working_days: [{today:%d/%m/%Y}]\n"


def killed_mid_run(space: Workspace, outcome: Outcome) -> None:
    (space.plans / f"{PLAN}.yaml").write_text(_plan_for_today(), encoding="utf-8")
    directory = space.folder / "units.csv"
    directory.write_text(unit_rows(UNITS), encoding="utf-8")
    outcome.count(space.thidua("units", "import", str(directory), "--plan", PLAN))
    sink = SmtpSink().start()
    sink.control({"delay_s": 0.02})
    space.env.update(THIDUA_SMTP_PORT=str(sink.port), THIDUA_DISPATCH_TIME="00:00")  # past: the day's run starts at once
    today = local_day(utcnow())
    try:
        first = space.start(("serve", "--embedded"), PREFECT_HOME=str(space.folder / "prefect-1"))
        outcome.check(wait_until(lambda: len(sink.messages) >= 100, 240, 0.05), "the first scheduler never sent 100 messages")
        stop(first, signal.SIGKILL)  # the scheduler, its flow run and Prefect's temporary server: the whole group
        at_kill, outcome.duplicated_bound = len(sink.messages), in_flight(space.engine)
        second = space.start(("serve", "--embedded"), PREFECT_HOME=str(space.folder / "prefect-2"))

        def finished() -> bool:
            with session_scope(space.engine) as session:
                done = dispatch_done(session, today)
            return done and all(row.status in ("sent", "expired") for row in outbox_rows(space.engine))

        outcome.check(wait_until(finished, 240, 0.5), "the restarted scheduler did not finish the day")
        stop(second, signal.SIGTERM)
        outcome.count(space.finish(first))
        outcome.count(space.finish(second))
        outcome.lost, outcome.duplicated = delivery_counts(space.engine, mail_keys(sink.message_ids()))
        total = len(outbox_rows(space.engine))
        outcome.check(outcome.lost == 0, f"{outcome.lost} lost")
        outcome.check(outcome.duplicated <= outcome.duplicated_bound, f"{outcome.duplicated} repeats > {outcome.duplicated_bound} in flight")
        outcome.note(f"kill -9 sau {at_kill}/{total} tin của ngày; khởi động lại: điều phối tiếp và ghi nhận ngày đã xong")
    finally:
        sink.stop()
