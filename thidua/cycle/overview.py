"""A plan's cycle in figures, for the administrator: delivered on time so far, who is behind by group, and the
messages sent and failed."""

from collections.abc import Mapping
from dataclasses import dataclass

from thidua.channels import REGISTRY
from thidua.cycle.state import CycleState, UnitStatus
from thidua.cycle.titles import cycle_title
from thidua.markdown import md
from thidua.words import long_date, percent

LISTED = 5  # owners named per group; the rest are counted


@dataclass(frozen=True)
class Punctuality:
    """Deliveries owed by deadlines already passed: how many arrived complete by their deadline."""

    on_time: int
    owed: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.owed if self.owed else None


def on_time(state: CycleState) -> Punctuality:
    """Every (owner, occurrence) whose deadline passed before the state's day, and those delivered on time."""
    passed = {o.key for o in state.chased if o.deadline and o.deadline < state.as_of}
    deliveries = [d for s in state.units for key, d in s.deliveries.items() if key in passed]
    return Punctuality(sum(d.state.delivered and not d.state.late for d in deliveries), len(deliveries))


def behind_by_group(state: CycleState) -> dict[str, list[UnitStatus]]:
    """Group name → the owners that missed a deadline already passed and still have not delivered."""
    passed = {o.key for o in state.chased if o.deadline and o.deadline < state.as_of}
    names = state.plan.group_names
    groups: dict[str, list[UnitStatus]] = {}
    for status in state.units:
        if any(status.behind(key) for key in passed):
            groups.setdefault(names.get(status.unit.group, "Cơ quan thường trực"), []).append(status)
    return groups


def overview_markdown(state: CycleState, messages: Mapping[str, Mapping[str, int]]) -> str:
    """The overview in Vietnamese Markdown; `messages` is channel → outbox status → count for the cycle. Names from
    the plan and the directory are escaped as literal Markdown."""
    rate = on_time(state)
    shown = f"{percent(round(rate.rate * 100, 1))} ({rate.on_time}/{rate.owed} lượt nộp đúng hạn)" if rate.rate is not None else "chưa đến hạn nào"
    out = [f"# Tổng quan {md(cycle_title(state.plan, state.year))}", "", f"Ngày xét: {long_date(state.as_of)}", "", f"**Nộp đúng hạn đến nay:** {shown}", ""]
    out += ["## Đơn vị còn nợ việc đã quá hạn, theo nhóm", ""]
    groups = behind_by_group(state)
    for group, statuses in sorted(groups.items()):
        names = ", ".join(md(f"{s.unit.name} ({s.unit.code})") for s in statuses[:LISTED])
        more = f" và {len(statuses) - LISTED} đơn vị khác" if len(statuses) > LISTED else ""
        out.append(f"- {md(group)}: {len(statuses)} — {names}{more}")
    if not groups:
        out.append("- không có")
    out += ["", "## Tin nhắn", "", "| Kênh | Đã gửi | Chờ gửi | Lỗi | Hết hiệu lực |", "|---|---|---|---|---|"]
    for channel, counts in sorted(messages.items()):
        waiting = counts.get("pending", 0) + counts.get("deferred", 0) + counts.get("sending", 0)
        label = REGISTRY[channel].label if channel in REGISTRY else channel
        out.append(f"| {label} | {counts.get('sent', 0)} | {waiting} | {counts.get('failed', 0)} | {counts.get('expired', 0)} |")
    if not messages:
        out.append("| — | 0 | 0 | 0 | 0 |")
    return "\n".join(out)
