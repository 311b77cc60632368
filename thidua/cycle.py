"""The state of one plan's cycle on one day, read from the database: milestones, units, dossiers, messages."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from sqlmodel import Session, col, or_, select

from models import CalendarOverride, Cycle, CycleEvent, Unit
from models.types import utcnow
from thidua.dates import end_of_day
from thidua.dossiers import DossierState, cycle_dossiers, dossier_state
from thidua.plan.schedule import ScheduledMilestone, milestones_for_year, plan_calendar
from thidua.plan.schema import Plan
from thidua.calendar import WorkingCalendar

ESCALATION_LEVELS = {"escalation_head": 1, "escalation_agency": 2, "escalation_chairman": 3}


@dataclass(frozen=True)
class UnitStatus:
    """One participating unit on the view's day: its dossier and how far it has been chased."""

    unit: Unit
    dossier: DossierState
    last_reminder: tuple[date, str] | None  # day and step of the latest reminder sent to it
    escalation_level: int  # 0 none, 1 unit head, 2 standing agency, 3 chairman


@dataclass(frozen=True)
class CycleView:
    """Everything a flow needs to decide what is due for (plan, year) on `as_of`."""

    plan: Plan
    year: int
    as_of: date
    instant: datetime  # the state is read as of this instant (end of `as_of`, or now if earlier)
    calendar: WorkingCalendar
    milestones: dict[str, ScheduledMilestone]
    units: list[UnitStatus]  # participating units that exist on `as_of`
    events: dict[tuple[str, str], CycleEvent]  # (kind, key) -> event already recorded

    @cached_property
    def chased(self) -> list[ScheduledMilestone]:
        return [m for m in self.milestones.values() if m.chase and m.date is not None]


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


def load_cycle(session: Session, plan: Plan, year: int, as_of: date) -> CycleView:
    """Read the cycle's state as of the end of `as_of` (or now, if that is earlier)."""
    instant = min(utcnow(), end_of_day(as_of))
    cal = working_calendar(session, plan)
    milestones = cycle_milestones(session, plan, year, cal)
    deadline = next((m.date for m in milestones.values() if m.chase and m.date), None)
    groups = set(plan.participants.collectives) | set(plan.participants.individuals)
    units = [
        u
        for u in session.exec(select(Unit).where(Unit.plan == plan.code).order_by(Unit.code)).all()
        if u.group in groups and u.exists_on(as_of)
    ]
    dossiers = cycle_dossiers(session, plan.code, year)
    events = {
        (e.kind, e.key): e
        for e in session.exec(select(CycleEvent).where(CycleEvent.plan == plan.code, CycleEvent.year == year))
    }
    last_reminder: dict[str, tuple[date, str]] = {}
    level: dict[str, int] = defaultdict(int)
    for event in events.values():
        for code in event.detail.get("units", []):
            if event.kind in ("reminder", "deadline_day"):
                last_reminder[code] = max(last_reminder.get(code, (event.day, event.key)), (event.day, event.key))
            elif event.kind in ESCALATION_LEVELS:
                level[code] = max(level[code], ESCALATION_LEVELS[event.kind])
    statuses = []
    for unit in units:
        dossier, documents, nominees = dossiers.of(unit.code)
        state = dossier_state(plan, dossier, documents, {n.kind for n in nominees}, deadline, instant)
        statuses.append(UnitStatus(unit, state, last_reminder.get(unit.code), level[unit.code]))
    return CycleView(plan, year, as_of, instant, cal, milestones, statuses, events)
