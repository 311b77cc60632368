"""Annual review (quarter I of the next year): the year's report for the review conference."""

from datetime import date
from typing import Any

from prefect import flow

from tasks.appraisal import annual_report_task
from tasks.cycle import mark_done, outputs_dir, plans, today


@flow(name="annual_review", flow_run_name="{plan} · {year} · tổng kết năm")
def annual_review(plan: str, year: int, as_of: date | None = None) -> dict[str, Any]:
    """Tổng kết năm: báo cáo kết quả chu kỳ (hồ sơ, nhắc hạn, xếp hạng, khen thưởng)."""
    day = as_of or today()
    the_plan = plans()[plan]
    report = annual_report_task(the_plan, year, outputs_dir(plan, year))
    mark_done(plan, year, day, "annual_review")
    lines = [f"Báo cáo tổng kết năm {year}: {report.name}"]
    return {"plan": plan, "year": year, "day": day.isoformat(), "lines": lines, "steps": [], "written": 0, "sent": {}}
