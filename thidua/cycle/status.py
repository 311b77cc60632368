"""Where a cycle stands: per owner and per thing owed, as rows (Prefect table artifact, CLI), JSON and a summary."""

from collections.abc import Callable, Sequence
from typing import Any

from thidua.cycle.outlook import STANDING_WORDS, Action, next_actions, timeline
from thidua.cycle.state import CycleDates, CycleState, Delivery, Occurrence, UnitStatus
from thidua.cycle.titles import cycle_title
from thidua.dates import local_day
from thidua.markdown import md
from thidua.words import DELIVERY as DELIVERY_WORDS
from thidua.words import ESCALATION_LEVEL as LEVEL_WORDS
from thidua.words import ddmmyyyy, long_date, step_words

NEXT_SHOWN = 4  # further actions listed under the next one


def _timeliness(delivery: Delivery) -> str:
    state = delivery.state
    if state.complete:
        if not state.accepted:
            return "trễ hạn, không được tiếp nhận"
        return "trễ hạn" if state.late else "đúng hạn"
    return "quá hạn" if state.late else ""


def _missing(delivery: Delivery) -> list[str]:
    names = {d.code: d.name for d in delivery.occurrence.deliverable.document_list}
    return [names.get(code, code) for code in delivery.state.missing]


def delivery_record(delivery: Delivery) -> dict[str, Any]:
    """Machine-readable state of one owner on one occurrence (ISO dates)."""
    occurrence, state = delivery.occurrence, delivery.state
    return {
        "code": occurrence.deliverable.code,
        "kind": occurrence.deliverable.kind.value,
        "due": occurrence.milestone.kind,
        "name": occurrence.name,
        "deadline": occurrence.deadline.isoformat() if occurrence.deadline else None,
        "status": state.status,
        "missing": _missing(delivery),
        "completed_on": local_day(state.completed_at).isoformat() if state.completed_at else None,
        "late": state.late,
        "accepted": state.accepted,
        "last_reminder": {"day": delivery.last_reminder[0].isoformat(), "step": delivery.last_reminder[1]}
        if delivery.last_reminder
        else None,
        "escalation_level": delivery.escalation_level,
    }


def status_record(state: CycleState, status: UnitStatus) -> dict[str, Any]:
    """Machine-readable status of one owner: every occurrence it owes."""
    return {
        "unit": status.unit.code,
        "name": status.unit.name,
        "group": status.unit.group,
        "deliverables": [delivery_record(d) for d in status.deliveries.values()],
    }


def status_rows(state: CycleState) -> list[dict[str, str]]:
    """One row per owner and occurrence owed, in deadline order (Vietnamese headers). What the administrator
    scans for comes first (unit, what, state, on time, escalation, last reminder), so it fits on one screen."""
    groups = state.plan.group_names
    rows = []
    order = {o.key: i for i, o in enumerate(sorted(state.occurrences, key=lambda o: (o.deadline is None, o.deadline)))}
    for status in state.units:
        for delivery in status.deliveries.values():
            occurrence, st, reminder = delivery.occurrence, delivery.state, delivery.last_reminder
            rows.append((order[occurrence.key], status.unit.name, {
                "Đơn vị": status.unit.name,
                "Việc phải nộp": occurrence.name,
                "Trạng thái": DELIVERY_WORDS[st.status],
                "Thời hạn": _timeliness(delivery),
                "Mức báo cáo": LEVEL_WORDS[delivery.escalation_level],
                "Nhắc gần nhất": f"{ddmmyyyy(reminder[0])} ({step_words(reminder[1])})" if reminder else "",
                "Hạn": ddmmyyyy(occurrence.deadline) if occurrence.deadline else "chưa xác định",
                "Còn thiếu": "; ".join(_missing(delivery)) if st.status == "partial" else "",
                "Nộp đủ ngày": ddmmyyyy(local_day(st.completed_at)) if st.completed_at else "",
                "Nhóm": groups.get(status.unit.group, status.unit.group),
                "Mã": status.unit.code,
            }))  # fmt: skip
    return [row for _, _, row in sorted(rows, key=lambda r: (r[0], r[1]))]


