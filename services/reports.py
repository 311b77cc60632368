"""The annual review report and the phase summary, written from the database."""

from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from models.queries.reports import report_data
from models.types import utcnow
from services.runtime import today
from thidua.plan.schema import Plan


def annual_report(session: Session, plan: Plan, year: int, out_dir: Path, now: datetime | None = None) -> Path:
    """The annual review report of (plan, year) as one HTML file, dossiers judged as of `now`."""
    from documents.reports import write_annual_report  # matplotlib loads only when a report is written

    data = report_data(session, plan, [year], now or utcnow(), milestones=True)
    return write_annual_report(data, out_dir, today())


def phase_report(session: Session, plan: Plan, out_dir: Path, now: datetime | None = None) -> Path:
    """The phase summary over every cycle year of the plan as one HTML file, dossiers judged as of `now`."""
    from documents.reports import write_phase_report

    data = report_data(session, plan, list(plan.cycle_years), now or utcnow(), milestones=False)
    return write_phase_report(data, out_dir, today())
