"""What the annual and phase reports count, read from the database for one plan and some years."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models import AwardProposal, OutboxMessage, OutboxStatus, Score, Unit
from thidua.appraisal.store import cycle_deadline, load_units
from thidua.plan.schema import Plan
from thidua.words import ddmmyyyy

MESSAGE_KINDS = {
    "reminder": "Nhắc hạn",
    "deadline_day": "Nhắc hạn",
    "escalation_head": "Đôn đốc thủ trưởng đơn vị",
    "escalation_agency": "Báo cáo cơ quan thường trực",
    "escalation_chairman": "Báo cáo Chủ tịch",
}
MESSAGE_LABELS = tuple(dict.fromkeys(MESSAGE_KINDS.values()))


@dataclass(frozen=True)
class OnTime:
    """Dossiers of one group in one year: units expected, complete on time; `deadline` None while pending."""

    year: int
    group: str
    units: int
    on_time: int
    deadline: str | None

    @property
    def rate(self) -> float | None:
        return 100 * self.on_time / self.units if self.units and self.deadline else None


def on_time(session: Session, plan: Plan, years: Sequence[int], now: datetime) -> list[OnTime]:
    """Per year and group: units that existed on the deadline and how many dossiers were complete in time."""
    rows = []
    for year in years:
        deadline = cycle_deadline(session, plan, year)
        units = load_units(session, plan, year, now, deadline.date, exists_on=deadline.date)
        for group in plan.groups:
            present = [u for u in units if u.group == group.code and not u.gone]
            done = sum(1 for u in present if u.collective_dossier.complete and not u.collective_dossier.late)
            when = ddmmyyyy(deadline.date) if deadline.date else None
            rows.append(OnTime(year, group.code, len(present), done, when))
    return rows


def messages_sent(session: Session, plan: Plan, years: Sequence[int]) -> dict[int, Counter[str]]:
    """Per year: reminders and escalations sent, counted by label of `MESSAGE_KINDS`."""
    counts: dict[int, Counter[str]] = {year: Counter() for year in years}
    query = select(OutboxMessage.year, OutboxMessage.kind).where(
        OutboxMessage.plan == plan.code,
        OutboxMessage.status == OutboxStatus.sent,
        col(OutboxMessage.kind).in_(list(MESSAGE_KINDS)),
        col(OutboxMessage.year).in_(list(years)),
    )
    for year, kind in session.exec(query):
        counts[year][MESSAGE_KINDS[kind]] += 1
    return counts


def scores(session: Session, plan: Plan, years: Sequence[int]) -> list[tuple[Score, Unit | None]]:
    """The facts of the years with their units, highest PAR INDEX first."""
    units = {u.code: u for u in session.exec(select(Unit).where(Unit.plan == plan.code))}
    query = (
        select(Score)
        .where(Score.plan == plan.code, col(Score.year).in_(list(years)))
        .order_by(col(Score.year), col(Score.par_index).desc(), col(Score.unit_code))
    )
    return [(s, units.get(s.unit_code)) for s in session.exec(query)]


def proposals(session: Session, plan: Plan, years: Sequence[int]) -> list[AwardProposal]:
    """The saved award proposals of the years."""
    query = (
        select(AwardProposal)
        .where(AwardProposal.plan == plan.code, col(AwardProposal.year).in_(list(years)))
        .order_by(col(AwardProposal.year), col(AwardProposal.id))
    )
    return list(session.exec(query))
