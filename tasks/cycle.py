"""Prefect tasks of the cycle flows: decide and write what is due, publish what an administrator sees.

Each task handles a whole batch (never one task per unit or per message), so the number of task runs
per flow stays constant whatever the number of units. Tasks take and return small values (codes,
dates, lines of text): the cycle's state is read inside them, so it never travels through Prefect.
"""

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from models.db import session_scope
from models.types import utcnow
from notifications.outbox import enqueue
from notifications.templates import Renderer
from thidua.cycle import CycleView, load_cycle
from thidua.dates import local_day
from thidua.events import record_event
from thidua.plan.load import scan_plans
from thidua.plan.schema import Plan
from thidua.planner import DayPlan, chase_plan, launch_plan
from config import get_settings
from thidua.status import status_rows, summary_markdown

DECIDE: dict[str, Callable[[CycleView], DayPlan]] = {"launch": launch_plan, "chase": chase_plan}
TABLE_ROWS = 1000  # a larger status table is cut to the units that need attention (the CLI has them all)
ENQUEUE_CHUNK = 1000  # drafts rendered and inserted at a time, so memory does not grow with the unit count


def plans() -> dict[str, Plan]:
    """The active plans: every valid plan file of the plans directory (see `plan_file_errors`)."""
    return scan_plans(get_settings().plans_dir)[0]


def plan_file_errors() -> list[str]:
    """Errors of the plan files that are skipped, for the administrator's summary."""
    return [str(error) for error in scan_plans(get_settings().plans_dir)[1]]


@lru_cache
def renderer() -> Renderer:
    return Renderer(get_settings().templates_dir)


def today() -> date:
    """Today in Asia/Ho_Chi_Minh."""
    return local_day(utcnow())


def outputs_dir(plan: str, year: int | None = None) -> Path:
    """Where a cycle's documents (proposal list, tờ trình, reports) are written."""
    base = get_settings().data_dir / "outputs" / plan
    return base / str(year) if year else base


def artifact_key(*parts: object) -> str:
    """A stable Prefect artifact key from `parts`: lowercase letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9]+", "-", "-".join(map(str, parts)).lower()).strip("-")


@task(name="ghi việc đến hạn vào hộp thư đi", cache_policy=NO_CACHE)
def write_due(plan_code: str, year: int, day: date, step: str) -> dict[str, Any]:
    """Decide what `step` (launch or chase) must send today; write drafts and step events in one transaction."""
    with session_scope() as session:
        view = load_cycle(session, plans()[plan_code], year, day)
        day_plan = DECIDE[step](view)
        drafts, written = iter(day_plan.drafts), 0
        while chunk := list(islice(drafts, ENQUEUE_CHUNK)):
            written += enqueue(session, chunk, renderer())
        for batch in day_plan.batches:
            record_event(
                session, plan_code, year, batch.step.kind, batch.step.code, day,
                [s.unit.code for s in batch.units], milestone=batch.milestone.kind, channels=dict(batch.channels),
            )
        for milestone, step in day_plan.skipped:
            record_event(session, plan_code, year, step.kind, step.code, day, milestone=milestone.kind, skipped=True)
    return {
        "lines": [b.describe() for b in day_plan.batches] + day_plan.notes,
        "steps": [
            {"step": b.step.code, "kind": b.step.kind, "units": len(b.units), "channels": dict(b.channels)}
            for b in day_plan.batches
        ],
        "written": written,
    }


@task(name="ghi nhận mốc đã chạy", cache_policy=NO_CACHE)
def mark_done(plan_code: str, year: int, day: date, kind: str) -> None:
    with session_scope() as session:
        record_event(session, plan_code, year, kind, str(year), day)


@task(name="công bố trạng thái", cache_policy=NO_CACHE)
def publish_status(plan_code: str, year: int, day: date, lines: list[str]) -> None:
    """Per-unit table and Vietnamese summary under stable keys per plan and year."""
    with session_scope() as session:
        view = load_cycle(session, plans()[plan_code], year, day)
    rows, description = status_rows(view), f"Trạng thái hồ sơ từng đơn vị — {plan_code} · {year}"
    if len(rows) > TABLE_ROWS:
        behind = [row for row in rows if row["Hồ sơ"] != "đã đủ"]
        description += (
            f" — {min(len(behind), TABLE_ROWS)} trên {len(rows)} đơn vị chưa đủ hồ sơ; "
            f"danh sách đầy đủ: thidua status --plan {plan_code} --year {year} --json"
        )
        rows = behind[:TABLE_ROWS]
    create_table_artifact(rows, key=artifact_key("trang-thai", plan_code, year), description=description)
    create_markdown_artifact(
        summary_markdown(view, lines),
        key=artifact_key("tom-tat", plan_code, year),
        description=f"Tóm tắt — {plan_code} · {year}",
    )


def send_now() -> tuple[dict[str, int], list[str]]:
    """Send what is due in the outbox. A channel stopped by a configuration error fails the send task
    (the administrator's alert in the UI) but not the flow: the other channels and plans carry on."""
    from tasks.send import ChannelStopped, send_notifications

    try:
        return dict(send_notifications().sent), []
    except ChannelStopped as stopped:
        return dict(stopped.report.sent), [f"DỪNG GỬI — cần quản trị viên xử lý: {stopped.report.stopped}"]


def run_day(plan_code: str, year: int, as_of: date | None, step: str) -> dict[str, Any]:
    """The narrative of a sending flow: decide what is due → write the outbox → send → publish."""
    day = as_of or today()
    result = write_due(plan_code, year, day, step)
    sent, alerts = send_now() if result["written"] else ({}, [])
    lines = result.pop("lines") + alerts
    publish_status(plan_code, year, day, lines)
    return {"plan": plan_code, "year": year, "day": day.isoformat(), "lines": lines, **result, "sent": sent}
