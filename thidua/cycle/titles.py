"""What Prefect runs are called: the plan's short name and year, then what the run does, in words."""

from datetime import date

from thidua.cycle.state import occurrence_name
from thidua.plan.schema import Plan
from thidua.words import ddmmyyyy

LAUNCH_WORDS = "thông báo phát động"


def cycle_title(plan: Plan, year: int) -> str:
    """`Lộc Ninh 2025`."""
    return f"{plan.display_name} {year}"


def ladder_words(plan: Plan, code: str) -> str:
    """A ladder step, naming whom an escalation goes to: `nhắc trước 7 ngày`, `báo Phòng Nội vụ huyện Lộc Ninh`."""
    if code == "deadline-day":
        return "nhắc đúng ngày hạn"
    if code.startswith("remind-"):
        return f"nhắc trước {code.removeprefix('remind-').removesuffix('d')} ngày"
    agency = plan.standing_agency
    target = code.rpartition("-")[2]
    if target == "standing_agency":
        return f"báo {agency.name}"
    if target == "chairman":
        return f"báo cáo {agency.chairman.name}" if agency.chairman else "báo cáo Chủ tịch"
    return "báo Thủ trưởng đơn vị"


def _late_by(code: str) -> str:
    """`escalate-3wd-chairman` → `quá hạn 3 ngày làm việc, `; a reminder: empty."""
    if not code.startswith("escalate-"):
        return ""
    days = code.removeprefix("escalate-").partition("wd")[0]
    return f"quá hạn {days} ngày làm việc, "


def step_title(plan: Plan, step: str) -> str:
    """A sending step in words: `launch` → `thông báo phát động`; `ho_so/submission_deadline@2025-12-01/remind-7d` →
    `nhắc trước 7 ngày: Hồ sơ đề nghị khen thưởng (hạn 01/12/2025)`. An unknown key is shown as it is."""
    if step == "launch":
        return LAUNCH_WORDS
    occurrence, _, rest = step.partition("@")
    deadline, _, code = rest.partition("/")
    code_of, _, kind = occurrence.partition("/")
    deliverable, milestone = plan.deliverable(code_of), plan.milestone(kind)
    try:
        when = ddmmyyyy(date.fromisoformat(deadline))
    except ValueError:
        return step
    if deliverable is None or milestone is None or not code:
        return step
    return f"{ladder_words(plan, code)}: {occurrence_name(deliverable, milestone.label)} ({_late_by(code)}hạn {when})"
