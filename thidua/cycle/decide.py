"""The one decider: for a cycle on a day, what is due — which flows, which steps, for which owners.

`agenda(cycle)` reads dates and recorded steps only, so the daily dispatcher can ask it for every plan
whatever the number of units; `batch(state, due)` adds the owners a due step reaches now and the drafts
it writes. Each deliverable's occurrence is chased on its own deadline with its own ladder, keyed by
that deadline (a moved deadline gets a ladder of its own). A step already recorded for an owner is
never written for it again, so re-running a day yields nothing new. Catch-up rules live with the
ladder (`thidua.cycle.ladder`).
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from thidua.cycle.drafts import Draft, aggregate_drafts, launch_drafts, unit_drafts
from thidua.cycle.ladder import STALE_AFTER, Step, due_on, is_sending_day, ladder
from thidua.cycle.state import AGENCY, CycleDates, CycleState, Event, Occurrence, UnitStatus, step_key, with_events
from thidua.cycle.titles import LAUNCH_WORDS, ladder_words
from thidua.plan.milestones import ScheduledMilestone
from thidua.words import FLOW, MESSAGE, RESULT, ddmmyyyy

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

    @property
    def tag(self) -> str:
        """The Prefect tag of its runs: `nhắc hạn`, `thẩm định`, `tổng kết năm`, `sơ kết giai đoạn`."""
        return RESULT[self]


ONE_OFF = {  # flow -> the milestone whose day runs it once a year
    CycleFlow.appraisal: "appraisal_deadline",
    CycleFlow.annual_review: "annual_review",
    CycleFlow.phase_summary: "phase_summary",
}
LAUNCH = "launch"


@dataclass(frozen=True)
class Due:
    """One step of the cycle due on the day, the flow that runs it, and whether it already ran."""

    flow: CycleFlow
    milestone: ScheduledMilestone  # the launch, an occurrence's deadline, or a one-off milestone
    step: Step | None  # None for a one-off milestone (appraisal, review, summary)
    event: tuple[str, str]  # (kind, key) recorded once it has run
    done: bool
    day: date  # the day it is due on (a catch-up day when later than the step's own)
    occurrence: Occurrence | None = None  # what the owners are chased for (reminders, escalations)
    supersedes: tuple[Step, ...] = ()  # missed steps this one replaces: noted and recorded when it runs

    @property
    def key(self) -> str:
        """The step within the cycle: `launch`, `<deliverable>/<milestone>@<deadline>/remind-7d`, `appraisal`."""
        return self.event[1] if self.step else self.flow.value

    def label(self) -> str:
        """What it does, in words: `Nhắc hạn: Hồ sơ đề nghị khen thưởng (còn 7 ngày, hạn 01/12/2025)`."""
        step, when = self.step, ddmmyyyy(self.milestone.date) if self.milestone.date else "?"
        if step is None:
            return f"{self.flow.label} ({when})"
        words = MESSAGE[step.message] + (f": {self.occurrence.name}" if self.occurrence else "")
        if step.message == "reminder":
            assert self.milestone.date is not None
            return f"{words} (còn {step.days_on(self.milestone.date, self.day)} ngày, hạn {when})"
        if step.message == LAUNCH or step.before_deadline:
            return f"{words} ({when})"
        return f"{words} (quá hạn {step.offset} ngày làm việc, hạn {when})"


@dataclass
class Agenda:
    """Everything due for one cycle on one day."""

    due: list[Due] = field(default_factory=list)

    def to_run(self) -> list[Due]:
        """The due steps that have not run yet, in cycle order."""
        return [d for d in self.due if not d.done]

    def find(self, key: str) -> Due | None:
        return next((d for d in self.due if d.key == key), None)


def _launch(cycle: CycleDates, sending: bool) -> list[Due]:
    """The launch notice, from the launch day until the last known deadline of the cycle, on sending days."""
    launch = cycle.milestones.get(LAUNCH)
    deadlines = [o.deadline for o in cycle.chased if o.deadline]
    if launch is None or launch.date is None or not sending or not launch.date <= cycle.as_of:
        return []
    if deadlines and cycle.as_of > max(deadlines):
        return []
    step = Step(LAUNCH, LAUNCH, "focal", launch.date, 0)
    return [Due(CycleFlow.notify, launch, step, (LAUNCH, LAUNCH), cycle.done(LAUNCH, LAUNCH), cycle.as_of)]


def _chase(cycle: CycleDates, occurrence: Occurrence, sending: bool) -> list[Due]:
    """The reminder (latest due) and escalations (each due, unless stale) of one occurrence."""
    deadline = occurrence.deadline
    assert deadline is not None
    steps = ladder(cycle.plan, occurrence.deliverable, deadline, cal=cycle.calendar)
    due = due_on(steps, cycle.as_of, deadline, sending)
    entries = []
    for s in ([due.reminder] if due.reminder else []) + due.escalations:
        event = (s.message, step_key(occurrence, s.code))
        entries.append(Due(CycleFlow.notify, occurrence.milestone, s, event, cycle.done(*event), cycle.as_of, occurrence))
    missed = [s for s in due.superseded if due.reminder] + due.stale
    missed = [s for s in missed if not cycle.done(s.message, step_key(occurrence, s.code))]
    first = next((i for i, d in enumerate(entries) if not d.done), None)
    if missed and first is not None:  # noted by the first step that runs today
        entries[first] = replace(entries[first], supersedes=tuple(missed))
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
    for occurrence in cycle.chased:
        due += _chase(cycle, occurrence, sending)
    return Agenda(due + _one_offs(cycle))


@dataclass(frozen=True)
class StepBatch:
    """A due step, the owners it reaches now, the drafts to write for them, and the notes it makes."""

    due: Due
    units: list[UnitStatus]
    drafts: list[Draft]
    notes: list[str]

    @property
    def channels(self) -> Counter[str]:
        return Counter(d.channel for d in self.drafts)

    def describe(self) -> str:
        """One Vietnamese line: what, to how many owners, through which channels."""
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
    """What a step sent late, or a missed step it replaces or leaves out, in the words people use for the steps."""
    step, notes = due.step, []
    assert step is not None

    def words(s: Step) -> str:
        return f"bước “{ladder_words(state.plan, s.code)}”"

    if step.send_on < state.as_of:
        what = f"{LAUNCH_WORDS} (ngày phát động" if step.message == LAUNCH else f"{words(step)} (đến hạn"
        notes.append(f"Gửi bù {what} {ddmmyyyy(step.send_on)})")
    for missed in due.supersedes:
        if missed.before_deadline:
            notes.append(f"Bỏ qua {words(missed)} đã lỡ ngày {ddmmyyyy(missed.send_on)}: đã thay bằng {words(step)}")
        else:
            notes.append(f"Không gửi {words(missed)} (đến hạn {ddmmyyyy(missed.send_on)}, quá {STALE_AFTER.days} ngày)")
    return notes


def _audience(state: CycleState, due: Due) -> list[UnitStatus]:
    """Who a step concerns: every participating unit for the launch, else the owners behind on the occurrence."""
    if due.occurrence is None:
        return [s for s in state.units if s.unit.code != AGENCY]
    return [s for s in state.units if s.behind(due.occurrence.key)]


def batch(state: CycleState, due: Due) -> StepBatch | None:
    """What a due step does now: the owners not reached yet and their drafts; None when nothing is left to do.

    A step that never ran yields a batch even with no owner left, so that it is recorded once.
    """
    step = due.step
    if step is None:
        return None
    audience = _audience(state, due)
    units = _not_reached(state, due.event, audience)
    per_unit = step.target in ("focal", "unit_head")
    if due.done and (not units or not per_unit):
        return None
    if due.occurrence is None:
        drafts = launch_drafts(state, due.milestone, step, units)
    elif per_unit:
        drafts = unit_drafts(state, due.occurrence, step, units)
    else:
        drafts = aggregate_drafts(state, due.occurrence, step, audience)
    return StepBatch(due, units, drafts, _notes(state, due))


def after(state: CycleState, work: StepBatch) -> CycleState:
    """The state once `work` is recorded: its step reached its owners, the steps it replaces are skipped."""
    day, due = state.as_of, work.due
    done = Event(*due.event, day, frozenset(s.unit.code for s in work.units))
    assert due.occurrence is not None or not due.supersedes
    missed = [Event(m.message, step_key(due.occurrence, m.code), day, skipped=True) for m in due.supersedes]  # type: ignore[arg-type]
    return with_events(state, [done, *missed])
