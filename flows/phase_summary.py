"""Phase summary: once, at the end of a multi-year plan, the report over every cycle year."""

from datetime import date
from typing import Any

from prefect import flow

from flows.naming import cycle_run_name
from flows.notify import step_result
from services.plans import active_plans
from services.runtime import outputs_dir, today
from tasks.appraisal import phase_report_task
from tasks.cycle import record_done
from thidua.cycle.decide import ONE_OFF, CycleFlow


@flow(name="Sơ kết giai đoạn", flow_run_name=cycle_run_name("sơ kết giai đoạn"))
def phase_summary(plan: str, year: int, as_of: date | None = None) -> dict[str, Any]:
    """Sơ kết giai đoạn: báo cáo toàn bộ các năm của kế hoạch.

    Args:
        plan: mã kế hoạch
        year: năm cuối của kế hoạch
        as_of: ngày chạy (để trống: hôm nay)
    """
    day = as_of or today()
    the_plan = active_plans()[plan]
    report = phase_report_task(the_plan, outputs_dir(plan))
    record_done(plan, year, day, (ONE_OFF[CycleFlow.phase_summary], str(year)))
    span = f"{the_plan.cycle_years[0]}–{the_plan.cycle_years[-1]}"
    return step_result(CycleFlow.phase_summary, the_plan, year, CycleFlow.phase_summary.value, day, [f"Báo cáo sơ kết giai đoạn {span}: {report.name}"])
