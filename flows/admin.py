"""Administrator actions as flows, so that the Prefect UI shows them as typed forms (enums, date pickers)."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from prefect import flow

from models.db import session_scope
from tasks.cycle import plans, renderer, send_now
from thidua.admin import record_receipt, set_cycle_date

_PLANS = plans()
PlanCode = StrEnum("PlanCode", [(code, code) for code in sorted(_PLANS)])  # type: ignore[misc]
DocumentCode = StrEnum(  # type: ignore[misc]
    "DocumentCode", [(c, c) for c in sorted({d.code for p in _PLANS.values() for d in p.documents})]
)


class CycleStep(StrEnum):
    launch = "launch"
    chase = "chase"
    appraisal = "appraisal"
    annual_review = "annual_review"
    phase_summary = "phase_summary"


@flow(name="record-dossier", flow_run_name="{plan} · {year} · nhận hồ sơ {unit}")
def record_dossier(
    plan: PlanCode, year: int, unit: str, documents: list[DocumentCode], received_at: datetime | None = None
) -> dict[str, Any]:
    """Ghi nhận hồ sơ (và từng tài liệu) một đơn vị đã nộp; gửi xác nhận cho đơn vị."""
    with session_scope() as session:
        receipt = record_receipt(
            session, _PLANS[plan.value], year, unit, [d.value for d in documents], received_at, renderer=renderer()
        )
    sent, alerts = send_now()
    return {
        "unit": receipt.unit.code, "dossier": receipt.state.status, "missing": list(receipt.state.missing),
        "sent": sent, "alerts": alerts,
    }


@flow(name="set-announcement", flow_run_name="{plan} · {year} · ngày công bố Chỉ số CCHC")
def set_announcement(plan: PlanCode, year: int, announcement: date) -> dict[str, Any]:
    """Đặt ngày Hội nghị công bố Chỉ số CCHC; hạn thẩm định được tính lại từ ngày này."""
    with session_scope() as session:
        set_cycle_date(session, _PLANS[plan.value], year, "par_announcement", announcement)
    return {"plan": plan.value, "year": year, "par_announcement": announcement.isoformat()}


@flow(name="rerun-step", flow_run_name="{plan} · {year} · chạy lại {step}")
def rerun_step(plan: PlanCode, year: int, step: CycleStep, as_of: date | None = None) -> dict[str, Any]:
    """Chạy lại một bước của chu kỳ; không gửi lại tin nhắn đã gửi."""
    from flows.daily import FLOWS

    return FLOWS[step.value](plan=plan.value, year=year, as_of=as_of)
