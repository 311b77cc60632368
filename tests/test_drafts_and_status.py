"""What the decider writes (drafts on each channel, with fallbacks) and what an administrator reads (status rows)."""

from datetime import date
from pathlib import Path

from cycle_sim import Simulation, unit

from imports.plans import load_plan
from thidua.cycle.drafts import MessageKind, receipt_drafts
from thidua.cycle.status import status_record, status_rows, summary_markdown

PLAN = load_plan(Path("plans/loc-ninh-2024-2025.yaml"))
ALL_DOCS = ("to_trinh", "bien_ban", "bao_cao_thanh_tich")


def test_each_unit_gets_one_draft_per_channel_it_can_be_reached_on_with_email_as_the_fallback() -> None:
    units = [
        unit("email-only"),
        unit("follower", zalo_user="42"),
        unit("phone", phone="84912345678"),
        unit("zalo-only", email=False, phone="84987654321"),
    ]
    sim = Simulation(PLAN, 2025, units)
    sim.run(date(2025, 1, 2))
    drafts = {(d.unit_code, d.channel): d for d in sim.drafts}
    assert set(drafts) == {
        ("email-only", "email"), ("follower", "email"), ("follower", "zalo"),
        ("phone", "email"), ("phone", "zalo"), ("zalo-only", "zalo"),
    }  # fmt: skip
    assert drafts[("follower", "zalo")].recipient == "user:42"
    assert drafts[("phone", "zalo")].recipient == "84912345678"
    assert drafts[("phone", "zalo")].fallback == ("email", "phone@example.vn")
    assert drafts[("zalo-only", "zalo")].fallback is None
    assert drafts[("email-only", "email")].fallback is None
    assert {d.context.kind for d in sim.drafts} == {MessageKind.launch}


def test_the_unit_head_is_told_by_name_with_the_working_days_late_and_what_is_missing() -> None:
    sim = Simulation(PLAN, 2025, [unit("x", "UBND xã Lộc Hòa")], {"x": [(date(2025, 11, 20), ("to_trinh",))]})
    sim.replay([date(2025, 1, 2), date(2025, 12, 2)])
    (head,) = [d for d in sim.drafts if d.step == "2025-12-01/escalate-1wd-unit_head" and d.milestone.startswith("ho_so")]
    assert head.recipient == "head-x@example.vn" and head.context.recipient_name == "Thủ trưởng UBND xã Lộc Hòa"
    assert head.context.days_left == 1 and head.context.kind is MessageKind.escalation_head
    assert head.context.missing_documents == (
        "Biên bản họp Hội đồng Thi đua - Khen thưởng của cơ quan, đơn vị",
        "Báo cáo thành tích của tập thể đề nghị khen thưởng",
    )


def test_a_confirmation_says_received_or_names_what_is_missing() -> None:
    sim = Simulation(PLAN, 2025, [unit("x")], {"x": [(date(2025, 11, 20), ("to_trinh",)), (date(2025, 11, 21), ALL_DOCS)]})
    dossier = sim.dates(date(2025, 11, 20)).dossier
    assert dossier is not None
    partial, complete = (sim.state(day).units[0].deliveries[dossier.key] for day in (date(2025, 11, 20), date(2025, 11, 21)))
    x = sim.state(date(2025, 11, 20)).units[0].unit
    (missing,) = receipt_drafts(PLAN, 2025, x, dossier, partial.state)
    assert missing.context.kind is MessageKind.dossier_incomplete and missing.step == "receipt-missing-bien_ban-bao_cao_thanh_tich"
    assert len(missing.context.missing_documents) == 2
    (received,) = receipt_drafts(PLAN, 2025, x, dossier, complete.state)
    assert received.context.kind is MessageKind.dossier_received and received.step == "receipt-complete"


def test_status_rows_say_where_each_unit_stands_on_each_thing_it_owes() -> None:
    receipts = {
        "on-time": [(date(2025, 11, 10), ALL_DOCS)],
        "late": [(date(2025, 12, 3), ALL_DOCS)],
        "partial": [(date(2025, 11, 20), ("to_trinh",))],
        ("bao_cao_ket_qua", "on-time"): [(date(2025, 11, 10), ("bao_cao_ket_qua",))],
    }
    sim = Simulation(PLAN, 2025, [unit("on-time"), unit("late"), unit("partial"), unit("never")], receipts)
    sim.replay([date(2025, 1, 2), date(2025, 11, 17), date(2025, 11, 24), date(2025, 12, 2), date(2025, 12, 4)])
    state = sim.state(date(2025, 12, 4))
    rows = {(row["Mã"], row["Việc phải nộp"]): row for row in status_rows(state)}
    dossier, report = "Hồ sơ đề nghị khen thưởng", "Báo cáo kết quả thực hiện phong trào thi đua"
    key_columns = ["Đơn vị", "Việc phải nộp", "Trạng thái", "Thời hạn", "Mức báo cáo", "Nhắc gần nhất"]
    assert list(status_rows(state)[0])[:6] == key_columns  # what the administrator scans for, on one screen
    on_time = rows[("on-time", dossier)]
    assert (on_time["Trạng thái"], on_time["Thời hạn"], on_time["Nộp đủ ngày"], on_time["Hạn"]) == ("đã đủ", "đúng hạn", "10/11/2025", "01/12/2025")
    assert (rows[("late", dossier)]["Trạng thái"], rows[("late", dossier)]["Thời hạn"]) == ("đã đủ", "trễ hạn")
    assert (rows[("partial", dossier)]["Trạng thái"], rows[("partial", dossier)]["Thời hạn"]) == ("còn thiếu", "quá hạn")
    assert rows[("partial", dossier)]["Còn thiếu"].startswith("Biên bản họp")
    never = rows[("never", dossier)]
    assert (never["Trạng thái"], never["Nhắc gần nhất"]) == ("chưa nộp", "24/11/2025 (nhắc trước 7 ngày)")
    assert never["Mức báo cáo"] == "đã báo cơ quan thường trực"
    assert rows[("late", dossier)]["Mức báo cáo"] == "đã báo Thủ trưởng"  # reported to its head on 02/12, in by 03/12
    assert rows[("on-time", report)]["Trạng thái"] == "đã đủ" and rows[("late", report)]["Trạng thái"] == "chưa nộp"
    record = status_record(state, next(s for s in state.units if s.unit.code == "never"))
    (dossier_record,) = [d for d in record["deliverables"] if d["code"] == "ho_so_khen_thuong"]
    assert dossier_record["last_reminder"] == {"day": "2025-11-24", "step": "remind-7d"} and dossier_record["escalation_level"] == 2
    summary = summary_markdown(state)
    assert "| Thứ Hai, 01/12/2025 | Hồ sơ đề nghị khen thưởng | ⚠ quá hạn | 2/4 chưa nộp đủ: UBND xã never (never), UBND xã partial (partial) |" in summary
