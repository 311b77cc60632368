"""What the administrator reads first: runs named for what they do, and where a cycle stands and what comes next."""

from datetime import date
from pathlib import Path

from cycle_sim import Simulation, unit

from imports.plans import load_plan
from thidua.cycle.outlook import Action, next_actions, timeline
from thidua.cycle.state import Event
from thidua.cycle.status import summary_markdown
from thidua.cycle.titles import cycle_title, step_title

PLAN = load_plan(Path(__file__).parents[1] / "plans" / "loc-ninh-2024-2025.yaml")
ALL_DOCS = ("to_trinh", "bien_ban", "bao_cao_thanh_tich")
DOSSIER = "ho_so_khen_thuong/submission_deadline@2025-12-01"


def test_each_step_of_a_year_has_a_name_of_its_own() -> None:
    codes = ["remind-14d", "remind-7d", "remind-1d", "deadline-day", "escalate-1wd-unit_head", "escalate-3wd-standing_agency", "escalate-5wd-chairman"]
    names = [f"{cycle_title(PLAN, 2025)} · {step_title(PLAN, f'{DOSSIER}/{code}')}" for code in codes]
    assert len(set(names)) == len(codes)
    assert names[1] == "Lộc Ninh 2025 · nhắc trước 7 ngày: Hồ sơ đề nghị khen thưởng (hạn 01/12/2025)"
    assert names[-1] == (
        "Lộc Ninh 2025 · báo cáo Chủ tịch UBND huyện Lộc Ninh: Hồ sơ đề nghị khen thưởng (quá hạn 5 ngày làm việc, hạn 01/12/2025)"
    )
    report = step_title(PLAN, "bao_cao_ket_qua/report_deadline@2025-12-01/escalate-3wd-standing_agency")
    assert report == "báo Phòng Nội vụ huyện Lộc Ninh: Báo cáo kết quả thực hiện phong trào thi đua (quá hạn 3 ngày làm việc, hạn 01/12/2025)"
    assert step_title(PLAN, "launch") == "thông báo phát động"
    assert step_title(PLAN, "khong-co/moc@2025-12-01/remind-7d") == "khong-co/moc@2025-12-01/remind-7d"  # shown as it is


def replayed(days: list[date], receipts: dict) -> Simulation:
    sim = Simulation(PLAN, 2025, [unit("a", "UBND xã An"), unit("b", "UBND xã Bình")], receipts)
    sim.replay(days)
    return sim


def test_before_the_deadline_the_next_reminder_comes_first_and_milestones_are_in_date_order() -> None:
    sim = replayed([date(2025, 1, 2), date(2025, 11, 17)], {"a": [(date(2025, 11, 10), ALL_DOCS)]})
    state = sim.state(date(2025, 11, 18))
    first = next_actions(state)[0]
    assert first == Action(date(2025, 11, 24), "nhắc trước 7 ngày: Hồ sơ đề nghị khen thưởng (hạn Thứ Hai, 01/12/2025; 1 đơn vị chưa nộp đủ)")
    lines = timeline(state)
    days = [line.day for line in lines if line.day]
    assert days == sorted(days)
    assert lines[0].what == "phát động phong trào" and lines[0].standing == "done"
    dossier = next(line for line in lines if line.what == "Hồ sơ đề nghị khen thưởng")
    assert dossier.standing == "next" and dossier.note == "1/2 chưa nộp đủ: UBND xã Bình (b)"
    assert [line.standing for line in lines if line.day is None] == ["pending", "pending"]  # the agency's tờ trình, the PAR date


def test_after_the_deadline_the_late_deliverable_is_overdue_and_the_next_escalation_is_named() -> None:
    days = [date(2025, 1, 2), date(2025, 11, 17), date(2025, 11, 24), date(2025, 11, 28), date(2025, 12, 1), date(2025, 12, 2)]
    sim = replayed(days, {"a": [(date(2025, 11, 10), ALL_DOCS)], ("bao_cao_ket_qua", "a"): [(date(2025, 11, 10), ("bao_cao_ket_qua",))],
                          ("bao_cao_ket_qua", "b"): [(date(2025, 11, 12), ("bao_cao_ket_qua",))]})  # fmt: skip
    state = sim.state(date(2025, 12, 2))
    standing = {line.what: line.standing for line in timeline(state)}
    assert standing["Hồ sơ đề nghị khen thưởng"] == "overdue"
    assert standing["Báo cáo kết quả thực hiện phong trào thi đua"] == "done"  # everyone delivered it
    actions = next_actions(state)
    assert actions[0] == Action(date(2025, 12, 4), "báo Phòng Nội vụ huyện Lộc Ninh: Hồ sơ đề nghị khen thưởng (hạn Thứ Hai, 01/12/2025; 1 đơn vị chưa nộp đủ)")
    assert actions[-1].day is None and "--milestone par_announcement" in actions[-1].what  # only the administrator's own date
    assert sum(a.day is None for a in actions) == 1  # the appraisal deadline follows from it: not asked for


