"""What a cycle has to do on one day: pure decisions over a `CycleView`, no I/O.

Each due step becomes a `StepBatch` (the units it concerns and the drafts to write); steps already
done for a unit (recorded as cycle events) are left out, so re-running a day yields nothing new.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from notifications.outbox import Draft
from thidua.chase import STALE_AFTER, Step, due_on, is_sending_day, ladder
from thidua.cycle import CycleView, UnitStatus
from thidua.messages import aggregate_drafts, unit_drafts
from thidua.plan.schedule import ScheduledMilestone
from thidua.words import ddmmyyyy

ONE_OFF_GRACE = timedelta(days=30)  # an appraisal or review missed while the service was down still runs

STEP_WORDS = {
    "launch": "Thông báo phát động",
    "reminder": "Nhắc hạn",
    "deadline_day": "Nhắc đúng ngày hạn",
    "escalation_head": "Báo Thủ trưởng đơn vị chậm nộp",
    "escalation_agency": "Báo cơ quan thường trực danh sách đơn vị chậm nộp",
    "escalation_chairman": "Báo cáo Chủ tịch danh sách đơn vị chậm nộp",
}


@dataclass(frozen=True)
class StepBatch:
    """A due step, the units it reaches now and the drafts to write for them."""

    milestone: ScheduledMilestone
    step: Step
    units: list[UnitStatus]
    drafts: list[Draft]

    @property
    def channels(self) -> Counter[str]:
        return Counter(d.channel for d in self.drafts)

    def describe(self) -> str:
        """One Vietnamese line: what, to how many units, through which channels."""
        words = STEP_WORDS[self.step.kind]
        if self.step.kind == "reminder":
            words += f" (còn {self.step.offset} ngày, hạn {ddmmyyyy(self.milestone.date)})"  # type: ignore[arg-type]
        if not self.units:
            return f"{words}: không còn đơn vị nào phải nhắc"
        names = ", ".join(s.unit.name for s in self.units[:6]) + (" …" if len(self.units) > 6 else "")
        via = ", ".join(f"{ch} {n}" for ch, n in sorted(self.channels.items())) or "không có địa chỉ nhận"
        return f"{words}: {len(self.units)} đơn vị — {names} [{via}]"


@dataclass
class DayPlan:
    """Everything due for one cycle on one day."""

    batches: list[StepBatch] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # catch-up and skipped steps, in Vietnamese
    skipped: list[tuple[ScheduledMilestone, Step]] = field(default_factory=list)  # recorded so they are noted once

    @property
    def drafts(self) -> list[Draft]:
        return [d for b in self.batches for d in b.drafts]


def _not_yet(view: CycleView, kind: str, key: str, statuses: list[UnitStatus]) -> list[UnitStatus]:
    """The units of `statuses` that step (kind, key) has not reached yet."""
    event = view.events.get((kind, key))
    done = set(event.detail.get("units", [])) if event else set()
    return [s for s in statuses if s.unit.code not in done]


def launch_plan(view: CycleView) -> DayPlan:
    """The launch notice to every participating unit, once, from the launch day until the deadline."""
    plan = DayPlan()
    launch = view.milestones.get("launch")
    deadline = view.chased[0].date if view.chased else None
    if launch is None or launch.date is None or view.as_of < launch.date:
        return plan
    if not is_sending_day(view.plan, view.calendar, view.as_of):
        return plan
    if deadline and view.as_of > deadline:
        return plan
    step = Step("launch", "launch", "focal", launch.date, 0)
    units = _not_yet(view, "launch", "launch", view.units)
    if units or ("launch", "launch") not in view.events:
        if view.as_of > launch.date:
            plan.notes.append(f"Gửi bù thông báo phát động (ngày phát động {ddmmyyyy(launch.date)})")
        plan.batches.append(StepBatch(launch, step, units, unit_drafts(view, launch, step, units)))
    return plan


def chase_plan(view: CycleView) -> DayPlan:
    """Reminders before each chased deadline and escalations after it, for units whose dossier is not complete."""
    plan = DayPlan()
    behind = [s for s in view.units if not s.dossier.complete]
    sending = is_sending_day(view.plan, view.calendar, view.as_of)
    for milestone in view.chased:
        assert milestone.date is not None
        due = due_on(ladder(view.plan, milestone.date, view.calendar), view.as_of, milestone.date, sending)
        steps = ([due.reminder] if due.reminder else []) + due.escalations
        for step in steps:
            done = (step.kind, step.code) in view.events
            units = _not_yet(view, step.kind, step.code, behind)
            if done and (not units or not step.per_unit):
                continue  # an empty batch still records the step as done
            if step.per_unit:
                drafts = unit_drafts(view, milestone, step, units)
            else:
                drafts = aggregate_drafts(view, milestone, step, behind)
            plan.batches.append(StepBatch(milestone, step, units, drafts))
            if step.send_on < view.as_of:
                plan.notes.append(f"Gửi bù bước {step.code} (đến hạn {ddmmyyyy(step.send_on)})")
        for step in due.superseded:
            if (step.kind, step.code) not in view.events and due.reminder:
                plan.notes.append(f"Bỏ qua bước {step.code} đã lỡ ngày {ddmmyyyy(step.send_on)}: đã thay bằng {due.reminder.code}")
                plan.skipped.append((milestone, step))
        for step in due.stale:
            if (step.kind, step.code) not in view.events:
                plan.notes.append(
                    f"Không gửi bước {step.code} (đến hạn {ddmmyyyy(step.send_on)}, quá {STALE_AFTER.days} ngày)"
                )
                plan.skipped.append((milestone, step))
    return plan


def milestone_due_on(milestone: ScheduledMilestone, as_of: date) -> bool:
    """Whether a one-off milestone (appraisal, review, phase summary) is due on `as_of` (or was, recently)."""
    return milestone.date is not None and milestone.date <= as_of <= milestone.date + ONE_OFF_GRACE
