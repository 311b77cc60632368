"""Messages to write: who receives what, on which channel, saying what (rendered later by `notifications`)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from thidua.channels import Person, addresses, fallback_address
from thidua.cycle.ladder import Step
from thidua.cycle.state import CycleDates, DeliveryState, Occurrence, UnitStatus
from thidua.directory import Unit
from thidua.plan.milestones import ScheduledMilestone
from thidua.plan.schema import Plan
from thidua.words import long_date

AGGREGATE_UNIT = "*"  # outbox unit code of a message about all late owners (to the agency or chairman)


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
    document_rejected = "document_rejected"  # to an owner: the standing agency sent a document back, with the reason


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
    deliverable: str  # what is owed: "Hồ sơ đề nghị khen thưởng", "Báo cáo kết quả …"
    milestone_label: str  # the deadline's label: "hạn nộp hồ sơ đề nghị khen thưởng"
    deadline: date
    days_left: int | None  # reminders: calendar days to the deadline; escalations: working days late
    missing_documents: tuple[str, ...]  # empty: nothing received yet (or nothing to list)
    contact_name: str
    contact_email: str
    contact_phone: str
    late_units: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # admin_alert: what went wrong, one line each
    owed: tuple[str, ...] = ()  # the launch notice: every deliverable with its deadline, in words
    received_at: datetime | None = None  # a receipt: when it arrived
    reason: str = ""  # a rejection: why the document was sent back
    last_deadline: date | None = None  # the launch notice: the last deadline it announces (it holds until then)


@dataclass(frozen=True)
class Draft:
    """A message to write to the outbox, unique by (plan, year, unit, milestone, step, channel, recipient)."""

    plan: str
    year: int
    unit_code: str
    milestone: str  # what it is about: `launch`, or an occurrence key `ho_so_khen_thuong/submission_deadline`
    step: str  # `launch`, `2025-12-01/remind-7d` (the deadline it was computed for, then the ladder step)
    channel: str
    recipient: str  # an email, `84xxxxxxxxx` (ZNS) or `user:<id>` (OA): the channel's address
    context: MessageContext
    fallback: tuple[str, str] | None = None  # (channel, address) that takes over if this channel cannot reach


def _context(
    plan: Plan, year: int, kind: str, about: tuple[str, ScheduledMilestone], unit: tuple[str, str], recipient: str,
    days: int | None, missing: Sequence[str] = (), late_units: Sequence[str] = (), owed: Sequence[str] = (),
    last_deadline: date | None = None,
) -> MessageContext:  # fmt: skip
    agency = plan.standing_agency
    deliverable, milestone = about
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
        deliverable=deliverable,
        milestone_label=milestone.label,
        deadline=milestone.date,
        days_left=days,
        missing_documents=tuple(missing),
        contact_name=agency.name,
        contact_email=agency.email or "",
        contact_phone=agency.phone or "",
        late_units=tuple(late_units),
        owed=tuple(owed),
        last_deadline=last_deadline,
    )


def to_person(
    plan: Plan, year: int, unit_code: str, about: str, step: str, person: Person, context: MessageContext
) -> list[Draft]:
    """One draft per plan channel that can reach `person`, each with its fallback."""
    return [
        Draft(plan.code, year, unit_code, about, step, channel, address, context, fallback_address(person, channel))
        for channel, address in addresses(person, plan.channels).items()
    ]


def _missing_names(occurrence: Occurrence, state: DeliveryState) -> tuple[str, ...]:
    names = {d.code: d.name for d in occurrence.deliverable.document_list}
    return tuple(names.get(code, code) for code in state.missing) if state.status != "not_started" else ()


def _step_id(occurrence: Occurrence, step: Step) -> str:
    assert occurrence.deadline is not None
    return f"{occurrence.deadline.isoformat()}/{step.code}"


def launch_drafts(cycle: CycleDates, launch: ScheduledMilestone, step: Step, statuses: Iterable[UnitStatus]) -> list[Draft]:
    """The launch notice to each unit: what it owes this cycle, each with its deadline."""
    drafts = []
    for status in statuses:
        unit = status.unit
        owed = [
            f"{d.occurrence.name}: {long_date(d.occurrence.deadline) if d.occurrence.deadline else 'ngày sẽ thông báo sau'}"
            for d in status.deliveries.values()
        ]
        what = "Các việc phải nộp" if len(owed) != 1 else next(iter(status.deliveries.values())).occurrence.name
        last = max((d.occurrence.deadline for d in status.deliveries.values() if d.occurrence.deadline), default=None)
        ctx = _context(
            cycle.plan, cycle.year, step.message, (what, launch), (unit.code, unit.name), unit.focal.name or unit.name, 0,
            owed=owed, last_deadline=last,
        )  # fmt: skip
        drafts += to_person(cycle.plan, cycle.year, unit.code, step.code, step.code, unit.focal, ctx)
    return drafts


def unit_drafts(cycle: CycleDates, occurrence: Occurrence, step: Step, statuses: Iterable[UnitStatus]) -> list[Draft]:
    """Drafts of a per-owner step (reminder, deadline day, unit head) to each owner on every channel."""
    assert occurrence.deadline is not None and step.target in ("focal", "unit_head")
    days = step.days_on(occurrence.deadline, cycle.as_of)
    drafts = []
    for status in statuses:
        unit, delivery = status.unit, status.deliveries[occurrence.key]
        person = unit.person(step.target)
        about = (occurrence.name, occurrence.milestone)
        missing = _missing_names(occurrence, delivery.state)
        ctx = _context(cycle.plan, cycle.year, step.message, about, (unit.code, unit.name), person.name or unit.name, days, missing)
        drafts += to_person(cycle.plan, cycle.year, unit.code, occurrence.key, _step_id(occurrence, step), person, ctx)
    return drafts


def aggregate_drafts(cycle: CycleDates, occurrence: Occurrence, step: Step, late: Sequence[UnitStatus]) -> list[Draft]:
    """One email to the standing agency or the chairman listing every owner behind on the occurrence."""
    agency = cycle.plan.standing_agency
    contact = agency if step.target == "standing_agency" else agency.chairman
    if not late or contact is None or not contact.email:
        return []
    names = [s.unit.name for s in late]
    about = (occurrence.name, occurrence.milestone)
    ctx = _context(cycle.plan, cycle.year, step.message, about, (AGGREGATE_UNIT, agency.name), contact.name, step.offset, (), names)
    return [
        Draft(cycle.plan.code, cycle.year, AGGREGATE_UNIT, occurrence.key, _step_id(occurrence, step), "email", contact.email, ctx)
    ]


def receipt_step(state: DeliveryState, round_: int = 0) -> str:
    """The outbox step of a confirmation: one per state of the delivery, again in each round after a rejection."""
    step = "receipt-complete" if state.complete else "receipt-missing-" + "-".join(state.missing)
    return f"{step}@{round_}" if round_ else step


def receipt_drafts(
    plan: Plan, year: int, unit: Unit, occurrence: Occurrence, state: DeliveryState, received_at: datetime | None = None,
    round_: int = 0,
) -> list[Draft]:  # fmt: skip
    """The owner's confirmation of a receipt (at `received_at`): everything received, or what is still missing;
    `round_` counts the rejections so far, so a delivery completed again is confirmed again."""
    kind = MessageKind.dossier_received if state.complete else MessageKind.dossier_incomplete
    about = (occurrence.name, occurrence.milestone)
    missing = _missing_names(occurrence, state)
    ctx = replace(
        _context(plan, year, kind, about, (unit.code, unit.name), unit.focal.name or unit.name, None, missing), received_at=received_at
    )
    return to_person(plan, year, unit.code, occurrence.key, receipt_step(state, round_), unit.focal, ctx)


def rejection_drafts(
    plan: Plan, year: int, unit: Unit, occurrence: Occurrence, document: str, reason: str, decision: str
) -> list[Draft]:  # fmt: skip
    """The owner's notice that `document` (its name) of `occurrence` was sent back for `reason`; `decision` tells
    the rejections apart, so each is a message of its own."""
    about = (occurrence.name, occurrence.milestone)
    ctx = replace(
        _context(plan, year, MessageKind.document_rejected, about, (unit.code, unit.name), unit.focal.name or unit.name, None, (document,)),
        reason=reason,
    )
    return to_person(plan, year, unit.code, occurrence.key, f"rejected-{decision}", unit.focal, ctx)


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
        unit_code=AGGREGATE_UNIT, unit_name=agency.name, recipient_name=agency.name, deliverable="điều phối hằng ngày",
        milestone_label="ngày điều phối", deadline=day, days_left=None, missing_documents=(), contact_name=agency.name, contact_email=agency.email or "",
        contact_phone=agency.phone or "", problems=tuple(lines),
    )
    step = f"alert-{day.isoformat()}-{problem}"
    return [Draft(plan.code, day.year, AGGREGATE_UNIT, ALERT_MILESTONE, step, channel, address, ctx)]
