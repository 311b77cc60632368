"""Where a cycle stands and what comes next: its milestones and what is owed in date order, each done, next,
upcoming, overdue or waiting, and the next things the service (or the administrator) will do."""

from dataclasses import dataclass
from datetime import date
from typing import Literal

from thidua.cycle.decide import LAUNCH, ONE_OFF, ONE_OFF_GRACE
from thidua.cycle.ladder import Step, due_on, ladder
from thidua.cycle.state import CycleState, Occurrence, step_key
from thidua.cycle.titles import LAUNCH_WORDS, ladder_words
from thidua.plan.schema import AdminRule
from thidua.words import FLOW, long_date

Standing = Literal["done", "next", "upcoming", "overdue", "awaiting_guidance", "pending"]

STANDING_WORDS: dict[Standing, str] = {
    "done": "✔ đã xong",
    "next": "➜ tiếp theo",
    "upcoming": "sắp tới",
    "overdue": "⚠ quá hạn",
    "awaiting_guidance": "chờ hướng dẫn",
    "pending": "chờ nhập ngày",
}
LISTED = 5  # owners named in a note; the rest are counted
RUN_LATE = "quá hạn, chưa chạy — lần điều phối tới sẽ chạy bù; chạy ngay: thidua tick"
SEND_LATE = "quá hạn, chưa gửi — lần điều phối tới sẽ gửi bù; gửi ngay: thidua tick"


@dataclass(frozen=True)
class Line:
    """One milestone, or one deadline of something owed, as it stands on the state's day."""

    day: date | None
    what: str
    standing: Standing
    note: str = ""


@dataclass(frozen=True)
class Action:
    """Something that will happen on a day: a step the service takes, or a date the administrator must enter."""

    day: date | None  # None: waits for the administrator
    what: str


def _behind(state: CycleState, occurrence: Occurrence) -> list[str]:
    """The owners of `occurrence` who have not delivered it, as `Name (code)`."""
    return [f"{s.unit.name} ({s.unit.code})" for s in state.units if s.behind(occurrence.key)]


def _owed_note(state: CycleState, occurrence: Occurrence) -> str:
    owners = sum(occurrence.key in s.deliveries for s in state.units)
    behind = _behind(state, occurrence)
    if not behind:
        return f"{owners}/{owners} đã nộp đủ" if owners else "không đơn vị nào phải nộp"
    named = ", ".join(behind[:LISTED]) + (f" và {len(behind) - LISTED} đơn vị khác" if len(behind) > LISTED else "")
    return f"{len(behind)}/{owners} chưa nộp đủ: {named}"


def _occurrence_line(state: CycleState, occurrence: Occurrence) -> Line:
    if occurrence.status != "scheduled":
        return Line(occurrence.deadline, occurrence.name, occurrence.status, occurrence.guidance or occurrence.milestone.rule)
    assert occurrence.deadline is not None
    behind = any(s.behind(occurrence.key) for s in state.units)
    passed = occurrence.deadline < state.as_of
    standing: Standing = ("overdue" if behind else "done") if passed else "upcoming"
    return Line(occurrence.deadline, occurrence.name, standing, _owed_note(state, occurrence))


def _milestone_line(state: CycleState, kind: str) -> Line:
    m = state.milestones[kind]
    if m.date is None:
        return Line(None, m.label, "awaiting_guidance" if m.status == "awaiting_guidance" else "pending", m.rule)
    flows = [flow for flow, flow_kind in ONE_OFF.items() if flow_kind == kind]
    if flows:
        ran = state.done(kind, str(state.year))
        note = f"{FLOW[flows[0]]}: {'đã chạy' if ran else 'chưa chạy'}"
        return Line(m.date, m.label, "done" if ran else ("overdue" if m.date < state.as_of else "upcoming"), note)
    return Line(m.date, m.label, "done" if m.date < state.as_of else "upcoming")


def timeline(state: CycleState) -> list[Line]:
    """Every milestone and every deadline of something owed, in date order (undated last); the first not done on or
    after the state's day is `next` (with any other on the same day)."""
    deadlines = {o.milestone.kind for o in state.occurrences}
    lines = [_occurrence_line(state, o) for o in state.occurrences]
    lines += [_milestone_line(state, kind) for kind in state.milestones if kind not in deadlines]
    lines.sort(key=lambda line: (line.day is None, line.day or date.max))
    ahead = [line.day for line in lines if line.standing == "upcoming" and line.day and line.day >= state.as_of]
    first = min(ahead, default=None)
    return [Line(ln.day, ln.what, "next", ln.note) if ln.standing == "upcoming" and ln.day == first else ln for ln in lines]


