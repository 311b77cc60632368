"""Whether a message written earlier still holds on the day it goes out, and what it says that day.

A reminder is no longer sent once its deadline has passed or the owner has delivered; an escalation
goes out with that day's facts (the documents still missing, the owners still late), or not at all
when nobody is late any more; a "still incomplete" confirmation is dropped once a newer receipt changed
what is missing.
"""

from dataclasses import dataclass

from thidua.cycle.drafts import AGGREGATE_UNIT, Draft, aggregate_drafts, unit_drafts
from thidua.cycle.ladder import ladder
from thidua.cycle.state import CycleState, Delivery, UnitStatus
from thidua.dates import local_day
from thidua.words import ddmmyyyy

CHASE = frozenset({"reminder", "deadline_day", "escalation_head", "escalation_agency", "escalation_chairman"})
CHECKED = CHASE | {"dossier_incomplete", "document_rejected"}  # kinds whose truth depends on the day; the others go out as written


@dataclass(frozen=True)
class Written:
    """What a message in the outbox is about: the subject of the check."""

    kind: str
    unit_code: str
    milestone: str  # the occurrence key it is about
    step: str  # `<deadline>/<step code>`, or a receipt's step
    channel: str


def _delivered(delivery: Delivery) -> str:
    done = delivery.state.completed_at
    return f"đơn vị đã nộp đủ {delivery.occurrence.name.lower()}" + (f" ngày {ddmmyyyy(local_day(done))}" if done else "")


def _owner(state: CycleState, unit_code: str) -> UnitStatus | None:
    return next((s for s in state.units if s.unit.code == unit_code), None)


def _incomplete_receipt(state: CycleState, message: Written) -> str | None:
    status = _owner(state, message.unit_code)
    delivery = status.deliveries.get(message.milestone) if status else None
    if delivery is None:
        return None
    if delivery.state.complete:
        return _delivered(delivery)
    current = "receipt-missing-" + "-".join(delivery.state.missing)
    return None if message.step.partition("@")[0] == current else "đã có xác nhận mới hơn về việc phải nộp của đơn vị"


def _rejection(state: CycleState, message: Written) -> str | None:
    """A rejection still holds while the owner is behind on the occurrence (the document is missing again)."""
    status = _owner(state, message.unit_code)
    delivery = status.deliveries.get(message.milestone) if status else None
    if delivery is not None and delivery.state.complete:
        return "đơn vị đã nộp lại, " + _delivered(delivery)
    return None


RECEIPTS = {"dossier_incomplete": _incomplete_receipt, "document_rejected": _rejection}  # checked against the owner's delivery


def restate(state: CycleState, message: Written) -> Draft | str | None:
    """The draft `message` is on `state.as_of` (to send instead), the reason it no longer holds, or None
    to send it as written."""
    if message.kind in RECEIPTS:
        return RECEIPTS[message.kind](state, message)
    occurrence = state.occurrence(message.milestone)
    if message.kind not in CHASE or occurrence is None or occurrence.deadline is None:
        return None
    deadline, code = occurrence.deadline, message.step.rpartition("/")[2]
    if message.step != f"{deadline.isoformat()}/{code}":
        return f"hạn đã đổi sang {ddmmyyyy(deadline)}, tin theo hạn cũ không gửi nữa"
    if message.kind in ("reminder", "deadline_day") and state.as_of > deadline:
        return f"hạn {ddmmyyyy(deadline)} đã qua, không nhắc nữa"
    step = next((s for s in ladder(state.plan, occurrence.deliverable, deadline, state.calendar) if s.code == code), None)
    if step is None:
        return None
    if message.unit_code == AGGREGATE_UNIT:
        late = [s for s in state.units if s.behind(occurrence.key)]
        if not late:
            return f"mọi đơn vị đã nộp đủ {occurrence.name.lower()}"
        drafts = aggregate_drafts(state, occurrence, step, late)
    else:
        status = _owner(state, message.unit_code)
        if status is None or occurrence.key not in status.deliveries:
            return "đơn vị không còn trong danh sách phải nộp"
        if not status.behind(occurrence.key):
            return _delivered(status.deliveries[occurrence.key])
        drafts = unit_drafts(state, occurrence, step, [status])
    return next((d for d in drafts if d.channel == message.channel), None)
