"""Turn a due step and the units it concerns into outbox drafts: who, on which channel, saying what."""

from collections.abc import Iterable, Sequence

from models import Unit
from notifications.outbox import Draft
from notifications.templates import MessageContext, MessageKind
from thidua.chase import AGGREGATE_UNIT, Step
from thidua.cycle import CycleView, UnitStatus
from thidua.plan.schedule import ScheduledMilestone
from thidua.plan.schema import Channel, Contact


def _zalo_address(user_id: str | None, phone: str | None) -> str | None:
    """OA message to a follower when we know the user_id, else ZNS to the phone."""
    if user_id:
        return f"user:{user_id}"
    return phone or None


def unit_addresses(unit: Unit, target: str) -> dict[str, str]:
    """The unit's address on each channel for `target` (`focal` point or `unit_head`)."""
    if target == "unit_head":
        email, zalo = unit.head_email, _zalo_address(None, unit.head_phone)
    else:
        email, zalo = unit.focal_email, _zalo_address(unit.focal_zalo_user_id, unit.focal_phone)
    return {k: v for k, v in ((Channel.email.value, email), (Channel.zalo.value, zalo)) if v}


def _context(
    view: CycleView,
    kind: str,
    milestone: ScheduledMilestone,
    unit_code: str,
    unit_name: str,
    recipient_name: str,
    days: int | None,
    missing: Sequence[str] = (),
    late_units: Sequence[str] = (),
) -> MessageContext:
    plan, agency = view.plan, view.plan.standing_agency
    labels = {d.code: d.name for d in plan.documents}
    assert milestone.date is not None
    return MessageContext(
        kind=MessageKind(kind),
        plan_code=plan.code,
        plan_title=plan.title,
        issuer=plan.issuer,
        year=view.year,
        unit_code=unit_code,
        unit_name=unit_name,
        recipient_name=recipient_name,
        milestone_label=milestone.label,
        deadline=milestone.date,
        days_left=days,
        missing_documents=tuple(labels.get(code, code) for code in missing),
        contact_name=agency.name,
        contact_email=agency.email or "",
        contact_phone=agency.phone or "",
        late_units=tuple(late_units),
    )


def unit_drafts(
    view: CycleView, milestone: ScheduledMilestone, step: Step, statuses: Iterable[UnitStatus]
) -> list[Draft]:
    """One draft per unit and channel for a per-unit step (launch, reminder, deadline day, unit head)."""
    assert milestone.date is not None
    days = (milestone.date - view.as_of).days if step.before_deadline else step.offset
    drafts = []
    for status in statuses:
        unit = status.unit
        person = unit.head_name if step.target == "unit_head" else unit.focal_name
        missing = status.dossier.missing if status.dossier.status != "missing" else ()
        ctx = _context(view, step.kind, milestone, unit.code, unit.name, person or unit.name, days, missing)
        addresses = unit_addresses(unit, step.target)
        fallback = addresses.get(Channel.email.value)
        for channel in view.plan.channels:
            if address := addresses.get(channel.value):
                drafts.append(
                    Draft(
                        view.plan.code, view.year, unit.code, milestone.kind, step.code, channel.value, address, ctx,
                        fallback_email=fallback if channel is Channel.zalo else None,
                    )
                )
    return drafts


def aggregate_drafts(
    view: CycleView, milestone: ScheduledMilestone, step: Step, late: Sequence[UnitStatus]
) -> list[Draft]:
    """One email to the standing agency or the chairman listing every late unit."""
    agency = view.plan.standing_agency
    contact: Contact | None = agency if step.target == "standing_agency" else agency.chairman
    if not late or contact is None or not contact.email:
        return []
    names = [s.unit.name for s in late]
    ctx = _context(view, step.kind, milestone, AGGREGATE_UNIT, agency.name, contact.name, step.offset, (), names)
    return [Draft(view.plan.code, view.year, AGGREGATE_UNIT, milestone.kind, step.code, Channel.email.value, contact.email, ctx)]