def _missed(state: CycleState, occurrence: Occurrence, steps: list[Step], deadline: date) -> list[Step]:
    """Steps whose day has passed without them and that the next run still sends (catch-up, `due_on`)."""
    due = due_on(steps, state.as_of, deadline, is_sending_day=True)
    caught_up = ([due.reminder] if due.reminder else []) + due.escalations
    return [s for s in caught_up if s.send_on < state.as_of and not state.done(s.message, step_key(occurrence, s.code))]


def _ladder_actions(state: CycleState, occurrence: Occurrence) -> list[Action]:
    """The steps still to come for `occurrence` while owners are behind on it (reminders only before the deadline),
    after any step whose day passed without it and that the next run sends late."""
    deadline = occurrence.deadline
    behind = [s for s in state.units if s.behind(occurrence.key)]
    if deadline is None or not behind:
        return []
    steps = ladder(state.plan, occurrence.deliverable, deadline, state.calendar)
    missed = _missed(state, occurrence, steps, deadline)
    to_come = [s for s in steps if s.send_on >= state.as_of and not state.done(s.message, step_key(occurrence, s.code))]
    actions = []
    for step in [*missed, *to_come]:
        if step.before_deadline and state.as_of > deadline:
            continue
        words = f"{ladder_words(state.plan, step.code)}: {occurrence.name} (hạn {long_date(deadline)}; {len(behind)} đơn vị chưa nộp đủ)"
        actions.append(Action(step.send_on, f"{words}: {SEND_LATE}" if step in missed else words))
    return actions


def _launch_action(state: CycleState) -> list[Action]:
    """The launch notice not sent yet: to come, or late while the next run still sends it (until the last deadline)."""
    launch = state.milestones.get(LAUNCH)
    if not launch or not launch.date or state.done(LAUNCH, LAUNCH):
        return []
    if launch.date >= state.as_of:
        return [Action(launch.date, LAUNCH_WORDS)]
    deadlines = [o.deadline for o in state.chased if o.deadline]
    if deadlines and state.as_of > max(deadlines):
        return []
    return [Action(launch.date, f"{LAUNCH_WORDS}: {SEND_LATE}")]


def _one_off_action(state: CycleState, flow: str, day: date) -> Action:
    """A one-off flow not run yet: to come; late, run by the next run within the grace; else only by hand."""
    if day >= state.as_of:
        return Action(day, FLOW[flow])
    if state.as_of <= day + ONE_OFF_GRACE:
        return Action(day, f"{FLOW[flow]}: {RUN_LATE}")
    form = FLOW[flow][:1].upper() + FLOW[flow][1:]
    return Action(day, f"{FLOW[flow]}: quá hạn, chưa chạy — đã quá {ONE_OFF_GRACE.days} ngày, bộ điều phối không tự chạy bù; "
                       f"chạy bằng biểu mẫu “Chạy lại một bước” (Bước: {form}) trên Prefect UI")  # fmt: skip


def next_actions(state: CycleState) -> list[Action]:
    """What happens next, by date: each occurrence's next step, the launch notice and the one-off flows not yet run
    (first those whose day has passed: they are overdue, with how they will run), then the dates only the
    administrator can enter."""
    actions = _launch_action(state)
    for occurrence in state.chased:
        actions += _ladder_actions(state, occurrence)[:1]
    for flow, kind in ONE_OFF.items():
        m = state.milestones.get(kind)
        if m and m.date and not state.done(kind, str(state.year)):
            actions.append(_one_off_action(state, flow, m.date))
    dated = sorted((a for a in actions if a.day), key=lambda a: a.day or date.max)
    return dated + [Action(None, _enter_date(state, m.kind)) for m in state.milestones.values() if _entered_by_hand(state, m.kind)]


def _entered_by_hand(state: CycleState, kind: str) -> bool:
    """A pending milestone whose date only the administrator can give (not one computed from another)."""
    milestone = state.plan.milestone(kind)
    return state.milestones[kind].status == "pending" and milestone is not None and isinstance(milestone.rule, AdminRule)


def _enter_date(state: CycleState, kind: str) -> str:
    m, plan = state.milestones[kind], state.plan
    return f"quản trị viên nhập ngày “{m.label}”: thidua cycle set-date --plan {plan.code} --year {state.year} --milestone {kind} --date …"
