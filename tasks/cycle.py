"""Prefect tasks of a cycle step: read the cycle, write what a step sends, record what ran.

Each task handles a whole batch (never one task per unit or per message), so the number of task runs
per flow stays constant whatever the number of units.
"""

from datetime import date
from itertools import islice

from prefect.cache_policies import NO_CACHE

from models.db import session_scope
from models.queries.cycle import load_state
from models.queries.events import record_event
from notifications.outbox import enqueue
from services.plans import active_plans
from services.runtime import instant_on, message_renderer
from tasks.naming import named_task
from thidua.cycle.decide import StepBatch
from thidua.cycle.state import CycleState

ENQUEUE_CHUNK = 1000  # drafts rendered and inserted at a time, so memory does not grow with the unit count


@named_task("đọc trạng thái chu kỳ", cache_policy=NO_CACHE)
def read_cycle(plan: str, year: int, day: date) -> CycleState:
    """The cycle's dates, units, dossiers and recorded steps as of the end of `day`."""
    with session_scope() as session:
        return load_state(session, active_plans()[plan], year, day)


@named_task("ghi tin nhắn vào hộp thư đi", cache_policy=NO_CACHE)
def write_step(state: CycleState, work: StepBatch) -> int:
    """Write the step's drafts and record the step (and the missed steps it replaces) in one transaction."""
    plan, year, day = state.plan.code, state.year, state.as_of
    due = work.due
    with session_scope() as session:
        drafts, written = iter(work.drafts), 0
        while chunk := list(islice(drafts, ENQUEUE_CHUNK)):
            written += enqueue(session, chunk, message_renderer(session), now=instant_on(day))
        units = [s.unit.code for s in work.units]
        record_event(session, plan, year, *due.event, day, units, milestone=due.milestone.kind, channels=dict(work.channels))
        for missed in due.supersedes:
            record_event(session, plan, year, missed.message, missed.code, day, milestone=due.milestone.kind, skipped=True)
    return written


@named_task("ghi nhận mốc đã chạy", cache_policy=NO_CACHE)
def record_done(plan: str, year: int, day: date, event: tuple[str, str]) -> None:
    with session_scope() as session:
        record_event(session, plan, year, *event, day)
