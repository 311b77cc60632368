"""Whether a message written earlier still holds on the day it goes out, and what it says that day.

A reminder is no longer sent once its deadline has passed or the unit has completed its dossier; an
escalation goes out with that day's facts (the documents still missing, the units still late), or
not at all when nobody is late any more; a "dossier incomplete" confirmation is dropped once a newer
receipt changed what is missing.
"""

from dataclasses import dataclass

from thidua.cycle.drafts import AGGREGATE_UNIT, Draft, aggregate_drafts, unit_drafts
from thidua.cycle.ladder import ladder
from thidua.cycle.state import CycleState, UnitStatus
from thidua.dates import local_day
from thidua.words import ddmmyyyy

CHASE = frozenset({"reminder", "deadline_day", "escalation_head", "escalation_agency", "escalation_chairman"})
CHECKED = CHASE | {"dossier_incomplete"}  # kinds whose truth depends on the day; the others go out as written


@dataclass(frozen=True)
class Written:
    """What a message in the outbox is about: the subject of the check."""

    kind: str
    unit_code: str
    milestone: str
    step: str
    channel: str


def _completed(status: UnitStatus) -> str:
    done = status.dossier.completed_at
    return "đơn vị đã nộp đủ hồ sơ" + (f" ngày {ddmmyyyy(local_day(done))}" if done else "")


def _incomplete_receipt(state: CycleState, message: Written) -> str | None:
    status = next((s for s in state.units if s.unit.code == message.unit_code), None)
    if status is None:
        return None
    if status.dossier.complete:
        return _completed(status)
    current = "receipt-missing-" + "-".join(status.dossier.missing)
    return None if message.step == current else "đã có xác nhận mới hơn về hồ sơ của đơn vị"


def restate(state: CycleState, message: Written) -> Draft | str | None:
    """The draft `message` is on `state.as_of` (to send instead), the reason it no longer holds, or None
    to send it as written."""
    if message.kind == "dossier_incomplete":
        return _incomplete_receipt(state, message)
    milestone = state.milestones.get(message.milestone)
    if message.kind not in CHASE or milestone is None or milestone.date is None:
        return None
    if message.kind in ("reminder", "deadline_day") and state.as_of > milestone.date:
        return f"hạn {ddmmyyyy(milestone.date)} đã qua, không nhắc nữa"
    step = next((s for s in ladder(state.plan, milestone.date, state.calendar) if s.code == message.step), None)
    if step is None:
        return None
    if message.unit_code == AGGREGATE_UNIT:
        late = [s for s in state.units if not s.dossier.complete]
        if not late:
            return "mọi đơn vị đã nộp đủ hồ sơ"
        drafts = aggregate_drafts(state, milestone, step, late)
    else:
        status = next((s for s in state.units if s.unit.code == message.unit_code), None)
        if status is None:
            return "đơn vị không còn trong danh sách tham gia"
        if status.dossier.complete:
            return _completed(status)
        drafts = unit_drafts(state, milestone, step, [status])
    return next((d for d in drafts if d.channel == message.channel), None)
