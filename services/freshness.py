"""The outbox's check at send time (`notifications.outbox.StillTrue`), backed by the database: is each
message still true today, and what does it say today?"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row

from models.db import session_scope
from models.queries.cycle import load_state
from notifications.outbox import Restated, StillTrue
from services.plans import active_plans
from services.runtime import message_renderer
from thidua.cycle.restate import CHECKED, Written, restate
from thidua.dates import local_day


def still_true(engine: Engine) -> StillTrue:
    """The check of the outbox's rows against the database of `engine`."""
    return lambda rows, now: _verdicts(engine, rows, now)


def _verdicts(engine: Engine, rows: Sequence[Row[Any]], now: datetime) -> Mapping[int, Restated]:
    """For each of `rows` that no longer holds on `now`'s day, why; for each that reads differently, its new text."""
    groups: dict[tuple[str, int], list[Row[Any]]] = defaultdict(list)
    for row in rows:
        if row.kind in CHECKED:
            groups[(row.plan, row.year)].append(row)
    if not groups:
        return {}
    plans, verdicts = active_plans(), {}
    with session_scope(engine) as session:
        render = message_renderer(session).render
        for (code, year), group in groups.items():
            if code not in plans:  # a plan file since removed: its messages go out as written
                continue
            state = load_state(session, plans[code], year, local_day(now))
            for row in group:
                verdict = restate(state, Written(row.kind, row.unit_code, row.milestone, row.step, row.channel))
                if isinstance(verdict, str):
                    verdicts[row.id] = Restated(expired=verdict)
                elif verdict is not None:
                    rendered = render(verdict.context)
                    if (rendered.subject, rendered.text) != (row.subject, row.body_text):
                        verdicts[row.id] = Restated(rendered=rendered)
    return verdicts
