"""Phase summary: once, at the end of a multi-year plan, the report over every cycle year."""

from datetime import date
from typing import Any

from prefect import flow

from tasks.appraisal import phase_report_task
from tasks.cycle import mark_done, outputs_dir, plans, today


@flow(name="phase_summary", flow_run_name="{plan} · {year} · sơ kết giai đoạn")
def phase_summary(plan: str, year: int, as_of: date | None = None) -> dict[str, Any]:
    """Sơ kết giai đoạn: báo cáo toàn bộ các năm của kế hoạch."""
    day = as_of or today()
    the_plan = plans()[plan]
    report = phase_report_task(the_plan, outputs_dir(plan))
    mark_done(plan, year, day, "phase_summary")
    lines = [f"Báo cáo sơ kết giai đoạn {the_plan.cycle_years[0]}–{the_plan.cycle_years[-1]}: {report.name}"]
    return {"plan": plan, "year": year, "day": day.isoformat(), "lines": lines, "steps": [], "written": 0, "sent": {}}
