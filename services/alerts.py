"""The administrator's alert: a message to each plan's standing agency, once a day per problem, through a channel
that still works."""

from collections.abc import Iterable, Mapping
from datetime import date

from sqlmodel import Session

from notifications.outbox import enqueue
from services.plans import active_plans
from services.runtime import instant_on, renderer
from thidua.cycle.drafts import alert_drafts


def enqueue_alerts(session: Session, day: date, issues: Mapping[str, str], down: Iterable[str]) -> int:
    """Write one alert per plan and problem of `day` (again on a re-run: nothing new); returns how many are new."""
    stopped = set(down)
    drafts = [
        draft
        for plan in active_plans().values()
        for key, line in issues.items()
        for draft in alert_drafts(plan, day, key, [line], stopped)
    ]
    return enqueue(session, drafts, renderer(), now=instant_on(day)) if drafts else 0
