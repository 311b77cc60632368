"""One sending step of a cycle: the launch notice, a reminder before a deadline, or an escalation after it."""

from datetime import date
from typing import Any

from prefect import flow
from prefect.utilities.annotations import quote

from flows.naming import step_run_name
from services.runtime import today
from tasks.cycle import read_cycle, write_step
from tasks.publish import publish_status
from tasks.send import Sending, send_messages
from thidua.cycle.decide import CycleFlow, after, agenda, batch
from thidua.cycle.titles import cycle_title, step_title
from thidua.plan.schema import Plan


@flow(name="Thông báo và nhắc hạn", flow_run_name=step_run_name)
def notify(plan: str, year: int, step: str, as_of: date | None = None) -> dict[str, Any]:
    """Gửi một bước của chu kỳ (thông báo phát động, nhắc hạn, báo cáo chậm nộp); không gửi lại tin đã gửi.

    Args:
        plan: mã kế hoạch
        year: năm của chu kỳ
        step: bước, ví dụ ho_so_khen_thuong/submission_deadline@2025-12-01/remind-7d
        as_of: chạy như vào ngày này (để trống: hôm nay)
    """
    day = as_of or today()
    state = read_cycle(plan, year, day)
    due = agenda(state).find(step)
    work = batch(state, due) if due else None
    if work is None:
        return step_result(CycleFlow.notify, state.plan, year, step, day, [f"{step_title(state.plan, step)}: không có việc đến hạn"])
    written = write_step(quote(state), quote(work))  # quote: Prefect does not walk the 10,000 units for futures
    sending = send_messages(day) if written else Sending()
    lines = [work.describe(), *work.notes, *sending.problems]
    publish_status(quote(after(state, work)), lines)
    return step_result(CycleFlow.notify, state.plan, year, step, day, lines, sending)


def step_result(
    flow: CycleFlow, plan: Plan, year: int, step: str, day: date, lines: list[str], sending: Sending | None = None
) -> dict[str, Any]:
    """What a cycle flow returns: the lines the daily summary shows, messages sent by channel, and the sending
    problems (by key) and stopped channels the daily dispatcher reports."""
    sending = sending or Sending()
    return {
        "flow": flow.value, "plan": plan.code, "title": cycle_title(plan, year), "year": year, "step": step,
        "day": day.isoformat(), "lines": lines, "sent": sending.sent, "issues": sending.issues, "down": sending.down,
    }  # fmt: skip
