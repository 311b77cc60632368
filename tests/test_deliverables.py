"""Everything a unit owes, each chased on its own deadline: reports, registration, the agency's own obligations,
deadlines left to later guidance, and deadlines moved after reminders went out."""

from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from cycle_sim import Simulation, unit

from imports.plans import load_plan
from thidua.appraisal.engine import appraise
from thidua.appraisal.model import Deadline, Facts, UnitInput
from thidua.cycle.state import AGENCY, DeliveryState
from thidua.cycle.status import awaited_guidance, deliverables_json, summary_markdown
from thidua.errors import InvalidInput
from thidua.plan.parse import parse_plan
from thidua.plan.schema import Discipline

PLANS = Path("plans")
LOC_NINH, CAN_THO, DONG_THAP = (load_plan(PLANS / f"{c}.yaml") for c in ("loc-ninh-2024-2025", "can-tho-vpub-2019", "dong-thap-2021-2025"))
DOSSIER = ("to_trinh", "bien_ban", "bao_cao_thanh_tich")


def owed(sim: Simulation, unit_code: str) -> set[tuple[str, str]]:
    """(deliverable/occurrence, step code) of every message written to `unit_code`."""
    return {(d.milestone, d.step.rpartition("/")[2]) for d in sim.drafts if d.unit_code == unit_code}


def test_can_tho_reminds_each_department_of_each_report_on_its_own_date_once_set_and_of_the_dossier() -> None:
    dates = {"launch": date(2019, 6, 10), "report_6_months": date(2019, 6, 25), "report_q3": date(2019, 9, 20), "report_annual": date(2019, 11, 20)}
    sim = Simulation(CAN_THO, 2019, [unit("p-tong-hop", group="phong-ban")], admin_dates=dates)
    # each report's own 7-day step, the dossier's (10/12/2019, a Tuesday: 03/12), and the council's submission
    days = [date(2019, 6, 10), date(2019, 6, 18), date(2019, 9, 13), date(2019, 11, 13), date(2019, 12, 3), date(2020, 1, 13)]
    sim.replay(days)
    assert owed(sim, "p-tong-hop") >= {
        ("bao_cao_cchc/report_6_months", "remind-7d"),
        ("bao_cao_cchc/report_q3", "remind-7d"),
        ("bao_cao_cchc/report_annual", "remind-7d"),
        ("ho_so_khen_thuong/submission_deadline", "remind-7d"),
    }
    steps = {d.step for d in sim.drafts if d.milestone.startswith("bao_cao_cchc/") and d.step.endswith("remind-7d")}
    assert steps == {"2019-06-25/remind-7d", "2019-09-20/remind-7d", "2019-11-20/remind-7d"}  # keyed by their own dates
    council = [d for d in sim.drafts if d.unit_code == AGENCY]
    assert {(d.milestone, d.recipient) for d in council} == {("ho_so_trinh_thanh_pho/council_submission", CAN_THO.standing_agency.email)}


def test_reports_without_a_date_are_not_chased_until_the_office_sets_it() -> None:
    sim = Simulation(CAN_THO, 2019, [unit("p-tong-hop", group="phong-ban")], admin_dates={"launch": date(2019, 6, 10)})
    sim.replay([date(2019, 6, 18), date(2019, 9, 13), date(2019, 11, 13)])
    assert not any(d.milestone.startswith("bao_cao_cchc/") for d in sim.drafts)
    assert {d["code"]: d["status"] for d in deliverables_json(sim.dates(date(2019, 6, 18)).occurrences)}["bao_cao_cchc"] == "pending"


def test_a_unit_complete_on_its_dossier_is_still_chased_for_its_report_and_only_for_it() -> None:
    receipts = {"x": [(date(2025, 11, 10), DOSSIER)]}
    sim = Simulation(LOC_NINH, 2025, [unit("x")], receipts)
    sim.replay([date(2025, 1, 2), date(2025, 11, 17), date(2025, 11, 24), date(2025, 12, 2)])
    assert owed(sim, "x") == {
        ("launch", "launch"),
        ("bao_cao_ket_qua/report_deadline", "remind-14d"),
        ("bao_cao_ket_qua/report_deadline", "remind-7d"),
        ("bao_cao_ket_qua/report_deadline", "escalate-1wd-unit_head"),
    }
    (reminder,) = [d for d in sim.drafts if d.step.endswith("remind-14d")]
    assert reminder.context.deliverable == "Báo cáo kết quả thực hiện phong trào thi đua"
    assert reminder.context.milestone_label == "hạn gửi báo cáo kết quả thực hiện phong trào thi đua"


