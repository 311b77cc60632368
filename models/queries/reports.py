"""What the annual and phase reports count, read from the database for one plan and some years."""

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from models import OutboxMessage, OutboxStatus
from models.queries.appraisal import cycle_deadline, last_appraisal, load_units
from models.queries.cycle import cycle_milestones
from thidua.plan.schema import Plan
from thidua.reports import MESSAGE_LABELS, OnTimeRate, ReportData
from thidua.words import ddmmyyyy


def on_time(session: Session, plan: Plan, years: Sequence[int], now: datetime) -> list[OnTimeRate]:
    """Per year and group: units that existed on the deadline and how many dossiers were complete in time."""
    rows = []
    for year in years:
        deadline = cycle_deadline(session, plan, year)
        units = load_units(session, plan, year, now, deadline.date, exists_on=deadline.date)
        for group in plan.groups:
            present = [u for u in units if u.group == group.code and not u.gone]
            done = sum(1 for u in present if u.collective_dossier.complete and not u.collective_dossier.late)
            when = ddmmyyyy(deadline.date) if deadline.date else None
            rows.append(OnTimeRate(year, group.code, len(present), done, when))
    return rows


def messages_sent(session: Session, plan: Plan, years: Sequence[int]) -> dict[int, Counter[str]]:
    """Per year: reminders and escalations sent, counted by label of `MESSAGE_LABELS`."""
    counts: dict[int, Counter[str]] = {year: Counter() for year in years}
    query = select(OutboxMessage.year, OutboxMessage.kind).where(
        OutboxMessage.plan == plan.code,
        OutboxMessage.status == OutboxStatus.sent,
        col(OutboxMessage.kind).in_(list(MESSAGE_LABELS)),
        col(OutboxMessage.year).in_(list(years)),
    )
    for year, kind in session.exec(query):
        counts[year][MESSAGE_LABELS[kind]] += 1
    return counts


def report_data(session: Session, plan: Plan, years: Sequence[int], now: datetime, *, milestones: bool) -> ReportData:
    """Everything a report of `years` shows; the cycle's milestones too when `milestones` (one year)."""
    return ReportData(
        plan=plan,
        years=list(years),
        milestones=list(cycle_milestones(session, plan, years[0]).values()) if milestones else [],
        on_time=on_time(session, plan, years, now),
        messages=messages_sent(session, plan, years),
        appraisals={year: last_appraisal(session, plan, year, now) for year in years},
    )
