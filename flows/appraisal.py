"""Appraisal: dossier states, eligibility with reasons, PAR INDEX ranking, award proposal and its documents."""

from datetime import date
from typing import Any

from prefect import flow

from tasks.appraisal import appraise_task, write_proposal_files_task
from tasks.cycle import mark_done, outputs_dir, plans, publish_status, today
from thidua.appraisal import AppraisalResult
from thidua.dates import end_of_day


def _summary(result: AppraisalResult) -> list[str]:
    tied = sum(line.tie for line in result.lines)
    lines = [
        f"Thẩm định: {len(result.eligible)}/{len(result.candidates)} đối tượng đủ tiêu chuẩn; "
        f"đề nghị {len(result.proposals) - tied} khen thưởng; {tied} đối tượng đồng hạng tại ranh giới chỉ tiêu "
        "chờ Hội đồng quyết định"
    ]
    return lines + [f"Chưa đạt chỉ tiêu tối thiểu: {s}" for s in result.shortfalls]


@flow(name="appraisal", flow_run_name="{plan} · {year} · thẩm định")
def appraisal(plan: str, year: int, as_of: date | None = None) -> dict[str, Any]:
    """Mở thẩm định: tình trạng hồ sơ, xét tiêu chuẩn, xếp hạng, đề xuất khen thưởng, tờ trình."""
    day = as_of or today()
    the_plan = plans()[plan]
    result = appraise_task(the_plan, year, end_of_day(day))
    files = write_proposal_files_task(result, outputs_dir(plan, year))
    lines = [*_summary(result), *(f"Đã ghi {path.name}" for path in files)]
    publish_status(plan, year, day, lines)
    mark_done(plan, year, day, "appraisal_deadline")
    return {"plan": plan, "year": year, "day": day.isoformat(), "lines": lines, "steps": [], "written": 0, "sent": {}}
