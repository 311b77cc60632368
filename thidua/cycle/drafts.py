"""Messages to write: who receives what, on which channel, saying what (rendered later by `notifications`)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from thidua.channels import Person, addresses, fallback_address
from thidua.cycle.ladder import Step
from thidua.cycle.state import CycleDates, DossierState, UnitStatus
from thidua.directory import Target, Unit
from thidua.plan.milestones import ScheduledMilestone
from thidua.plan.schema import Plan

AGGREGATE_UNIT = "*"  # outbox unit code of a message about all late units (to the agency or chairman)


class MessageKind(StrEnum):
    launch = "launch"
    reminder = "reminder"
    deadline_day = "deadline_day"
    escalation_head = "escalation_head"
    escalation_agency = "escalation_agency"
    escalation_chairman = "escalation_chairman"
    dossier_received = "dossier_received"
    dossier_incomplete = "dossier_incomplete"
    admin_alert = "admin_alert"  # to the standing agency: sending met a problem someone must fix


@dataclass(frozen=True)
class MessageContext:
    """Everything a message may say; the same context feeds every channel (email, OA text, ZNS data)."""

    kind: MessageKind
    plan_code: str
    plan_title: str
    issuer: str
    year: int
    unit_code: str
    unit_name: str
    recipient_name: str
    milestone_label: str
    deadline: date
    days_left: int | None  # reminders: calendar days to the deadline; escalations: working days late
    missing_documents: tuple[str, ...]  # empty: nothing received yet, the whole dossier is missing
    contact_name: str
    contact_email: str
    contact_phone: str
    late_units: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # admin_alert: what went wrong, one line each


@dataclass(frozen=True)
class Draft:
    """A message to write to the outbox, unique by (plan, year, unit, milestone, step, channel, recipient)."""

    plan: str
    year: int
    unit_code: str
    milestone: str
    step: str
    channel: str
    recipient: str  # an email, `84xxxxxxxxx` (ZNS) or `user:<id>` (OA): the channel's address
    context: MessageContext
    fallback: tuple[str, str] | None = None  # (channel, address) that takes over if this channel cannot reach


def _context(
    plan: Plan, year: int, kind: str, milestone: ScheduledMilestone, unit: tuple[str, str], recipient: str,
    days: int | None, missing: Sequence[str] = (), late_units: Sequence[str] = (),
) -> MessageContext:  # fmt: skip
    agency = plan.standing_agency
    labels = {d.code: d.name for d in plan.documents}
    assert milestone.date is not None
    return MessageContext(
        kind=MessageKind(kind),
        plan_code=plan.code,
        plan_title=plan.title,
        issuer=plan.issuer,
        year=year,
        unit_code=unit[0],
        unit_name=unit[1],
        recipient_name=recipient,
        milestone_label=milestone.label,
        deadline=milestone.date,
        days_left=days,
        missing_documents=tuple(labels.get(code, code) for code in missing),
        contact_name=agency.name,
        contact_email=agency.email or "",
        contact_phone=agency.phone or "",
        late_units=tuple(late_units),
    )


def to_person(
    plan: Plan, year: int, unit_code: str, milestone: str, step: str, person: Person, context: MessageContext
) -> list[Draft]:
    """One draft per plan channel that can reach `person`, each with its fallback."""
    return [
        Draft(plan.code, year, unit_code, milestone, step, channel, address, context, fallback_address(person, channel))
        for channel, address in addresses(person, plan.channels).items()
    ]


def _to_unit(plan: Plan, year: int, unit: Unit, target: Target, milestone: str, step: str, ctx: MessageContext) -> list[Draft]:
    return to_person(plan, year, unit.code, milestone, step, unit.person(target), ctx)


def unit_drafts(cycle: CycleDates, milestone: ScheduledMilestone, step: Step, statuses: Iterable[UnitStatus]) -> list[Draft]:
    """Drafts of a per-unit step (launch, reminder, deadline day, unit head) to each unit on every channel."""
    assert milestone.date is not None and step.target in ("focal", "unit_head")
    days = step.days_on(milestone.date, cycle.as_of)
    drafts = []
    for status in statuses:
        unit = status.unit
        person = unit.person(step.target)
        missing = status.dossier.missing if status.dossier.status != "missing" else ()
        ctx = _context(cycle.plan, cycle.year, step.message, milestone, (unit.code, unit.name), person.name or unit.name, days, missing)
        drafts += _to_unit(cycle.plan, cycle.year, unit, step.target, milestone.kind, step.code, ctx)
    return drafts


def aggregate_drafts(cycle: CycleDates, milestone: ScheduledMilestone, step: Step, late: Sequence[UnitStatus]) -> list[Draft]:
    """One email to the standing agency or the chairman listing every late unit."""
    agency = cycle.plan.standing_agency
    contact = agency if step.target == "standing_agency" else agency.chairman
    if not late or contact is None or not contact.email:
        return []
    names = [s.unit.name for s in late]
    ctx = _context(cycle.plan, cycle.year, step.message, milestone, (AGGREGATE_UNIT, agency.name), contact.name, step.offset, (), names)
    return [Draft(cycle.plan.code, cycle.year, AGGREGATE_UNIT, milestone.kind, step.code, "email", contact.email, ctx)]


def receipt_drafts(plan: Plan, year: int, unit: Unit, deadline: ScheduledMilestone, state: DossierState) -> list[Draft]:
    """The unit's confirmation of a receipt: everything received, or what is still missing."""
    kind = MessageKind.dossier_received if state.complete else MessageKind.dossier_incomplete
    ctx = _context(plan, year, kind, deadline, (unit.code, unit.name), unit.focal.name or unit.name, None, state.missing)
    step = "receipt-complete" if state.complete else "receipt-missing-" + "-".join(state.missing)
    return _to_unit(plan, year, unit, "focal", deadline.kind, step, ctx)


ALERT_MILESTONE = "alert"  # outbox milestone of the administrator's alerts


def alert_drafts(plan: Plan, day: date, problem: str, lines: Sequence[str], down: Iterable[str]) -> list[Draft]:
    """One message to the plan's standing agency about `problem` (a stable key such as `stopped-email`) on `day`,
    through the first channel that can reach it and is not in `down`; none if no channel can."""
    agency = plan.standing_agency
    person = Person(agency.name, email=agency.email, phone=agency.phone)
    working = [name for name in plan.channels if name not in set(down)]
    reachable = addresses(person, working)
    if not reachable:
        return []
    channel, address = next(iter(reachable.items()))
    ctx = MessageContext(
        kind=MessageKind.admin_alert, plan_code=plan.code, plan_title=plan.title, issuer=plan.issuer, year=day.year,
        unit_code=AGGREGATE_UNIT, unit_name=agency.name, recipient_name=agency.name, milestone_label="ngày điều phối",
        deadline=day, days_left=None, missing_documents=(), contact_name=agency.name, contact_email=agency.email or "",
        contact_phone=agency.phone or "", problems=tuple(lines),
    )
    step = f"alert-{day.isoformat()}-{problem}"
    return [Draft(plan.code, day.year, AGGREGATE_UNIT, ALERT_MILESTONE, step, channel, address, ctx)]