def test_once_everyone_delivered_no_reminder_is_announced() -> None:
    done = {code: [(date(2025, 11, 10), ALL_DOCS)] for code in ("a", "b")} | {
        ("bao_cao_ket_qua", code): [(date(2025, 11, 10), ("bao_cao_ket_qua",))] for code in ("a", "b")
    }
    state = replayed([date(2025, 1, 2)], done).state(date(2025, 11, 18))
    assert [a.what for a in next_actions(state) if a.day] == ["tổng kết năm"]


def test_the_summary_puts_the_next_action_on_top() -> None:
    sim = replayed([date(2025, 1, 2), date(2025, 11, 17)], {"a": [(date(2025, 11, 10), ALL_DOCS)]})
    summary = summary_markdown(sim.state(date(2025, 11, 18)), ["đã gửi 2 tin"])
    head, _, rest = summary.partition("## Các mốc và việc phải nộp")
    assert head.startswith("# Lộc Ninh 2025 · loc-ninh-2024-2025")
    assert "**Việc tiếp theo:** Thứ Hai, 24/11/2025 — nhắc trước 7 ngày: Hồ sơ đề nghị khen thưởng" in head
    assert "| Thứ Năm, 02/01/2025 | phát động phong trào | ✔ đã xong |" in rest
    assert rest.rstrip().endswith("- đã gửi 2 tin")


def test_an_overdue_review_that_has_not_run_is_the_next_action_with_how_to_run_it() -> None:
    everyone = {code: [(date(2025, 11, 10), ALL_DOCS)] for code in ("a", "b")} | {
        ("bao_cao_ket_qua", code): [(date(2025, 11, 10), ("bao_cao_ket_qua",))] for code in ("a", "b")
    }
    sim = replayed([date(2025, 1, 2)], everyone)
    review = date(2026, 3, 16)
    assert {line.what: line.standing for line in timeline(sim.state(date(2026, 12, 5)))}["tổng kết phong trào thi đua năm"] == "overdue"
    late = next_actions(sim.state(date(2026, 3, 20)))[0]  # within the grace: the next run catches it up
    assert late == Action(review, "tổng kết năm: quá hạn, chưa chạy — lần điều phối tới sẽ chạy bù; chạy ngay: thidua tick")
    summary = summary_markdown(sim.state(date(2026, 12, 5)), text=str)  # months later: only by hand
    assert "không còn việc nào" not in summary
    assert ("**Việc tiếp theo:** Thứ Hai, 16/03/2026 — tổng kết năm: quá hạn, chưa chạy — đã quá 30 ngày, bộ điều phối không tự "
            "chạy bù; chạy bằng biểu mẫu “Chạy lại một bước” (Bước: Tổng kết năm) trên Prefect UI") in summary  # fmt: skip
    sim.events[("annual_review", "2025")] = Event("annual_review", "2025", review)
    assert [a for a in next_actions(sim.state(date(2026, 12, 5))) if a.day] == []  # once it ran, nothing is left but the dates to enter


def test_an_escalation_missed_while_the_service_was_down_is_the_next_action() -> None:
    sim = replayed([date(2025, 1, 2), date(2025, 11, 17), date(2025, 11, 24), date(2025, 11, 28), date(2025, 12, 1)],
                   {"a": [(date(2025, 11, 10), ALL_DOCS)]})  # fmt: skip
    first = next_actions(sim.state(date(2025, 12, 3)))[0]  # the run of 02/12 did not happen
    assert first == Action(date(2025, 12, 2), "báo Thủ trưởng đơn vị: Hồ sơ đề nghị khen thưởng (hạn Thứ Hai, 01/12/2025; 1 đơn vị "
                                              "chưa nộp đủ): quá hạn, chưa gửi — lần điều phối tới sẽ gửi bù; gửi ngay: thidua tick")  # fmt: skip
    sim.run(date(2025, 12, 3))
    assert not any("quá hạn, chưa gửi" in a.what and "Hồ sơ" in a.what for a in next_actions(sim.state(date(2025, 12, 3))))
