"""The outbox's check at send time (`notifications.outbox.StillTrue`), backed by the database: is each
message still true today, and what does it say today?"""

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row

from models.db import session_scope
from models.queries.cycle import load_state
from notifications.outbox import Restated, StillTrue
from notifications.render import Rendered
from services.plans import active_plans
from services.runtime import message_renderer
from thidua.cycle.drafts import MessageContext
from thidua.cycle.restate import CHECKED, Written, restate
from thidua.cycle.state import CycleState
from thidua.dates import local_day
from thidua.errors import fault_line


def still_true(engine: Engine) -> StillTrue:
    """The check of the outbox's rows against the database of `engine`."""
    return lambda rows, now: _verdicts(engine, rows, now)


def _verdicts(engine: Engine, rows: Sequence[Row[Any]], now: datetime) -> Mapping[int, Restated]:
    """For each of `rows` that no longer holds on `now`'s day, why; for each that reads differently, its new text;
    for each whose plan cannot be worked out now, why it waits."""
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
            try:
                with session.begin_nested():
                    state = load_state(session, plans[code], year, local_day(now))
            except Exception as exc:  # noqa: BLE001  (one plan's fault must not stop the other plans' messages)
                held = Restated(held=f"chưa gửi: không kiểm tra được tin còn đúng không vì kế hoạch {code} tính lỗi ({fault_line(exc)}); gửi lại khi sửa xong")
                verdicts |= {row.id: held for row in group}
                continue
            verdicts |= _restated(state, group, render)
    return verdicts


def _restated(state: CycleState, group: list[Row[Any]], render: Callable[[MessageContext], Rendered]) -> dict[int, Restated]:
    """The rows of one cycle that no longer hold (why) or read differently (their new text)."""
    verdicts = {}
    for row in group:
        verdict = restate(state, Written(row.kind, row.unit_code, row.milestone, row.step, row.channel))
        if isinstance(verdict, str):
            verdicts[row.id] = Restated(expired=verdict)
        elif verdict is not None:
            rendered = render(verdict.context)
            if (rendered.subject, rendered.text) != (row.subject, row.body_text):
                verdicts[row.id] = Restated(rendered=rendered)
    return verdicts
