"""The state of one plan's cycle on one day, as plain values: its dates, what is owed, what arrived, what was done.

`CycleDates` is what the daily dispatcher needs (dates, what is owed by when, recorded steps; no units);
`CycleState` adds every participating unit with the state of each thing it owes, for the flows that
write messages and for the status views.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cached_property
from typing import Literal

from thidua.calendar import WorkingCalendar
from thidua.channels import Person
from thidua.dates import end_of_day
from thidua.directory import Unit
from thidua.plan.milestones import ScheduledMilestone
from thidua.plan.schema import Deliverable, NomineeKind, Owner, Plan

ESCALATION_LEVELS = {"escalation_head": 1, "escalation_agency": 2, "escalation_chairman": 3}
REMINDER_KINDS = ("reminder", "deadline_day")
AGENCY = "co-quan-thuong-truc"  # the owner code of the standing agency's own obligations


@dataclass(frozen=True)
class Occurrence:
    """One deadline of a deliverable in a cycle: a dossier once a year, a report several times."""

    deliverable: Deliverable
    milestone: ScheduledMilestone  # the deadline (its date None while pending or awaiting guidance)

    @property
    def key(self) -> str:
        """`ho_so_khen_thuong/submission_deadline`: what messages, steps and receipts are keyed by."""
        return f"{self.deliverable.code}/{self.milestone.kind}"

    @property
    def deadline(self) -> date | None:
        return self.milestone.date

    @property
    def status(self) -> Literal["scheduled", "pending", "awaiting_guidance"]:
        """`awaiting_guidance` when its date or its documents are left to later guidance."""
        return "awaiting_guidance" if self.deliverable.awaiting_guidance else self.milestone.status

    @property
    def guidance(self) -> str | None:
        """What the plan says is awaited, in its own words; None when nothing is."""
        if self.deliverable.awaiting_guidance:
            return self.deliverable.awaiting_guidance
        return self.milestone.rule if self.milestone.status == "awaiting_guidance" else None

    @property
    def chased(self) -> bool:
        """Owners are reminded of it: its date is known and nothing is left to guidance."""
        return self.status == "scheduled"

    @property
    def name(self) -> str:
        return occurrence_name(self.deliverable, self.milestone.label)


def occurrence_name(deliverable: Deliverable, deadline_label: str) -> str:
    """The deliverable's name, with the deadline's label when it recurs (`… — báo cáo quý III`)."""
    return deliverable.name if len(deliverable.due) == 1 else f"{deliverable.name} — {deadline_label}"


def occurrences(plan: Plan, milestones: Mapping[str, ScheduledMilestone]) -> list[Occurrence]:
    """Every occurrence owed in a cycle whose milestones are `milestones` (a final-year deadline only then)."""
    return [Occurrence(d, milestones[kind]) for d in plan.deliverables for kind in d.due if kind in milestones]


@dataclass(frozen=True)
class Received:
    """One document (or, for what has no documents, the delivery itself) and the instant it arrived."""

    kind: str
    received_at: datetime


@dataclass(frozen=True)
class DeliveryState:
    """Where one owner stands on one occurrence: nothing yet, part of it, or all of it; on time or late."""

    status: Literal["not_started", "partial", "complete"]
    missing: tuple[str, ...]  # codes of required documents not received
    received_at: datetime | None
    completed_at: datetime | None
    late: bool  # completed after the deadline, or still incomplete once it has passed
    accepted: bool = True  # False: completed late where the plan refuses late delivery

    @property
    def complete(self) -> bool:
        return self.status == "complete"

    @property
    def delivered(self) -> bool:
        """Complete and accepted: nothing more is asked of the owner."""
        return self.complete and self.accepted


def required_documents(deliverable: Deliverable, kinds: Iterable[str] = (NomineeKind.collective,)) -> list[str]:
    """Codes of the documents owed with nominees of `kinds` (every award form's documents but award-specific ones)."""
    wanted = set(kinds)
    return [d.code for d in deliverable.document_list if d.required_for_awards is None and wanted & set(d.for_)]


def delivery_state(
    deliverable: Deliverable, received: Sequence[Received], nominee_kinds: Iterable[str], deadline: date | None,
    as_of: datetime,
) -> DeliveryState:  # fmt: skip
    """The state of one owner's delivery as of `as_of`, judged against the effective `deadline` (end of that day).

    A deliverable without documents (a registration, a notice) is complete once anything is received.
    """
    kinds = set(nominee_kinds) or {NomineeKind.collective}
    arrived = {d.kind: d.received_at for d in received if d.received_at <= as_of}
    required = required_documents(deliverable, kinds)
    missing = tuple(code for code in required if code not in arrived)
    limit = end_of_day(deadline) if deadline else None
    overdue = bool(limit and as_of > limit)
    if not arrived:
        return DeliveryState("not_started", missing, None, None, overdue)
    received_at = min(arrived.values())
    if missing:
        return DeliveryState("partial", missing, received_at, None, overdue)
    completed_at = max(arrived[c] for c in required) if required else received_at
    late = bool(limit and completed_at > limit)
    return DeliveryState("complete", (), received_at, completed_at, late, not (late and deliverable.late == "refused"))


@dataclass(frozen=True)
class Event:
    """A step the cycle took (kind, key) on a day, with the units it reached; `skipped` if only noted."""

    kind: str
    key: str
    day: date
    units: frozenset[str] = frozenset()
    skipped: bool = False


@dataclass(frozen=True)
class Delivery:
    """One owner's delivery of one occurrence, and how far the owner has been chased for it."""

    occurrence: Occurrence
    state: DeliveryState
    last_reminder: tuple[date, str] | None  # day and step of the latest reminder sent for it
    escalation_level: int  # 0 none, 1 unit head, 2 standing agency, 3 chairman


@dataclass(frozen=True)
class UnitStatus:
    """One owner on the state's day (a participating unit, or the standing agency) and what it owes."""

    unit: Unit
    deliveries: Mapping[str, Delivery]  # by occurrence key, for the occurrences this owner owes

    def behind(self, key: str) -> bool:
        """Whether the owner owes occurrence `key` and has not delivered it."""
        delivery = self.deliveries.get(key)
        return delivery is not None and not delivery.state.delivered


@dataclass(frozen=True)
class CycleDates:
    """The dates of (plan, year) as of `as_of`, what is owed by when, and the steps already recorded."""

    plan: Plan
    year: int
    as_of: date
    calendar: WorkingCalendar
    milestones: Mapping[str, ScheduledMilestone]
    events: Mapping[tuple[str, str], Event]

    @cached_property
    def occurrences(self) -> list[Occurrence]:
        return occurrences(self.plan, self.milestones)

    @cached_property
    def chased(self) -> list[Occurrence]:
        """The occurrences owners are reminded of: date known, nothing left to guidance."""
        return [o for o in self.occurrences if o.chased]

    def occurrence(self, key: str) -> Occurrence | None:
        return next((o for o in self.occurrences if o.key == key), None)

    @cached_property
    def dossier(self) -> Occurrence | None:
        """The occurrence of the yearly nomination dossier, which the appraisal judges."""
        dossier = self.plan.dossier
        return next((o for o in self.occurrences if dossier and o.deliverable.code == dossier.code), None)

    def done(self, kind: str, key: str) -> bool:
        return (kind, key) in self.events


@dataclass(frozen=True)
class CycleState(CycleDates):
    """The dates plus every owner that exists on `as_of`, read as of `instant`."""

    instant: datetime  # the state is read as of this instant (end of `as_of`, or now if earlier)
    units: tuple[UnitStatus, ...]


def step_key(occurrence: Occurrence, code: str) -> str:
    """The key of a ladder step of one occurrence: `<occurrence>@<deadline>/<step>`, so a moved deadline gets its own."""
    assert occurrence.deadline is not None
    return f"{occurrence.key}@{occurrence.deadline.isoformat()}/{code}"


def chase_levels(events: Iterable[Event]) -> dict[tuple[str, str], tuple[tuple[date, str] | None, int]]:
    """Per (unit code, occurrence key): the latest reminder (day, step code) and the highest escalation level."""
    levels: dict[tuple[str, str], tuple[tuple[date, str] | None, int]] = {}
    for event in events:
        if event.kind not in REMINDER_KINDS and event.kind not in ESCALATION_LEVELS:
            continue
        occurrence, _, step = event.key.partition("@")
        code = step.partition("/")[2]
        for unit in event.units:
            reminder, level = levels.get((unit, occurrence), (None, 0))
            if event.kind in REMINDER_KINDS:
                reminder = max(reminder or (event.day, code), (event.day, code))
            else:
                level = max(level, ESCALATION_LEVELS[event.kind])
            levels[(unit, occurrence)] = (reminder, level)
    return levels


def agency_unit(plan: Plan) -> Unit:
    """The standing agency as the owner of its own obligations (its chairman as its head)."""
    agency, chairman = plan.standing_agency, plan.standing_agency.chairman
    head = Person(chairman.name, chairman.email) if chairman else Person(agency.name)
    return Unit(AGENCY, agency.name, "", Person(agency.name, agency.email), head)


def participating(plan: Plan, units: Iterable[Unit], day: date) -> list[Unit]:
    """The units of the plan's participating groups that exist on `day`, by code."""
    groups = set(plan.participants.collectives) | set(plan.participants.individuals)
    return sorted((u for u in units if u.group in groups and u.exists_on(day)), key=lambda u: u.code)


Receipts = Mapping[tuple[str, str], tuple[Sequence[Received], Iterable[str]]]
"""(occurrence key, owner code) -> (what arrived, the kinds of nominees named)."""


def _owes(plan: Plan, unit: Unit, occurrence: Occurrence) -> bool:
    if occurrence.deliverable.owner is Owner.standing_agency:
        return unit.code == AGENCY
    return unit.group in plan.owing_groups(occurrence.deliverable)


def cycle_state(dates: CycleDates, units: Iterable[Unit], receipts: Receipts, instant: datetime) -> CycleState:
    """The full state: each owner with the state of every occurrence it owes, judged on its deadline."""
    levels = chase_levels(dates.events.values())
    owners = participating(dates.plan, units, dates.as_of)
    if any(o.deliverable.owner is Owner.standing_agency for o in dates.occurrences):
        owners.append(agency_unit(dates.plan))
    statuses = []
    for unit in owners:
        deliveries = {}
        for occurrence in dates.occurrences:
            if not _owes(dates.plan, unit, occurrence):
                continue
            received, kinds = receipts.get((occurrence.key, unit.code), ((), ()))
            state = delivery_state(occurrence.deliverable, received, kinds, occurrence.deadline, instant)
            reminder, level = levels.get((unit.code, occurrence.key), (None, 0))
            deliveries[occurrence.key] = Delivery(occurrence, state, reminder, level)
        statuses.append(UnitStatus(unit, deliveries))
    return CycleState(
        dates.plan, dates.year, dates.as_of, dates.calendar, dates.milestones, dates.events, instant, tuple(statuses)
    )


def with_events(state: CycleState, events: Iterable[Event]) -> CycleState:
    """The state once `events` are recorded too (units merged into an event already there)."""
    merged = dict(state.events)
    for event in events:
        known = merged.get((event.kind, event.key))
        merged[(event.kind, event.key)] = replace(event, units=event.units | known.units) if known else event
    levels = chase_levels(merged.values())
    units = tuple(
        replace(s, deliveries={
            key: replace(d, last_reminder=levels.get((s.unit.code, key), (None, 0))[0],
                         escalation_level=levels.get((s.unit.code, key), (None, 0))[1])
            for key, d in s.deliveries.items()
        })
        for s in state.units
    )  # fmt: skip
    return replace(state, events=merged, units=units)
