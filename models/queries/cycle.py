"""A cycle in the database: the dates an administrator set, calendar overrides, recorded steps, and its state."""

from datetime import date, datetime

from sqlmodel import Session, col, or_, select

from models import CalendarOverride, Cycle, CycleEvent
from models.queries.submissions import cycle_receipts
from models.queries.units import directory
from models.types import utcnow
from thidua.calendar import WorkingCalendar
from thidua.cycle.state import CycleDates, CycleState, Event, cycle_state
from thidua.dates import end_of_day
from thidua.directory import Unit
from thidua.plan.milestones import ScheduledMilestone, check_admin_date, milestones_for_year, plan_calendar
from thidua.plan.schema import Plan


def admin_dates(session: Session, plan: str, year: int) -> dict[str, date]:
    cycle = session.exec(select(Cycle).where(Cycle.plan == plan, Cycle.year == year)).first()
    return {kind: date.fromisoformat(day) for kind, day in (cycle.admin_dates if cycle else {}).items()}


def working_calendar(session: Session, plan: Plan) -> WorkingCalendar:
    """The plan's calendar with the administrator's overrides (for this plan or for all plans)."""
    rows = session.exec(
        select(CalendarOverride).where(or_(col(CalendarOverride.plan).is_(None), CalendarOverride.plan == plan.code))
    ).all()
    extra = WorkingCalendar([r.day for r in rows if not r.working], [r.day for r in rows if r.working])
    return plan_calendar(plan, extra)


def cycle_milestones(
    session: Session, plan: Plan, year: int, cal: WorkingCalendar | None = None
) -> dict[str, ScheduledMilestone]:
    """The milestones of (plan, year) with the dates an administrator has set."""
    cal = cal or working_calendar(session, plan)
    return {m.kind: m for m in milestones_for_year(plan, year, cal, admin_dates(session, plan.code, year))}


def cycle_events(session: Session, plan: str, year: int) -> dict[tuple[str, str], Event]:
    """The steps recorded for (plan, year), by (kind, key)."""
    rows = session.exec(select(CycleEvent).where(CycleEvent.plan == plan, CycleEvent.year == year))
    return {
        (e.kind, e.key): Event(e.kind, e.key, e.day, frozenset(e.detail.get("units", [])), bool(e.detail.get("skipped")))
        for e in rows
    }


def load_dates(session: Session, plan: Plan, year: int, as_of: date) -> CycleDates:
    """The cycle's dates and recorded steps on `as_of`: a few rows, whatever the number of units."""
    cal = working_calendar(session, plan)
    return CycleDates(plan, year, as_of, cal, cycle_milestones(session, plan, year, cal), cycle_events(session, plan.code, year))


def load_state(session: Session, plan: Plan, year: int, as_of: date) -> CycleState:
    """The cycle's full state as of the end of `as_of` (or now, if that is earlier)."""
    dates = load_dates(session, plan, year, as_of)
    instant = min(utcnow(), end_of_day(as_of))
    return cycle_state(dates, directory(session, plan.code).values(), cycle_receipts(session, plan, year), instant)


def unit_state(session: Session, dates: CycleDates, unit: Unit, instant: datetime) -> CycleState:
    """The cycle's state as of `instant` with `unit` as its only owner (one unit's page: a few rows)."""
    return cycle_state(dates, [unit], cycle_receipts(session, dates.plan, dates.year, unit.code), instant)


def set_admin_date(session: Session, plan: Plan, year: int, kind: str, day: date) -> Cycle:
    """Set the date of an admin-set milestone (e.g. the PAR announcement) or pick a day in a window."""
    check_admin_date(plan, year, kind, day)
    cycle = session.exec(select(Cycle).where(Cycle.plan == plan.code, Cycle.year == year)).first()
    cycle = cycle or Cycle(plan=plan.code, year=year)
    cycle.admin_dates = {**cycle.admin_dates, kind: day.isoformat()}
    cycle.updated_at = utcnow()
    session.add(cycle)
    return cycle
