"""When a cycle closes: the end of the time its owners can still hand things in (and their links still work).

A cycle closes at the end of its last dated milestone — usually the quarter-I review of the next year —
and never earlier than `LATE_GRACE` after the last deadline a unit owes, so that late documents and
replacements of rejected ones can still arrive. Milestones whose date is not set yet do not count; once
an administrator sets one later, the cycle closes later, with the same links.
"""

from datetime import date, datetime, timedelta

from thidua.cycle.state import CycleDates
from thidua.dates import end_of_day
from thidua.plan.schema import Owner

LATE_GRACE = timedelta(days=30)


def closing_day(cycle: CycleDates) -> date | None:
    """The last day of the cycle; None while no milestone of it has a date."""
    dated = [m.date for m in cycle.milestones.values() if m.date is not None]
    owed = [o.deadline + LATE_GRACE for o in cycle.occurrences if o.deadline and o.deliverable.owner is Owner.units]
    return max(dated + owed) if dated else None


def closes_at(cycle: CycleDates) -> datetime | None:
    """The instant the cycle closes (the end of its last day, Vietnam time); None while no date is known."""
    day = closing_day(cycle)
    return end_of_day(day) if day else None
