"""Appraisal: dossier states, eligibility with reasons, the ranking on the plan's basis, the award list and its documents."""

from datetime import date
from typing import Any

from prefect import flow
from prefect.utilities.annotations import quote

from flows.notify import step_result
from services.plans import active_plans
from services.runtime import outputs_dir, today
from tasks.appraisal import appraise_task, write_proposal_files_task
from tasks.cycle import read_cycle, record_done
from tasks.publish import publish_status
from thidua.appraisal.counts import summary_lines
from thidua.cycle.decide import ONE_OFF, CycleFlow
from thidua.dates import end_of_day


@flow(name="tham-dinh", flow_run_name="{plan} · {year} · thẩm định")
def appraisal(plan: str, year: int, as_of: date | None = None) -> dict[str, Any]:
    """Mở thẩm định: tình trạng hồ sơ, xét tiêu chuẩn, xếp hạng, đề xuất khen thưởng, tờ trình."""
    day = as_of or today()
    result = appraise_task(active_plans()[plan], year, end_of_day(day))
    files = write_proposal_files_task(result, outputs_dir(plan, year))
    lines = [*summary_lines(result), *(f"Đã ghi {path.name}" for path in files)]
    publish_status(quote(read_cycle(plan, year, day)), lines)
    record_done(plan, year, day, (ONE_OFF[CycleFlow.appraisal], str(year)))
    return step_result(CycleFlow.appraisal, plan, year, CycleFlow.appraisal.value, day, lines)
