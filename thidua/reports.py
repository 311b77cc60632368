"""What the annual review and the phase summary report, as plain values (read by `models.queries.reports`)."""

from collections import Counter
from dataclasses import dataclass

from thidua.appraisal.model import AppraisalResult
from thidua.plan.milestones import ScheduledMilestone
from thidua.plan.schema import Plan

MESSAGE_LABELS = {
    "reminder": "Nhắc hạn",
    "deadline_day": "Nhắc hạn",
    "escalation_head": "Đôn đốc thủ trưởng đơn vị",
    "escalation_agency": "Báo cáo cơ quan thường trực",
    "escalation_chairman": "Báo cáo Chủ tịch",
}
MESSAGE_COLUMNS = tuple(dict.fromkeys(MESSAGE_LABELS.values()))


@dataclass(frozen=True)
class OnTimeRate:
    """Dossiers of one group in one year: units expected, complete on time; `deadline` None while pending."""

    year: int
    group: str
    units: int
    on_time: int
    deadline: str | None

    @property
    def rate(self) -> float | None:
        return 100 * self.on_time / self.units if self.units and self.deadline else None


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows, for one plan and some years."""

    plan: Plan
    years: list[int]
    milestones: list[ScheduledMilestone]  # the cycle's milestones (annual report), empty for the phase summary
    on_time: list[OnTimeRate]
    messages: dict[int, Counter[str]]  # per year, by label of `MESSAGE_LABELS`
    appraisals: dict[int, AppraisalResult]  # each year's appraisal as of its last run: rankings and award lists
