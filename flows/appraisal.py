"""Appraisal: dossier states, eligibility with reasons, the ranking on the plan's basis, the award list and its documents."""

from datetime import date
from typing import Any

from prefect import flow
from prefect.utilities.annotations import quote

from flows.naming import cycle_run_name
from flows.notify import step_result
from services.plans import active_plans
from services.runtime import outputs_dir, today
from tasks.appraisal import appraise_task, write_proposal_files_task
from tasks.cycle import read_cycle, record_done
from tasks.publish import publish_status
from thidua.appraisal.counts import summary_lines
from thidua.cycle.decide import ONE_OFF, CycleFlow
from thidua.dates import end_of_day


@flow(name="Thẩm định", flow_run_name=cycle_run_name("thẩm định và đề xuất khen thưởng"))
def appraisal(plan: str, year: int, as_of: date | None = None) -> dict[str, Any]:
    """Mở thẩm định: tình trạng hồ sơ, xét tiêu chuẩn, xếp hạng, đề xuất khen thưởng, tờ trình.

    Args:
        plan: mã kế hoạch
        year: năm của chu kỳ
        as_of: thẩm định như vào cuối ngày này (để trống: hôm nay)
    """
    day = as_of or today()
    the_plan = active_plans()[plan]
    result = appraise_task(the_plan, year, end_of_day(day))
    files = write_proposal_files_task(result, outputs_dir(plan, year))
    lines = [*summary_lines(result), *(f"Đã ghi {path.name}" for path in files)]
    record_done(plan, year, day, (ONE_OFF[CycleFlow.appraisal], str(year)))
    publish_status(quote(read_cycle(plan, year, day)), lines)  # after the step is recorded: the status shows it done
    return step_result(CycleFlow.appraisal, the_plan, year, CycleFlow.appraisal.value, day, lines)
