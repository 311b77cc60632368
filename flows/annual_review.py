"""Annual review (quarter I of the next year): the year's report for the review conference."""

from datetime import date
from typing import Any

from prefect import flow

from flows.naming import cycle_run_name
from flows.notify import step_result
from services.plans import active_plans
from services.runtime import outputs_dir, today
from tasks.appraisal import annual_report_task
from tasks.cycle import record_done
from thidua.cycle.decide import ONE_OFF, CycleFlow


@flow(name="Tổng kết năm", flow_run_name=cycle_run_name("tổng kết năm"))
def annual_review(plan: str, year: int, as_of: date | None = None) -> dict[str, Any]:
    """Tổng kết năm: báo cáo kết quả chu kỳ (hồ sơ, nhắc hạn, xếp hạng, khen thưởng).

    Args:
        plan: mã kế hoạch
        year: năm của chu kỳ
        as_of: ngày chạy (để trống: hôm nay)
    """
    day = as_of or today()
    the_plan = active_plans()[plan]
    report = annual_report_task(the_plan, year, outputs_dir(plan, year))
    record_done(plan, year, day, (ONE_OFF[CycleFlow.annual_review], str(year)))
    return step_result(CycleFlow.annual_review, the_plan, year, CycleFlow.annual_review.value, day, [f"Báo cáo tổng kết năm {year}: {report.name}"])
