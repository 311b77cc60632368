"""The state of one plan's cycle on one day, as plain values: its dates, its units and their dossiers, what was done.

`CycleDates` is what the daily dispatcher needs (dates and recorded steps, no units); `CycleState` adds
every participating unit with its dossier, for the flows that write messages and the status views.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cached_property
from typing import Literal

from thidua.calendar import WorkingCalendar
from thidua.dates import end_of_day
from thidua.directory import Unit
from thidua.plan.milestones import ScheduledMilestone
from thidua.plan.schema import NomineeKind, Plan

ESCALATION_LEVELS = {"escalation_head": 1, "escalation_agency": 2, "escalation_chairman": 3}
REMINDER_KINDS = ("reminder", "deadline_day")


@dataclass(frozen=True)
class Received:
    """One document of a dossier and the instant it arrived."""

    kind: str
    received_at: datetime


@dataclass(frozen=True)
class DossierState:
    """Where a unit's dossier stands: nothing, some documents, or all of them; on time or late."""

    status: Literal["missing", "incomplete", "complete"]
    missing: tuple[str, ...]  # codes of required documents not received
    received_at: datetime | None
    completed_at: datetime | None
    late: bool  # completed after the deadline, or still incomplete once it has passed

    @property
    def complete(self) -> bool:
        return self.status == "complete"


def required_documents(plan: Plan, kinds: Iterable[str] = (NomineeKind.collective,)) -> list[str]:
    """Codes of the documents every dossier with nominees of `kinds` must contain."""
    wanted = set(kinds)
    return [d.code for d in plan.documents if d.required_for_awards is None and wanted & set(d.for_)]


def dossier_state(
    plan: Plan, documents: Sequence[Received], nominee_kinds: Iterable[str], deadline: date | None, as_of: datetime
) -> DossierState:
    """The state of one dossier as of `as_of`, judged against the effective `deadline` (end of that day)."""
    kinds = set(nominee_kinds) or {NomineeKind.collective}
    received = {d.kind: d.received_at for d in documents if d.received_at <= as_of}
    required = required_documents(plan, kinds)
    missing = tuple(code for code in required if code not in received)
    limit = end_of_day(deadline) if deadline else None
    overdue = bool(limit and as_of > limit)
    if not received:
        return DossierState("missing", missing, None, None, overdue)
    received_at = min(received.values())
    if missing:
        return DossierState("incomplete", missing, received_at, None, overdue)
    completed_at = max(received[c] for c in required) if required else received_at
    return DossierState("complete", (), received_at, completed_at, bool(limit and completed_at > limit))


@dataclass(frozen=True)
class Event:
    """A step the cycle took (kind, key) on a day, with the units it reached; `skipped` if only noted."""

    kind: str
    key: str
    day: date
    units: frozenset[str] = frozenset()
    skipped: bool = False


@dataclass(frozen=True)
class UnitStatus:
    """One participating unit on the state's day: its dossier and how far it has been chased."""

    unit: Unit
    dossier: DossierState
    last_reminder: tuple[date, str] | None  # day and step of the latest reminder sent to it
    escalation_level: int  # 0 none, 1 unit head, 2 standing agency, 3 chairman


@dataclass(frozen=True)
class CycleDates:
    """The dates of (plan, year) as of `as_of` and the steps already recorded: enough to know what is due."""

    plan: Plan
    year: int
    as_of: date
    calendar: WorkingCalendar
    milestones: Mapping[str, ScheduledMilestone]
    events: Mapping[tuple[str, str], Event]

    @cached_property
    def chased(self) -> list[ScheduledMilestone]:
        """The milestones units are chased for, once their date is known."""
        return [m for m in self.milestones.values() if m.chase and m.date is not None]

    @cached_property
    def deadline(self) -> ScheduledMilestone | None:
        """The submission deadline: the first chased milestone of the plan (its date None while pending)."""
        return next((m for m in self.milestones.values() if m.chase), None)

    def done(self, kind: str, key: str) -> bool:
        return (kind, key) in self.events


@dataclass(frozen=True)
class CycleState(CycleDates):
    """The dates plus every participating unit that exists on `as_of`, read as of `instant`."""

    instant: datetime  # the state is read as of this instant (end of `as_of`, or now if earlier)
    units: tuple[UnitStatus, ...]


def with_events(state: CycleState, events: Iterable[Event]) -> CycleState:
    """The state once `events` are recorded too (units merged into an event already there)."""
    merged = dict(state.events)
    for event in events:
        known = merged.get((event.kind, event.key))
        merged[(event.kind, event.key)] = replace(event, units=event.units | known.units) if known else event
    last_reminder, level = chase_levels(merged.values())
    units = tuple(
        replace(s, last_reminder=last_reminder.get(s.unit.code), escalation_level=level.get(s.unit.code, 0))
        for s in state.units
    )
    return replace(state, events=merged, units=units)


def chase_levels(events: Iterable[Event]) -> tuple[dict[str, tuple[date, str]], dict[str, int]]:
    """Per unit code: the latest reminder (day, step) and the highest escalation level reached."""
    last_reminder: dict[str, tuple[date, str]] = {}
    level: dict[str, int] = {}
    for event in events:
        for code in event.units:
            if event.kind in REMINDER_KINDS:
                last_reminder[code] = max(last_reminder.get(code, (event.day, event.key)), (event.day, event.key))
            elif event.kind in ESCALATION_LEVELS:
                level[code] = max(level.get(code, 0), ESCALATION_LEVELS[event.kind])
    return last_reminder, level


def participating(plan: Plan, units: Iterable[Unit], day: date) -> list[Unit]:
    """The units of the plan's participating groups that exist on `day`, by code."""
    groups = set(plan.participants.collectives) | set(plan.participants.individuals)
    return sorted((u for u in units if u.group in groups and u.exists_on(day)), key=lambda u: u.code)


def cycle_state(
    dates: CycleDates,
    units: Iterable[Unit],
    dossiers: Mapping[str, tuple[Sequence[Received], Iterable[str]]],
    instant: datetime,
) -> CycleState:
    """The full state: each participating unit with its dossier (documents, nominee kinds) judged on the deadline."""
    deadline = dates.deadline.date if dates.deadline else None
    last_reminder, level = chase_levels(dates.events.values())
    statuses = []
    for unit in participating(dates.plan, units, dates.as_of):
        documents, kinds = dossiers.get(unit.code, ((), ()))
        state = dossier_state(dates.plan, documents, kinds, deadline, instant)
        statuses.append(UnitStatus(unit, state, last_reminder.get(unit.code), level.get(unit.code, 0)))
    return CycleState(
        dates.plan, dates.year, dates.as_of, dates.calendar, dates.milestones, dates.events, instant, tuple(statuses)
    )
