"""Prefect tasks of the cycle flows: read the state, write the outbox, publish what an administrator sees.

Each task handles a whole batch (never one task per unit or per message), so the number of task runs
per flow stays constant whatever the number of units.
"""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from functools import lru_cache
from typing import Any

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from models.db import session_scope
from notifications.outbox import enqueue
from notifications.templates import Renderer
from thidua.cycle import CycleView, load_cycle
from thidua.events import record_event
from thidua.plan.load import load_plans
from thidua.plan.schema import Plan
from thidua.planner import DayPlan
from thidua.settings import get_settings
from thidua.status import status_rows, summary_markdown


def plans() -> dict[str, Plan]:
    """The active plans: every plan file of the plans directory."""
    return load_plans(get_settings().plans_dir)


@lru_cache
def renderer() -> Renderer:
    return Renderer(get_settings().templates_dir)


def artifact_key(prefix: str, plan: str, year: int) -> str:
    """A stable artifact key (lowercase letters, digits and dashes only)."""
    return f"{prefix}-{plan}-{year}".lower().replace("_", "-")


@task(name="đọc trạng thái chu kỳ", cache_policy=NO_CACHE)
def read_cycle(plan: Plan, year: int, as_of: date) -> CycleView:
    with session_scope() as session:
        return load_cycle(session, plan, year, as_of)


@task(name="ghi hộp thư đi", cache_policy=NO_CACHE)
def write_outbox(view: CycleView, day_plan: DayPlan) -> int:
    """Write the day's drafts and mark each step done for its units, in one transaction."""
    with session_scope() as session:
        written = enqueue(session, day_plan.drafts, renderer())
        for batch in day_plan.batches:
            record_event(
                session,
                view.plan.code,
                view.year,
                batch.step.kind,
                batch.step.code,
                view.as_of,
                [s.unit.code for s in batch.units],
                milestone=batch.milestone.kind,
                channels=dict(batch.channels),
            )
    return written


@task(name="ghi nhận mốc đã chạy", cache_policy=NO_CACHE)
def mark_done(view: CycleView, kind: str, **detail: Any) -> None:
    with session_scope() as session:
        record_event(session, view.plan.code, view.year, kind, str(view.year), view.as_of, **detail)


@task(name="công bố trạng thái", cache_policy=NO_CACHE)
def publish_status(view: CycleView, lines: list[str]) -> None:
    """Per-unit table and Vietnamese summary under stable keys per plan and year."""
    create_table_artifact(
        status_rows(view),
        key=artifact_key("trang-thai", view.plan.code, view.year),
        description=f"Trạng thái hồ sơ từng đơn vị — {view.plan.code} · {view.year}",
    )
    create_markdown_artifact(
        summary_markdown(view, lines),
        key=artifact_key("tom-tat", view.plan.code, view.year),
        description=f"Tóm tắt — {view.plan.code} · {view.year}",
    )


def today() -> date:
    """Today in Asia/Ho_Chi_Minh."""
    from models.types import utcnow
    from thidua.dossiers import local_day

    return local_day(utcnow())


def run_day(plan_code: str, year: int, as_of: date | None, decide: Callable[[CycleView], DayPlan]) -> dict[str, Any]:
    """The narrative of a sending flow: read the state → decide what is due → write the outbox → send → publish."""
    from tasks.send import send_notifications

    plan, day = plans()[plan_code], as_of or today()
    view = read_cycle(plan, year, day)
    day_plan = decide(view)
    written = write_outbox(view, day_plan) if day_plan.batches else 0
    report = send_notifications() if written else None
    lines = [b.describe() for b in day_plan.batches] + day_plan.notes
    publish_status(read_cycle(plan, year, day) if written else view, lines)
    return {
        "plan": plan_code,
        "year": year,
        "day": day.isoformat(),
        "lines": lines,
        "steps": [
            {"step": b.step.code, "kind": b.step.kind, "units": [s.unit.code for s in b.units], "channels": dict(b.channels)}
            for b in day_plan.batches
        ],
        "written": written,
        "sent": dict(report.sent) if report else {},
    }


def outputs_dir(plan: str, year: int | None = None) -> Path:
    """Where a cycle's documents (proposal list, tờ trình, reports) are written."""
    base = get_settings().data_dir / "outputs" / plan
    return base / str(year) if year else base
