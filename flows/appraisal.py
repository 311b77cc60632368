"""Appraisal: open the appraisal of a cycle — dossier states, eligibility, ranking and award proposal."""

from datetime import date
from typing import Any

from prefect import flow

from tasks.appraisal import appraise
from tasks.cycle import mark_done, plans, publish_status, read_cycle, today


@flow(name="appraisal", flow_run_name="{plan} · {year} · thẩm định")
def appraisal(plan: str, year: int, as_of: date | None = None) -> dict[str, Any]:
    """Mở thẩm định: tình trạng hồ sơ, xét tiêu chuẩn, xếp hạng, đề xuất khen thưởng."""
    day = as_of or today()
    view = read_cycle(plans()[plan], year, day)
    lines = appraise(view.plan, year, day)
    publish_status(view, lines)
    mark_done(view, "appraisal_deadline")
    return {"plan": plan, "year": year, "day": day.isoformat(), "lines": lines, "steps": [], "written": 0, "sent": {}}
