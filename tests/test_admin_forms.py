"""The administrator's forms: every field titled in Vietnamese in the schema Prefect builds its forms from, choices
shown as Vietnamese values, and values checked against the chosen plan (the valid ones listed)."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from prefect.utilities.callables import parameter_schema

from flows.admin import council_decide, record_dossier, register_unit, rerun_step, set_announcement
from flows.forms import FormRefused, ReceiptForm, RerunChoice, refusals
from imports.plans import load_plan
from thidua.channels import Person
from thidua.cycle.decide import CycleFlow
from thidua.cycle.receipts import unknown_unit
from thidua.directory import Unit
from thidua.errors import InputError, InvalidInput

FORMS = [record_dossier, register_unit, set_announcement, rerun_step, council_decide]
PLAN = load_plan(Path(__file__).parents[1] / "plans" / "loc-ninh-2024-2025.yaml")
VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def fields(flow: Any) -> dict[str, dict[str, Any]]:
    """The form's fields as Prefect's schema gives them to the UI (one model parameter)."""
    schema = parameter_schema(flow.fn).model_dump_for_openapi()
    [model] = schema["definitions"].values() if len(schema["definitions"]) == 1 else [
        d for d in schema["definitions"].values() if "properties" in d
    ]
    return dict(model["properties"])


@pytest.mark.parametrize("flow", FORMS, ids=lambda f: f.name)
def test_every_field_of_every_form_has_a_vietnamese_title(flow: Any) -> None:
    assert any(c in VIETNAMESE for c in flow.name.lower()), flow.name  # the flow itself: "Ghi nhận hồ sơ", …
    for name, field in fields(flow).items():
        assert field["title"] not in (name, name.replace("_", " ").title()), (flow.name, name)  # not pydantic's default
        assert any(c in VIETNAMESE for c in (field["title"] + field.get("description", "")).lower()), (flow.name, name)


def test_choices_are_shown_as_vietnamese_values_and_map_to_the_cycle_flows() -> None:
    enum = parameter_schema(rerun_step.fn).model_dump_for_openapi()["definitions"]["RerunChoice"]
    assert enum["enum"] == [s.value for s in RerunChoice] and "Thẩm định" in enum["enum"]
    assert {s.flow for s in RerunChoice} == set(CycleFlow)


def test_a_wrong_value_names_the_form_field_and_changes_nothing() -> None:
    with pytest.raises(FormRefused) as refused, refusals():
        raise InvalidInput([InputError("loc-ninh-2024-2025", "--doc", "to_trin", "không có tài liệu này (có: bien_ban, to_trinh)")])
    assert str(refused.value) == (
        "Biểu mẫu chưa đúng, không có gì được ghi:\nTài liệu đã nhận: “to_trin” — không có tài liệu này (có: bien_ban, to_trinh)"
    )


def directory(count: int) -> dict[str, Unit]:
    names = ["UBND xã Lộc Thái", "UBND xã Lộc Thiện", "UBND xã Lộc Tấn", "Phòng Nội vụ", "Phòng Tư pháp"] + [f"Đơn vị {i}" for i in range(count)]
    return {f"u{i}": Unit(f"u{i}", name, "ubnd-xa", Person(name), Person(name)) for i, name in enumerate(names[: count + 5])}


def test_an_unknown_unit_is_refused_with_the_units_meant() -> None:
    small = directory(0)
    assert unknown_unit(PLAN, "u9", small).endswith("(có: u0 (UBND xã Lộc Thái), u1 (UBND xã Lộc Thiện), u2 (UBND xã Lộc Tấn), "
                                                   "u3 (Phòng Nội vụ), u4 (Phòng Tư pháp))")  # fmt: skip
    large = directory(200)
    by_name = unknown_unit(PLAN, "Lộc Th", large)
    assert "gần giống: u0 (UBND xã Lộc Thái), u1 (UBND xã Lộc Thiện)" in by_name and "u2" not in by_name
    assert "xem tất cả: thidua units list --plan loc-ninh-2024-2025" in by_name
    assert "kế hoạch chưa có danh mục đơn vị" in unknown_unit(PLAN, "u1", {})


@pytest.mark.slow
def test_a_receipt_form_records_and_a_wrong_unit_fails_the_run_with_the_valid_ones(
    app_engine: Any, prefect_harness: None, point_app: Any
) -> None:
    from prefect.client.orchestration import get_client

    from models.db import session_scope
    from models.queries.submissions import cycle_submissions
    from services.imports import import_units

    root = Path(__file__).parents[1]
    point_app(app_engine, THIDUA_PLANS_DIR=str(root / "plans"), THIDUA_SMTP_PORT="1")  # no mail server: the receipt stays
    with session_scope(app_engine) as session:
        import_units(session, root / "plans" / "units" / f"{PLAN.code}.csv", PLAN.code, PLAN.group_names)
    at = datetime(2025, 11, 20, 2, tzinfo=UTC)
    form = ReceiptForm(ke_hoach=PLAN.code, nam=2025, don_vi="ln-ub-loc-thai", tai_lieu=["to_trinh"], luc_nhan=at)
    state = record_dossier(form, return_state=True)
    assert state.is_completed() and state.result()["status"] == "còn thiếu"
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(state.state_details.flow_run_id)
    assert run.name == "Lộc Ninh 2025 · nhận tài liệu của ln-ub-loc-thai"
    wrong = record_dossier(form.model_copy(update={"don_vi": "loc-thai"}), return_state=True)
    assert wrong.is_failed() and "Đơn vị: “loc-thai”" in str(wrong.message) and "ln-ub-loc-thai (UBND xã Lộc Thái)" in str(wrong.message)
    with session_scope(app_engine) as session:
        assert list(cycle_submissions(session, PLAN.code, 2025)) == [("ho_so_khen_thuong/submission_deadline", "ln-ub-loc-thai")]
