"""Per-unit status of a cycle, as rows (Prefect table artifact, CLI) and a Vietnamese summary."""

from collections import Counter
from collections.abc import Sequence
from typing import Any

from thidua.cycle.state import CycleState, UnitStatus
from thidua.dates import local_day
from thidua.words import DOSSIER as DOSSIER_WORDS
from thidua.words import ESCALATION_LEVEL as LEVEL_WORDS
from thidua.words import ddmmyyyy, long_date


def _timeliness(status: UnitStatus) -> str:
    if status.dossier.complete:
        return "trễ hạn" if status.dossier.late else "đúng hạn"
    return "quá hạn" if status.dossier.late else ""


def status_record(state: CycleState, status: UnitStatus) -> dict[str, Any]:
    """Machine-readable status of one unit (ISO dates)."""
    labels = {d.code: d.name for d in state.plan.documents}
    completed = status.dossier.completed_at
    return {
        "unit": status.unit.code,
        "name": status.unit.name,
        "group": status.unit.group,
        "dossier": status.dossier.status,
        "missing": [labels.get(code, code) for code in status.dossier.missing],
        "completed_on": local_day(completed).isoformat() if completed else None,
        "late": status.dossier.late,
        "last_reminder": {"day": status.last_reminder[0].isoformat(), "step": status.last_reminder[1]}
        if status.last_reminder
        else None,
        "escalation_level": status.escalation_level,
    }


def status_rows(state: CycleState) -> list[dict[str, str]]:
    """One row per unit with Vietnamese headers, for the Prefect UI and the terminal."""
    groups = state.plan.group_names
    rows = []
    for status in state.units:
        record = status_record(state, status)
        reminder = status.last_reminder
        rows.append(
            {
                "Mã": record["unit"],
                "Đơn vị": record["name"],
                "Nhóm": groups.get(record["group"], record["group"]),
                "Hồ sơ": DOSSIER_WORDS[record["dossier"]],
                "Còn thiếu": "; ".join(record["missing"]) if status.dossier.status == "incomplete" else "",
                "Nộp đủ ngày": ddmmyyyy(local_day(status.dossier.completed_at)) if status.dossier.completed_at else "",
                "Thời hạn": _timeliness(status),
                "Nhắc gần nhất": f"{ddmmyyyy(reminder[0])} ({reminder[1]})" if reminder else "",
                "Mức báo cáo": LEVEL_WORDS[status.escalation_level],
            }
        )
    return rows


def summary_markdown(state: CycleState, lines: Sequence[str] = ()) -> str:
    """A short Vietnamese summary: the day, the milestones, dossier counts and what this run did."""
    counts = Counter(s.dossier.status for s in state.units)
    late = [s.unit.name for s in state.units if s.dossier.late]
    out = [
        f"# {state.plan.code} · {state.year}",
        f"**{state.plan.title}**",
        "",
        f"Ngày xét: {long_date(state.as_of)}",
        "",
        "| Mốc | Ngày | Trạng thái |",
        "|---|---|---|",
        *(
            f"| {m.label} | {long_date(m.date) if m.date else 'chưa xác định'} | {'đã lên lịch' if m.status == 'scheduled' else 'chờ'} |"
            for m in state.milestones.values()
        ),
        "",
        f"Hồ sơ: {counts['complete']} đã đủ, {counts['incomplete']} còn thiếu, {counts['missing']} chưa nộp "
        f"(trên {len(state.units)} đơn vị).",
    ]
    if late:
        out.append(f"Trễ hạn: {', '.join(late)}.")
    if lines:
        out += ["", "## Lần chạy này", *(f"- {line}" for line in lines)]
    return "\n".join(out)
