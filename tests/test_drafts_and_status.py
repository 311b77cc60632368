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
    (head,) = [d for d in sim.drafts if d.step == "escalate-1wd-unit_head"]
    assert head.recipient == "head-x@example.vn" and head.context.recipient_name == "Thủ trưởng UBND xã Lộc Hòa"
    assert head.context.days_left == 1 and head.context.kind is MessageKind.escalation_head
    assert head.context.missing_documents == (
        "Biên bản họp Hội đồng Thi đua - Khen thưởng của cơ quan, đơn vị",
        "Báo cáo thành tích của tập thể đề nghị khen thưởng",
    )


def test_a_confirmation_says_received_or_names_what_is_missing() -> None:
    sim = Simulation(PLAN, 2025, [unit("x")], {"x": [(date(2025, 11, 20), ("to_trinh",)), (date(2025, 11, 21), ALL_DOCS)]})
    deadline = sim.dates(date(2025, 11, 20)).deadline
    assert deadline is not None
    partial, complete = (sim.state(day).units[0] for day in (date(2025, 11, 20), date(2025, 11, 21)))
    (missing,) = receipt_drafts(PLAN, 2025, partial.unit, deadline, partial.dossier)
    assert missing.context.kind is MessageKind.dossier_incomplete and missing.step == "receipt-missing-bien_ban-bao_cao_thanh_tich"
    assert len(missing.context.missing_documents) == 2
    (received,) = receipt_drafts(PLAN, 2025, complete.unit, deadline, complete.dossier)
    assert received.context.kind is MessageKind.dossier_received and received.step == "receipt-complete"


def test_status_rows_say_where_each_unit_stands() -> None:
    receipts = {
        "on-time": [(date(2025, 11, 10), ALL_DOCS)],
        "late": [(date(2025, 12, 3), ALL_DOCS)],
        "partial": [(date(2025, 11, 20), ("to_trinh",))],
    }
    sim = Simulation(PLAN, 2025, [unit("on-time"), unit("late"), unit("partial"), unit("never")], receipts)
    sim.replay([date(2025, 1, 2), date(2025, 11, 17), date(2025, 11, 24), date(2025, 12, 2), date(2025, 12, 4)])
    state = sim.state(date(2025, 12, 4))
    rows = {row["Mã"]: row for row in status_rows(state)}
    assert (rows["on-time"]["Hồ sơ"], rows["on-time"]["Thời hạn"], rows["on-time"]["Nộp đủ ngày"]) == ("đã đủ", "đúng hạn", "10/11/2025")
    assert (rows["late"]["Hồ sơ"], rows["late"]["Thời hạn"]) == ("đã đủ", "trễ hạn")
    assert (rows["partial"]["Hồ sơ"], rows["partial"]["Thời hạn"]) == ("còn thiếu", "quá hạn")
    assert rows["partial"]["Còn thiếu"].startswith("Biên bản họp")
    assert rows["never"]["Hồ sơ"] == "chưa nộp" and rows["never"]["Nhắc gần nhất"] == "24/11/2025 (remind-7d)"
    assert rows["never"]["Mức báo cáo"] == "đã báo cơ quan thường trực"
    assert rows["late"]["Mức báo cáo"] == "đã báo Thủ trưởng"  # reported to its head on 02/12, in by 03/12
    record = status_record(state, next(s for s in state.units if s.unit.code == "never"))
    assert record["last_reminder"] == {"day": "2025-11-24", "step": "remind-7d"} and record["escalation_level"] == 2
    summary = summary_markdown(state)
    assert "Hồ sơ: 2 đã đủ, 1 còn thiếu, 1 chưa nộp (trên 4 đơn vị)." in summary
    assert "Trễ hạn: UBND xã late, UBND xã never, UBND xã partial."  # by code in summary