def test_the_launch_notice_lists_what_each_unit_owes_with_its_deadline() -> None:
    sim = Simulation(LOC_NINH, 2025, [unit("x")])
    sim.run(date(2025, 1, 2))
    (launch,) = [d for d in sim.drafts if d.channel == "email"]
    assert launch.context.owed == (
        "Hồ sơ đề nghị khen thưởng: Thứ Hai, 01/12/2025",
        "Báo cáo kết quả thực hiện phong trào thi đua: Thứ Hai, 01/12/2025",
    )


def test_the_standing_agency_is_reminded_of_its_own_obligation_and_never_escalated() -> None:
    sim = Simulation(LOC_NINH, 2025, [unit("x")], admin_dates={"par_announcement": date(2025, 12, 24)})
    sim.replay([date(2025, 12, 2), date(2025, 12, 5), date(2025, 12, 12), date(2025, 12, 15)])
    mine = {(d.step, d.recipient) for d in sim.drafts if d.unit_code == AGENCY}
    email = LOC_NINH.standing_agency.email
    assert mine == {("2025-12-12/remind-14d", email), ("2025-12-12/remind-7d", email), ("2025-12-12/deadline-day", email)}


REGISTRATION = """
  - kind: registration_deadline
    label: hạn đăng ký thi đua
    rule: {type: yearly, day: "15/03"}
    roll: next_working_day
    source: "test"
"""
REGISTRATION_DELIVERABLE = """
  - code: dang_ky
    name: Đăng ký thi đua
    kind: registration
    due: [registration_deadline]
"""


def with_registration(plan_text: str, criterion: bool = False) -> str:
    text = plan_text.replace("\nmilestones:\n", "\nmilestones:\n" + REGISTRATION.lstrip("\n"), 1)
    text = text.replace("\ndeliverables:\n", "\ndeliverables:\n" + REGISTRATION_DELIVERABLE.lstrip("\n"), 1)
    if criterion:
        text = text.replace("    - {criterion: on_time}\n", "    - {criterion: on_time}\n    - {criterion: registered}\n", 1)
    return text


def test_a_registration_deadline_is_chased_and_closes_on_registration() -> None:
    plan = parse_plan(with_registration((PLANS / "loc-ninh-2024-2025.yaml").read_text()), "p.yaml")
    sim = Simulation(plan, 2025, [unit("on-time"), unit("never")], {("dang_ky", "on-time"): [(date(2025, 3, 5), ("dang_ky",))]})
    sim.replay([date(2025, 1, 2), date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 18)])
    registration = {(d.unit_code, d.step.rpartition("/")[2]) for d in sim.drafts if d.milestone.startswith("dang_ky/")}
    assert registration == {("on-time", "remind-14d"), ("never", "remind-14d"), ("never", "remind-7d"), ("never", "escalate-1wd-unit_head")}
    state = sim.state(date(2025, 3, 18))
    delivered = {s.unit.code: s.deliveries["dang_ky/registration_deadline"].state.delivered for s in state.units if s.unit.code != AGENCY}
    assert delivered == {"on-time": True, "never": False}


def test_an_unregistered_nominee_is_excluded_with_the_reason() -> None:
    plan = parse_plan(with_registration((PLANS / "loc-ninh-2024-2025.yaml").read_text(), criterion=True), "p.yaml")
    at = datetime(2025, 12, 12, 3)
    complete = DeliveryState("complete", (), at, at, False)
    facts = Facts(95.0, 1, Discipline.none, False)
    units = [
        UnitInput("reg", "Đã đăng ký", "ubnd-xa", None, facts, complete, complete, registered=True),
        UnitInput("not", "Chưa đăng ký", "ubnd-xa", None, facts, complete, complete, registered=False),
    ]
    result = appraise(plan, 2025, at, Deadline(date(2025, 12, 1), "hết ngày 01/12/2025"), units)
    failed = {c.unit.code: c.failed for c in result.candidates}
    assert failed["reg"] == () and any("chưa đăng ký thi đua" in reason for reason in failed["not"])


