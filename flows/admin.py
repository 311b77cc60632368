"""Administrator actions as flows, so that the Prefect UI shows them as typed forms (date pickers, choices)."""

from datetime import date, datetime
from typing import Any

from prefect import flow

from flows.registry import run_step
from models.db import session_scope
from models.queries.cycle import load_dates, set_admin_date
from services.plans import cycle_plan
from services.receipts import record_receipt, record_registration
from services.runtime import message_renderer, today
from tasks.send import send_messages
from thidua.cycle.decide import CycleFlow, agenda


@flow(name="ghi-nhan-ho-so", flow_run_name="{plan} · {year} · nhận {unit}")
def record_dossier(
    plan: str, year: int, unit: str, documents: list[str], received_at: datetime | None = None,
    deliverable: str | None = None, due: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Ghi nhận tài liệu một đơn vị đã nộp cho một việc phải nộp (mặc định: hồ sơ đề nghị khen thưởng); gửi xác nhận."""
    with session_scope() as session:
        receipt = record_receipt(
            session, cycle_plan(plan, year), year, unit, documents, received_at, renderer=message_renderer(session),
            deliverable=deliverable, due=due, source="quản trị viên (biểu mẫu Prefect)",
        )  # fmt: skip
    sent, alerts = send_messages()
    return {
        "unit": receipt.unit.code, "deliverable": receipt.occurrence.key, "status": receipt.state.status,
        "missing": list(receipt.state.missing), "sent": sent, "alerts": alerts,
    }


@flow(name="dang-ky-thi-dua", flow_run_name="{plan} · {year} · đăng ký {unit}")
def register_unit(plan: str, year: int, unit: str, people: list[str] | None = None) -> dict[str, Any]:
    """Ghi nhận đơn vị đăng ký thi đua, cùng các cá nhân (mỗi dòng "Họ Tên:Chức vụ")."""
    named = [(name.strip(), position.strip()) for name, _, position in (p.partition(":") for p in people or [])]
    with session_scope() as session:
        added = record_registration(session, cycle_plan(plan, year), year, unit, named)
    return {"unit": unit, "registered": True, "people_added": added}


@flow(name="dat-ngay-cong-bo", flow_run_name="{plan} · {year} · ngày công bố Chỉ số CCHC")
def set_announcement(plan: str, year: int, announcement: date) -> dict[str, Any]:
    """Đặt ngày Hội nghị công bố Chỉ số CCHC; hạn thẩm định được tính lại từ ngày này."""
    with session_scope() as session:
        set_admin_date(session, cycle_plan(plan, year), year, "par_announcement", announcement)
    return {"plan": plan, "year": year, "par_announcement": announcement.isoformat()}


@flow(name="chay-lai-buoc", flow_run_name="{plan} · {year} · chạy lại {step}")
def rerun_step(plan: str, year: int, step: CycleFlow, as_of: date | None = None) -> list[dict[str, Any]]:
    """Chạy lại một luồng của chu kỳ: các bước gửi đến hạn trong ngày, hoặc thẩm định/tổng kết/sơ kết; không gửi lại tin đã gửi."""
    day = as_of or today()
    keys = [step.value]
    if step is CycleFlow.notify:
        with session_scope() as session:
            keys = [d.key for d in agenda(load_dates(session, cycle_plan(plan, year), year, day)).due if d.flow is step]
    return [run_step(step, plan, year, key, day) for key in keys]
