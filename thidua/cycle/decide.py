"""The one decider: for a cycle on a day, what is due — which flows, which steps, for which units.

`agenda(cycle)` reads dates and recorded steps only, so the daily dispatcher can ask it for every plan
whatever the number of units; `batch(state, due)` adds the units a due step reaches now and the drafts
it writes. A step already recorded for a unit is never written for it again, so re-running a day
yields nothing new. Catch-up rules live with the ladder (`thidua.cycle.ladder`).
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from thidua.cycle.drafts import Draft, aggregate_drafts, unit_drafts
from thidua.cycle.ladder import STALE_AFTER, Step, due_on, is_sending_day, ladder
from thidua.cycle.state import CycleDates, CycleState, Event, UnitStatus, with_events
from thidua.plan.milestones import ScheduledMilestone
from thidua.words import FLOW, MESSAGE, ddmmyyyy

ONE_OFF_GRACE = timedelta(days=30)  # an appraisal or review missed while the service was down still runs


class CycleFlow(StrEnum):
    """The flows of a yearly cycle, in cycle order: the one registry the dispatcher, the forms and the tasks use."""

    notify = "notify"  # the launch notice, reminders and escalations: one step a run
    appraisal = "appraisal"
    annual_review = "annual_review"
    phase_summary = "phase_summary"

    @property
    def label(self) -> str:
        return FLOW[self]


ONE_OFF = {  # flow -> the milestone whose day runs it once a year
    CycleFlow.appraisal: "appraisal_deadline",
    CycleFlow.annual_review: "annual_review",
    CycleFlow.phase_summary: "phase_summary",
}


@dataclass(frozen=True)
class Due:
    """One step of the cycle due on the day, the flow that runs it, and whether it already ran."""

    flow: CycleFlow
    milestone: ScheduledMilestone
    step: Step | None  # None for a one-off milestone (appraisal, review, summary)
    event: tuple[str, str]  # (kind, key) recorded once it has run
    done: bool
    day: date  # the day it is due on (a catch-up day when later than the step's own)
    supersedes: tuple[Step, ...] = ()  # missed steps this one replaces: noted and recorded when it runs

    @property
    def key(self) -> str:
        """The step's name within the cycle: `launch`, `remind-7d`, `escalate-1wd-unit_head`, `appraisal`."""
        return self.step.code if self.step else self.flow.value

    def label(self) -> str:
        """What it does, in words: `nhắc hạn (còn 7 ngày, hạn 01/12/2025)`."""
        step, when = self.step, ddmmyyyy(self.milestone.date) if self.milestone.date else "?"
        if step is None:
            return f"{self.flow.label} ({when})"
        words = MESSAGE[step.message]
        if step.message == "reminder":
            assert self.milestone.date is not None
            return f"{words} (còn {step.days_on(self.milestone.date, self.day)} ngày, hạn {when})"
        if step.message == "launch" or step.before_deadline:
            return f"{words} ({when})"
        return f"{words} (quá hạn {step.offset} ngày làm việc, hạn {when})"


@dataclass
class Agenda:
    """Everything due for one cycle on one day, and the catch-up notes."""

    due: list[Due] = field(default_factory=list)

    def to_run(self) -> list[Due]:
        """The due steps that have not run yet, in cycle order."""
        return [d for d in self.due if not d.done]

    def find(self, key: str) -> Due | None:
        return next((d for d in self.due if d.key == key), None)


def _launch(cycle: CycleDates, sending: bool) -> list[Due]:
    """The launch notice, from the launch day until the deadline, on sending days."""
    launch = cycle.milestones.get("launch")
    deadline = cycle.chased[0].date if cycle.chased else None
    if launch is None or launch.date is None or not sending or not launch.date <= cycle.as_of:
        return []
    if deadline and cycle.as_of > deadline:
        return []
    step = Step("launch", "launch", "focal", launch.date, 0)
    return [Due(CycleFlow.notify, launch, step, ("launch", "launch"), cycle.done("launch", "launch"), cycle.as_of)]