def test_guidance_awaited_chases_nobody_and_is_named_in_the_summary() -> None:
    sim = Simulation(DONG_THAP, 2025, [unit("s1", group="so-nganh")], admin_dates={"launch": date(2025, 1, 6)})
    sim.replay([date(2025, 1, 6), date(2025, 11, 17), date(2025, 12, 1), date(2025, 12, 15)])
    assert {d.milestone for d in sim.drafts} == {"launch"}  # the notice only: both dossiers await guidance
    state = sim.state(date(2025, 12, 15))
    awaited = awaited_guidance(state)
    assert any("Hồ sơ đề nghị khen thưởng sơ kết giai đoạn 2021 - 2025: chờ hướng dẫn" in line for line in awaited)
    assert any("sau khi có văn bản thông báo của Sở Nội vụ" in line for line in awaited)
    assert not any("chờ hướng dẫn — chờ hướng dẫn" in line for line in awaited)
    assert awaited[-1] == (  # the phase-summary quota (2025 is the final year): nothing is proposed for it
        "Chỉ tiêu Bằng khen Chủ tịch UBND Tỉnh (sơ kết giai đoạn 2021 - 2025): chờ hướng dẫn — Khen thưởng sơ kết giai đoạn "
        "(sẽ có Hướng dẫn sau) (kế hoạch từ 01/01/2021); chưa đề xuất khen thưởng hình thức này"
    )
    assert not any(line.startswith("Chỉ tiêu") for line in awaited_guidance(Simulation(DONG_THAP, 2024, []).state(date(2024, 12, 1))))
    assert "## Chờ hướng dẫn" in summary_markdown(state)
    statuses = {d["code"]: d["status"] for d in deliverables_json(state.occurrences)}
    assert statuses == {"ho_so_khen_thuong": "awaiting_guidance", "ho_so_so_ket": "awaiting_guidance"}


def test_guidance_once_given_is_picked_up_on_the_next_run() -> None:
    sim = Simulation(DONG_THAP, 2025, [unit("s1", group="so-nganh")], admin_dates={"launch": date(2025, 1, 6)})
    sim.run(date(2025, 11, 17))
    sim.admin_dates["submission_deadline"] = date(2025, 11, 28)  # the notice of Sở Nội vụ sets the date
    sim.run(date(2025, 11, 18))
    assert {d.step for d in sim.drafts if d.milestone == "ho_so_khen_thuong/submission_deadline"} == {"2025-11-28/remind-14d"}


def test_a_deadline_moved_after_reminders_went_out_gets_its_own_ladder_and_repeats_nothing() -> None:
    sim = Simulation(LOC_NINH, 2025, [unit("x")])
    sim.replay([date(2025, 1, 2), date(2025, 11, 17), date(2025, 11, 24)])
    sim.admin_dates["submission_deadline"] = date(2025, 12, 15)  # extended from 01/12 to 15/12
    sim.replay([date(2025, 11, 25), date(2025, 12, 1), date(2025, 12, 2), date(2025, 12, 8), date(2025, 12, 15)])
    dossier = sorted(d.step for d in sim.drafts if d.milestone == "ho_so_khen_thuong/submission_deadline" and d.channel == "email")
    assert dossier == [
        "2025-12-01/remind-14d", "2025-12-01/remind-7d",  # before the move
        "2025-12-15/deadline-day", "2025-12-15/remind-14d", "2025-12-15/remind-7d",  # the new ladder
    ]  # fmt: skip
    assert max(Counter((d.unit_code, d.milestone, d.step, d.channel) for d in sim.drafts).values()) == 1


def test_a_plan_in_the_old_shape_is_told_what_to_write_instead() -> None:
    old = (PLANS / "loc-ninh-2024-2025.yaml").read_text().replace("    source: \"III.4.a\"\n", "    chase: true\n    source: \"III.4.a\"\n", 1)
    old += "documents:\n  - {code: to_trinh, name: Tờ trình}\n"
    with pytest.raises(InvalidInput) as error:
        parse_plan(old, "cu.yaml")
    problems = {e.field: e.reason for e in error.value.errors}
    assert set(problems) == {"documents", "milestones[1].chase"}
    assert "deliverables" in problems["documents"] and "deliverables" in problems["milestones[1].chase"]


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (("due: [report_deadline]", "due: [no_such_milestone]"), "deliverables[1].due[0]", "không có mốc nào"),
        (("code: bao_cao_ket_qua\n    name", "code: ho_so_khen_thuong\n    name"), "deliverables[1].code", "bị lặp"),
        (("kind: report\n", "kind: reprot\n"), "deliverables[1].kind", "phải là một trong"),
    ],
)
def test_deliverable_errors_name_the_field(change: tuple[str, str], field: str, reason: str) -> None:
    text = (PLANS / "loc-ninh-2024-2025.yaml").read_text()
    assert change[0] in text
    with pytest.raises(InvalidInput) as error:
        parse_plan(text.replace(change[0], change[1], 1), "x.yaml")
    assert any(e.field == field and reason in e.reason for e in error.value.errors), error.value.errors
