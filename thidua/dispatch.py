"""Which cycle flows are due for a plan on a day — from dates and recorded events only, no unit scan.

A quiet day therefore costs one read of the cycle's dates and events per plan, whatever the unit count.
"""

from collections.abc import Container, Mapping
from datetime import date

from thidua.chase import due_on, is_sending_day, ladder
from thidua.plan.schedule import ScheduledMilestone
from thidua.plan.schema import Plan
from thidua.planner import milestone_due_on
from thidua.calendar import WorkingCalendar

ONE_OFF = {"appraisal_deadline": "appraisal", "annual_review": "annual_review", "phase_summary": "phase_summary"}


def candidate_years(plan: Plan, as_of: date) -> list[int]:
    """Cycles that can have something due on `as_of`: this year's and last year's (reviews fall in Q1)."""
    return [y for y in (as_of.year - 1, as_of.year) if y in plan.cycle_years]


def due_flows(
    plan: Plan,
    year: int,
    as_of: date,
    milestones: Mapping[str, ScheduledMilestone],
    done: Container[tuple[str, str]],
    cal: WorkingCalendar,
) -> list[str]:
    """Names of the flows to run for (plan, year) on `as_of`, in cycle order."""
    flows = []
    chased = [m for m in milestones.values() if m.chase and m.date]
    deadline = chased[0].date if chased else None
    launch = milestones.get("launch")
    sending_day = is_sending_day(plan, cal, as_of)
    if (
        sending_day
        and launch
        and launch.date
        and launch.date <= as_of
        and (deadline is None or as_of <= deadline)
        and ("launch", "launch") not in done
    ):
        flows.append("launch")
    for m in chased:
        assert m.date is not None
        due = due_on(ladder(plan, m.date, cal), as_of, m.date, sending_day)
        steps = ([due.reminder] if due.reminder else []) + due.escalations
        if any((s.kind, s.code) not in done for s in steps):
            flows.append("chase")
            break
    for kind, flow in ONE_OFF.items():
        milestone = milestones.get(kind)
        if milestone and milestone_due_on(milestone, as_of) and (kind, str(year)) not in done:
            flows.append(flow)
    return flows