def _chase(cycle: CycleDates, milestone: ScheduledMilestone, sending: bool) -> list[Due]:
    """The reminder (latest due) and escalations (each due, unless stale) of one chased milestone."""
    assert milestone.date is not None
    due = due_on(ladder(cycle.plan, milestone.date, cycle.calendar), cycle.as_of, milestone.date, sending)
    steps = ([due.reminder] if due.reminder else []) + due.escalations
    entries = [Due(CycleFlow.notify, milestone, s, (s.message, s.code), cycle.done(s.message, s.code), cycle.as_of) for s in steps]
    missed = [s for s in due.superseded if due.reminder] + due.stale
    missed = [s for s in missed if not cycle.done(s.message, s.code)]
    first = next((i for i, d in enumerate(entries) if not d.done), None)
    if missed and first is not None:  # noted by the first step that runs today
        d = entries[first]
        entries[first] = replace(d, supersedes=tuple(missed))
    return entries


def _one_offs(cycle: CycleDates) -> list[Due]:
    entries = []
    for flow, kind in ONE_OFF.items():
        m = cycle.milestones.get(kind)
        if m is not None and m.date is not None and m.date <= cycle.as_of <= m.date + ONE_OFF_GRACE:
            entries.append(Due(flow, m, None, (kind, str(cycle.year)), cycle.done(kind, str(cycle.year)), cycle.as_of))
    return entries


def agenda(cycle: CycleDates) -> Agenda:
    """Every step due for the cycle on `cycle.as_of` (run or not), in cycle order."""
    sending = is_sending_day(cycle.plan, cycle.calendar, cycle.as_of)
    due = _launch(cycle, sending)
    for milestone in cycle.chased:
        due += _chase(cycle, milestone, sending)
    return Agenda(due + _one_offs(cycle))


@dataclass(frozen=True)
class StepBatch:
    """A due step, the units it reaches now, the drafts to write for them, and the notes it makes."""

    due: Due
    units: list[UnitStatus]
    drafts: list[Draft]
    notes: list[str]

    @property
    def channels(self) -> Counter[str]:
        return Counter(d.channel for d in self.drafts)

    def describe(self) -> str:
        """One Vietnamese line: what, to how many units, through which channels."""
        words = self.due.label()
        if not self.units:
            return f"{words}: không còn đơn vị nào phải nhắc"
        names = ", ".join(s.unit.name for s in self.units[:6]) + (" …" if len(self.units) > 6 else "")
        via = ", ".join(f"{ch} {n}" for ch, n in sorted(self.channels.items())) or "không có địa chỉ nhận"
        return f"{words}: {len(self.units)} đơn vị — {names} [{via}]"


def _not_reached(state: CycleState, event: tuple[str, str], statuses: list[UnitStatus]) -> list[UnitStatus]:
    recorded = state.events.get(event)
    reached = recorded.units if recorded else frozenset()
    return [s for s in statuses if s.unit.code not in reached]


def _notes(state: CycleState, due: Due) -> list[str]:
    step, notes = due.step, []
    assert step is not None
    if step.send_on < state.as_of:
        what = "thông báo phát động (ngày phát động" if step.message == "launch" else f"bước {step.code} (đến hạn"
        notes.append(f"Gửi bù {what} {ddmmyyyy(step.send_on)})")
    for missed in due.supersedes:
        if missed.before_deadline:
            notes.append(f"Bỏ qua bước {missed.code} đã lỡ ngày {ddmmyyyy(missed.send_on)}: đã thay bằng {step.code}")
        else:
            notes.append(f"Không gửi bước {missed.code} (đến hạn {ddmmyyyy(missed.send_on)}, quá {STALE_AFTER.days} ngày)")
    return notes


def batch(state: CycleState, due: Due) -> StepBatch | None:
    """What a due step does now: the units not reached yet and their drafts; None when nothing is left to do.

    A step that never ran yields a batch even with no unit left, so that it is recorded once.
    """
    step = due.step
    if step is None:
        return None
    audience = list(state.units) if step.message == "launch" else [s for s in state.units if not s.dossier.complete]
    units = _not_reached(state, due.event, audience)
    per_unit = step.target in ("focal", "unit_head")
    if due.done and (not units or not per_unit):
        return None
    if per_unit:
        drafts = unit_drafts(state, due.milestone, step, units)
    else:
        drafts = aggregate_drafts(state, due.milestone, step, audience)
    return StepBatch(due, units, drafts, _notes(state, due))


def after(state: CycleState, work: StepBatch) -> CycleState:
    """The state once `work` is recorded: its step reached its units, the steps it replaces are skipped."""
    day, due = state.as_of, work.due
    done = Event(*due.event, day, frozenset(s.unit.code for s in work.units))
    missed = [Event(m.message, m.code, day, skipped=True) for m in due.supersedes]
    return with_events(state, [done, *missed])
