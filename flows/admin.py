"""Administrator actions as flows, so that the Prefect UI shows them as forms in Vietnamese (`flows.forms`)."""

from typing import Any

from prefect import flow

from flows.forms import AnnouncementForm, CouncilForm, ReceiptForm, RegistrationForm, RerunForm, refusals
from flows.naming import form_run_name
from flows.registry import run_step
from models.db import session_scope
from models.queries.cycle import load_dates, set_admin_date
from models.types import utcnow
from services.council import record_decision
from services.plans import cycle_plan
from services.receipts import record_receipt, record_registration
from services.runtime import message_renderer, outputs_dir, today
from tasks.appraisal import publish_appraisal, write_proposal_files_task
from tasks.send import send_messages
from thidua.appraisal.counts import summary_lines
from thidua.cycle.decide import CycleFlow, agenda
from thidua.words import DELIVERY


@flow(name="Ghi nhận hồ sơ", flow_run_name=form_run_name(lambda f: f"nhận tài liệu của {f['don_vi']}"))
def record_dossier(ho_so: ReceiptForm) -> dict[str, Any]:
    """Ghi nhận tài liệu một đơn vị đã nộp cho một việc phải nộp (mặc định: hồ sơ đề nghị khen thưởng) và gửi
    xác nhận cho đơn vị.

    Args:
        ho_so: kế hoạch, năm, đơn vị, các tài liệu đã nhận
    """
    with refusals(), session_scope() as session:
        plan = cycle_plan(ho_so.ke_hoach, ho_so.nam)
        receipt = record_receipt(
            session, plan, ho_so.nam, ho_so.don_vi, ho_so.tai_lieu, ho_so.luc_nhan, renderer=message_renderer(session),
            deliverable=ho_so.viec_phai_nop, due=ho_so.han, source="quản trị viên (biểu mẫu Prefect)",
        )  # fmt: skip
    sending = send_messages()
    return {
        "unit": receipt.unit.code, "deliverable": receipt.occurrence.key, "status": DELIVERY[receipt.state.status],
        "missing": list(receipt.state.missing), "sent": sending.sent, "problems": sending.problems,
    }  # fmt: skip


@flow(name="Đăng ký thi đua", flow_run_name=form_run_name(lambda f: f"đăng ký của {f['don_vi']}"))
def register_unit(dang_ky: RegistrationForm) -> dict[str, Any]:
    """Ghi nhận một đơn vị đăng ký thi đua, cùng các cá nhân đăng ký.

    Args:
        dang_ky: kế hoạch, năm, đơn vị và các cá nhân (mỗi dòng "Họ và tên: Chức vụ")
    """
    named = [(name.strip(), position.strip()) for name, _, position in (p.partition(":") for p in dang_ky.ca_nhan)]
    with refusals(), session_scope() as session:
        added = record_registration(session, cycle_plan(dang_ky.ke_hoach, dang_ky.nam), dang_ky.nam, dang_ky.don_vi, named)
    return {"unit": dang_ky.don_vi, "registered": True, "people_added": added}


@flow(name="Đặt ngày công bố Chỉ số CCHC", flow_run_name=form_run_name(lambda f: "ngày công bố Chỉ số CCHC"))
def set_announcement(cong_bo: AnnouncementForm) -> dict[str, Any]:
    """Đặt ngày Hội nghị công bố Chỉ số CCHC; hạn thẩm định được tính lại từ ngày này.

    Args:
        cong_bo: kế hoạch, năm và ngày công bố
    """
    with refusals(), session_scope() as session:
        set_admin_date(session, cycle_plan(cong_bo.ke_hoach, cong_bo.nam), cong_bo.nam, "par_announcement", cong_bo.ngay)
    return {"plan": cong_bo.ke_hoach, "year": cong_bo.nam, "par_announcement": cong_bo.ngay.isoformat()}


@flow(name="Chạy lại một bước", flow_run_name=form_run_name(lambda f: f"chạy lại: {str(f['buoc']).lower()}"))
def rerun_step(chay_lai: RerunForm) -> list[dict[str, Any]]:
    """Chạy lại một bước của chu kỳ: các tin nhắc đến hạn trong ngày, hoặc thẩm định, tổng kết, sơ kết; không gửi
    lại tin đã gửi.

    Args:
        chay_lai: kế hoạch, năm, bước và ngày
    """
    day, step = chay_lai.ngay or today(), chay_lai.buoc.flow
    keys = [step.value]
    if step is CycleFlow.notify:
        with refusals(), session_scope() as session:
            plan = cycle_plan(chay_lai.ke_hoach, chay_lai.nam)
            keys = [d.key for d in agenda(load_dates(session, plan, chay_lai.nam, day)).due if d.flow is step]
    return [run_step(step, chay_lai.ke_hoach, chay_lai.nam, key, day) for key in keys]


@flow(name="Hội đồng quyết định", flow_run_name=form_run_name(lambda f: f"Hội đồng: {str(f['quyet_dinh']).lower()}"))
def council_decide(quyet_dinh: CouncilForm) -> dict[str, Any]:
    """Ghi quyết định của Hội đồng Thi đua - Khen thưởng (chọn khi đồng hạng, bổ sung hoặc rút đối tượng), kèm lý do;
    danh sách cuối cùng, tờ trình, quyết định và giấy khen được lập lại.

    Args:
        quyet_dinh: kế hoạch, năm, quyết định, hình thức khen thưởng, đối tượng, lý do và người ghi nhận
    """
    form = quyet_dinh
    with refusals(), session_scope() as session:
        plan = cycle_plan(form.ke_hoach, form.nam)
        result = record_decision(
            session, plan, form.nam, form.quyet_dinh.action, form.hinh_thuc, form.doi_tuong, form.ly_do, form.nguoi_ghi,
            utcnow(), "(biểu mẫu Prefect)",
        )  # fmt: skip
    publish_appraisal(result)
    files = write_proposal_files_task(result, outputs_dir(form.ke_hoach, form.nam))
    return {"plan": form.ke_hoach, "year": form.nam, "final": result.final, "summary": summary_lines(result), "files": [p.name for p in files]}
