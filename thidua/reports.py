"""What the annual review and the phase summary report, as plain values (read by `models.queries.reports`)."""

from collections import Counter
from dataclasses import dataclass

from thidua.directory import Unit
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
class ParScore:
    """A unit's PAR INDEX of one year, with the unit when it is in the directory."""

    year: int
    unit_code: str
    par_index: float
    unit: Unit | None


@dataclass(frozen=True)
class ProposalRecord:
    """One saved award proposal."""

    year: int
    form: str
    nominee_kind: str
    nominee_name: str
    unit_code: str
    rank: int | None
    tie: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows, for one plan and some years."""

    plan: Plan
    years: list[int]
    milestones: list[ScheduledMilestone]  # the cycle's milestones (annual report), empty for the phase summary
    on_time: list[OnTimeRate]
    messages: dict[int, Counter[str]]  # per year, by label of `MESSAGE_LABELS`
    scores: list[ParScore]  # highest PAR INDEX first within each year
    proposals: list[ProposalRecord]
