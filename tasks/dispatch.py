"""The daily dispatcher's question: what is due today, for every plan, from dates and recorded steps only."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from prefect.cache_policies import NO_CACHE
from sqlmodel import Session

from models.db import session_scope
from models.queries.cycle import load_dates
from models.queries.events import record_dispatch
from services.plans import active_plans
from tasks.logs import run_logger
from tasks.naming import named_task
from thidua.cycle.decide import CycleFlow, agenda
from thidua.cycle.status import awaited_guidance
from thidua.errors import fault_line
from thidua.plan.schema import Plan

PLAN_PROBLEM = "plan-"  # the key prefix of a problem of one plan file or one plan's computation, beside the sending ones


@dataclass(frozen=True)
class DueRun:
    """One flow run the dispatcher starts: a step of a plan's cycle."""

    plan: str
    year: int
    flow: CycleFlow
    step: str
    label: str


def candidate_years(cycle_years: range, day: date) -> list[int]:
    """Cycles that can have something due on `day`: this year's and last year's (reviews fall in quarter I)."""
    return [y for y in (day.year - 1, day.year) if y in cycle_years]


@dataclass(frozen=True)
class DayAgenda:
    """What the dispatcher runs on a day, the guidance each active cycle still awaits (plan, year, line), and
    the plans whose day could not be worked out (problem key → line for the administrator)."""

    runs: list[DueRun]
    awaited: list[tuple[str, int, str]]
    broken: dict[str, str]


def _plan_agenda(session: Session, plan: Plan, day: date) -> tuple[list[DueRun], list[tuple[str, int, str]]]:
    runs, awaited = [], []
    for year in candidate_years(plan.cycle_years, day):
        cycle = load_dates(session, plan, year, day)
        runs += [DueRun(plan.code, year, d.flow, d.key, d.label()) for d in agenda(cycle).to_run()]
        awaited += [(plan.code, year, line) for line in awaited_guidance(cycle)]
    return runs, awaited


@named_task("xác định việc đến hạn", cache_policy=NO_CACHE)
def what_is_due(day: date) -> DayAgenda:
    """Every step due on `day` that has not run yet, for every active plan and cycle; and what guidance is awaited.

    Each plan is worked out on its own: one whose dates or data make the computation fail is reported
    (`DayAgenda.broken`) and the others are dispatched as usual.
    """
    agenda_of_day = DayAgenda([], [], {})
    for plan in active_plans().values():
        try:
            with session_scope() as session:
                runs, awaited = _plan_agenda(session, plan, day)
        except Exception as exc:  # noqa: BLE001  (one plan's fault must not stop the others)
            logger = run_logger("thidua.dispatch")
            logger.error("Kế hoạch %s: không xác định được việc đến hạn: %s", plan.code, fault_line(exc))
            logger.debug("Chi tiết lỗi của kế hoạch %s", plan.code, exc_info=True)
            agenda_of_day.broken[f"{PLAN_PROBLEM}{plan.code}"] = (
                f"Kế hoạch {plan.code}: không xác định được việc đến hạn ngày {day.isoformat()} ({fault_line(exc)}); "
                "kế hoạch này không được điều phối hôm nay, các kế hoạch khác vẫn chạy"
            )
            continue
        agenda_of_day.runs.extend(runs)
        agenda_of_day.awaited.extend(awaited)
    return agenda_of_day


@named_task("ghi nhận điều phối xong", cache_policy=NO_CACHE)
def record_dispatch_done(day: date) -> None:
    """Record that the day's dispatch finished (the embedded scheduler resumes a day without it)."""
    with session_scope() as session:
        record_dispatch(session, day)


def step_problem(due: DueRun, line: str) -> dict[str, Any]:
    """The daily summary's result for a step that could not finish: its line, reported as a problem of its plan."""
    return {"flow": due.flow.value, "plan": due.plan, "year": due.year, "step": due.step, "lines": [line], "issues": {f"{PLAN_PROBLEM}{due.plan}": line}}
