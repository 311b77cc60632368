"""The daily dispatcher's question: what is due today, for every plan, from dates and recorded steps only."""

from dataclasses import dataclass
from datetime import date

from prefect import task
from prefect.cache_policies import NO_CACHE

from models.db import session_scope
from models.queries.cycle import load_dates
from models.queries.events import record_dispatch
from services.plans import active_plans
from thidua.cycle.decide import CycleFlow, agenda
from thidua.cycle.status import awaited_guidance


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
    """What the dispatcher runs on a day, and the guidance each active cycle still awaits (plan, year, line)."""

    runs: list[DueRun]
    awaited: list[tuple[str, int, str]]


@task(name="xác định việc đến hạn", cache_policy=NO_CACHE)
def what_is_due(day: date) -> DayAgenda:
    """Every step due on `day` that has not run yet, for every active plan and cycle; and what guidance is awaited."""
    runs, awaited = [], []
    with session_scope() as session:
        for plan in active_plans().values():
            for year in candidate_years(plan.cycle_years, day):
                cycle = load_dates(session, plan, year, day)
                runs += [DueRun(plan.code, year, d.flow, d.key, d.label()) for d in agenda(cycle).to_run()]
                awaited += [(plan.code, year, line) for line in awaited_guidance(cycle)]
    return DayAgenda(runs, awaited)


@task(name="ghi nhận điều phối xong", cache_policy=NO_CACHE)
def record_dispatch_done(day: date) -> None:
    """Record that the day's dispatch finished (the embedded scheduler resumes a day without it)."""
    with session_scope() as session:
        record_dispatch(session, day)
