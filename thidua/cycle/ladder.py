"""The reminder ladder before a deadline and the escalation ladder after it: pure date logic.

Catch-up rule: a run on day D sends the most recent reminder step that is due (older missed reminder
steps are superseded, so a unit never gets a burst), never a "before the deadline" reminder after the
deadline, and every escalation step that is due (each goes to a different person), unless it is older
than `STALE_AFTER` — then it is reported as skipped rather than sent weeks late.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from thidua.calendar import WorkingCalendar
from thidua.plan.schema import Deliverable, EscalationTarget, Plan

STALE_AFTER = timedelta(days=14)  # a step missed for longer is reported, not sent (e.g. a cycle before deployment)

ESCALATION_MESSAGES = {
    EscalationTarget.unit_head: "escalation_head",
    EscalationTarget.standing_agency: "escalation_agency",
    EscalationTarget.chairman: "escalation_chairman",
}


@dataclass(frozen=True)
class Step:
    """One rung of a ladder: what is sent, to whom, on which day."""

    code: str  # stable key in the outbox: remind-14d, deadline-day, escalate-3wd-standing_agency
    message: str  # the message it sends: launch, reminder, deadline_day, escalation_head, ...
    target: Literal["focal", "unit_head", "standing_agency", "chairman"]
    send_on: date
    offset: int  # calendar days before the deadline, or working days after it

    @property
    def before_deadline(self) -> bool:
        return self.message in ("reminder", "deadline_day")

    def days_on(self, deadline: date, day: date) -> int:
        """The number a message of this step sent on `day` states: calendar days left, or working days late."""
        return (deadline - day).days if self.before_deadline else self.offset

    @property
    def per_unit(self) -> bool:
        return self.target in ("focal", "unit_head")


def ladder(plan: Plan, deliverable: Deliverable, deadline: date, cal: WorkingCalendar) -> list[Step]:
    """All steps of `deliverable` for an effective `deadline`, in date order (its own ladders, else the plan's);
    reminders that land on the same day keep the later one."""
    reminders = deliverable.reminders or plan.reminders
    escalation_rules = plan.escalations if deliverable.escalations is None else deliverable.escalations
    by_day: dict[date, Step] = {}
    for days in sorted(set(reminders.before_days), reverse=True):
        send_on = deadline - timedelta(days=days)
        if reminders.working_days_only:
            send_on = cal.previous_working_day(send_on)
        code, message = ("deadline-day", "deadline_day") if days == 0 else (f"remind-{days}d", "reminder")
        by_day[send_on] = Step(code, message, "focal", send_on, days)
    escalations = [
        Step(
            f"escalate-{e.after_working_days}wd-{e.to.value}",
            ESCALATION_MESSAGES[e.to],
            e.to.value,
            cal.add_working_days(deadline, e.after_working_days),
            e.after_working_days,
        )
        for e in escalation_rules
    ]
    return sorted([*by_day.values(), *escalations], key=lambda s: (s.send_on, s.offset))


@dataclass(frozen=True)
class Due:
    """What a run on one day should send, and which missed steps it deliberately does not."""

    reminder: Step | None
    escalations: list[Step]
    superseded: list[Step]  # missed reminder steps replaced by a later one
    stale: list[Step]  # escalations too old to send now


def due_on(steps: Sequence[Step], today: date, deadline: date, is_sending_day: bool) -> Due:
    """The steps due on `today`; nothing at all on a day messages do not go out."""
    if not is_sending_day:
        return Due(None, [], [], [])
    reminders = [s for s in steps if s.before_deadline and s.send_on <= today] if today <= deadline else []
    escalations = [s for s in steps if not s.before_deadline and s.send_on <= today]
    fresh = [s for s in escalations if today - s.send_on <= STALE_AFTER]
    return Due(
        reminder=reminders[-1] if reminders else None,
        escalations=fresh,
        superseded=reminders[:-1],
        stale=[s for s in escalations if s not in fresh],
    )


def is_sending_day(plan: Plan, cal: WorkingCalendar, day: date) -> bool:
    """Whether messages go out on `day`: working days only, unless the plan says otherwise."""
    return not plan.reminders.working_days_only or cal.is_working_day(day)