def deliverables_json(occurrences: Sequence[Occurrence]) -> list[dict[str, Any]]:
    """What is owed in a year, by deliverable: its deadlines and whether owners are chased for it."""
    out: dict[str, dict[str, Any]] = {}
    rank = {"scheduled": 0, "pending": 1, "awaiting_guidance": 2}
    for o in occurrences:
        d = o.deliverable
        entry = out.setdefault(d.code, {
            "code": d.code, "name": d.name, "kind": d.kind.value, "owner": d.owner.value,
            "deadlines": [], "status": "scheduled", "chased": False,
        })  # fmt: skip
        entry["deadlines"].append(o.deadline.isoformat() if o.deadline else None)
        entry["status"] = max(entry["status"], o.status, key=rank.__getitem__)
        entry["chased"] = entry["chased"] or o.chased
    return list(out.values())


def awaited_guidance(cycle: CycleDates) -> list[str]:
    """What the plan leaves to later guidance, in its own words, and since when (the plan's date): deadlines and
    document lists (nobody is reminded of them) and award quotas (nothing is proposed for them)."""
    since = f"kế hoạch từ {ddmmyyyy(cycle.plan.issued_on or cycle.plan.period.start)}"

    def waiting(words: str) -> str:
        return words if words.startswith("chờ hướng dẫn") else f"chờ hướng dẫn — {words}"

    lines = [
        f"{o.name}: {waiting(o.guidance or '')} ({since}); chưa nhắc đơn vị nào"
        for o in cycle.occurrences
        if o.status == "awaiting_guidance"
    ]
    final = cycle.year == cycle.plan.cycle_years[-1]
    lines += [
        f"Chỉ tiêu {award.name}: {waiting(award.awaiting_guidance)} ({since}); chưa đề xuất khen thưởng hình thức này"
        for award in cycle.plan.awards
        if award.awaiting_guidance and (award.occurs == "every_year" or final)
    ]
    return lines


def summary_markdown(state: CycleState, lines: Sequence[str] = (), text: Callable[[object], str] = md) -> str:
    """The cycle at a glance, in Vietnamese: what happens next on top, then every milestone and deadline in date
    order with where it stands, the guidance awaited, and what this run did.

    Every text from the plan, the directory or the run goes through `text`: escaped as literal Markdown for
    the Prefect UI (the default), `str` for a terminal."""
    actions = next_actions(state)
    title = f"# {text(cycle_title(state.plan, state.year))} · {state.plan.code}"
    out = [title, f"**{text(state.plan.title)}**", "", f"Ngày xét: {long_date(state.as_of)}", ""]
    if actions:
        first, *more = actions
        out.append(f"**Việc tiếp theo:** {_action(first, text)}")
        out += [f"- sau đó: {_action(a, text)}" for a in more[:NEXT_SHOWN]]
    else:
        out.append("**Việc tiếp theo:** không còn việc nào của chu kỳ này.")
    out += ["", "## Các mốc và việc phải nộp", "", "| Ngày | Mốc, việc phải nộp | Tình trạng | Ghi chú |", "|---|---|---|---|"]
    out += [
        f"| {long_date(line.day) if line.day else 'chưa xác định'} | {text(line.what)} | {STANDING_WORDS[line.standing]} | {text(line.note)} |"
        for line in timeline(state)
    ]
    if awaited := awaited_guidance(state):
        out += ["", "## Chờ hướng dẫn", *(f"- {text(line)}" for line in awaited)]
    if lines:
        out += ["", "## Lần chạy này", *(f"- {text(line)}" for line in lines)]
    return "\n".join(out)


def _action(action: Action, text: Callable[[object], str]) -> str:
    return f"{long_date(action.day)} — {text(action.what)}" if action.day else text(action.what)
