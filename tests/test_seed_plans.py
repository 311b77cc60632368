"""The seed plans in plans/*.yaml: all valid, and hand-checked dates for each on the working-day calendar.

Every expected date below was checked by hand against the plan text and the Vietnamese calendar
(weekends, Tết, swapped days), not copied from the program's output.
"""

from datetime import date
from pathlib import Path

import pytest

from imports.plans import load_plans
from thidua.errors import InvalidInput
from thidua.plan.milestones import ScheduledMilestone, milestones_for_year
from thidua.plan.parse import parse_plan
from thidua.plan.schema import Plan, Roll

PLANS_DIR = Path(__file__).resolve().parent.parent / "plans"
SEEDS = ("can-tho-vpub-2019", "dong-thap-2021-2025", "mo-lao-2023", "loc-ninh-2024-2025")


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return load_plans(PLANS_DIR)


def by_kind(plan: Plan, year: int, **admin_dates: date) -> dict[str, ScheduledMilestone]:
    return {m.kind: m for m in milestones_for_year(plan, year, admin_dates=admin_dates)}


def in_tet_2026(day: date) -> bool:
    return date(2026, 2, 16) <= day <= date(2026, 2, 20)


# --- every file ---------------------------------------------------------------------------------


def test_every_plan_file_validates(plans: dict[str, Plan]) -> None:
    files = sorted(PLANS_DIR.glob("*.yaml"))
    assert len(files) >= len(SEEDS)
    assert len(plans) == len(files)  # one plan per file, codes unique
    assert set(SEEDS) <= set(plans)


def test_plan_code_matches_file_name(plans: dict[str, Plan]) -> None:
    assert {p.stem for p in PLANS_DIR.glob("*.yaml")} == set(plans)


def test_every_milestone_and_award_cites_its_section(plans: dict[str, Plan]) -> None:
    for code in SEEDS:
        plan = plans[code]
        assert all(m.source for m in plan.milestones), code
        assert all(a.source for a in plan.awards), code


def test_every_seed_owes_its_dossier_by_the_submission_deadline(plans: dict[str, Plan]) -> None:
    for code in SEEDS:
        plan = plans[code]
        deadline = plan.milestone("submission_deadline")
        assert deadline is not None and plan.dossier is not None and plan.dossier.due == ["submission_deadline"], code
        assert deadline.effective_roll is Roll.next_working_day, code
        assert all(d.source for d in plan.deliverables), code


# --- Cần Thơ: Văn phòng UBND thành phố, 2019 -------------------------------------------------------


def test_can_tho_identity_and_period(plans: dict[str, Plan]) -> None:
    plan = plans["can-tho-vpub-2019"]
    assert plan.issuer == "Văn phòng UBND thành phố Cần Thơ"
    assert plan.number is None and plan.issued_on is None  # neither is in the text
    # "đến hết ngày 31 tháng 11 năm 2019" does not exist: the file says 30/11/2019
    assert plan.period.end == date(2019, 11, 30)
    assert plan.period.start >= date(2019, 6, 4)  # implements city plan 98/KH-UBND of 04/06/2019
    assert list(plan.cycle_years) == [2019]
    assert plan.participants.collectives == ["phong-ban"]
    assert plan.participants.individuals == ["phong-ban"]
    assert plan.standing_agency.name.startswith("Phòng Hành chính - Tổ chức")


def test_can_tho_text_date_31_11_is_rejected_with_a_reason() -> None:
    text = (PLANS_DIR / "can-tho-vpub-2019.yaml").read_text(encoding="utf-8")
    assert "end: 30/11/2019" in text
    with pytest.raises(InvalidInput) as caught:
        parse_plan(text.replace("end: 30/11/2019", "end: 31/11/2019"), "can-tho.yaml")
    [error] = caught.value.errors
    assert (error.field, error.value) == ("period.end", "31/11/2019")
    assert error.reason == "tháng 11 chỉ có 30 ngày"
    assert str(error) == 'can-tho.yaml: period.end: "31/11/2019" — tháng 11 chỉ có 30 ngày'


def test_can_tho_2019_dates(plans: dict[str, Plan]) -> None:
    ms = by_kind(plans["can-tho-vpub-2019"], 2019)
    # IV.4.a "chậm nhất vào ngày 10 tháng 12 năm 2019": a Tuesday, kept as is
    sub = ms["submission_deadline"]
    assert (sub.status, sub.nominal, sub.date) == ("scheduled", date(2019, 12, 10), date(2019, 12, 10))
    assert sub.date.weekday() == 1
    # IV.4.c the council sends to the city by 20/01/2020 (a Monday) — part of the 2019 cycle, owed by the
    # standing agency (the council's secretariat), not by the departments
    council = ms["council_submission"]
    assert (council.date, council.date.weekday()) == (date(2020, 1, 20), 0)
    owed = {d.code: (d.owner.value, d.due) for d in plans["can-tho-vpub-2019"].deliverables}
    assert owed == {
        "ho_so_khen_thuong": ("units", ["submission_deadline"]),
        "bao_cao_cchc": ("units", ["report_6_months", "report_q3", "report_annual"]),  # V.2.b
        "ho_so_trinh_thanh_pho": ("standing_agency", ["council_submission"]),
    }
    # IV.4.b review in quarter I of 2020: default 15/03/2020 is a Sunday -> Monday 16/03/2020
    review = ms["annual_review"]
    assert (review.nominal, review.date) == (date(2020, 3, 15), date(2020, 3, 16))
    # launch and the V.2.b reports have no date in the text: pending, never guessed
    for kind in ("launch", "report_6_months", "report_q3", "report_annual"):
        assert (ms[kind].status, ms[kind].date) == ("pending", None), kind
    assert "không trước 04/06/2019" in ms["launch"].rule
    assert list(ms) == [
        "launch", "report_6_months", "report_q3", "report_annual",
        "submission_deadline", "council_submission", "annual_review",
    ]  # fmt: skip


def test_can_tho_review_never_on_tet_2020(plans: dict[str, Plan]) -> None:
    plan = plans["can-tho-vpub-2019"]
    # An admin picks Tết (25/01/2020, Mùng 1): Tết runs 23–29/01/2020, so the review moves to Thu 30/01/2020.
    review = by_kind(plan, 2019, annual_review=date(2020, 1, 25))["annual_review"]
    assert review.date == date(2020, 1, 30)
    assert "25/01/2020 là ngày nghỉ (Tết Nguyên Đán)" in review.rule


def test_can_tho_cycle_2020_does_not_exist(plans: dict[str, Plan]) -> None:
    # the 20/01/2020 and quarter-I-2020 milestones belong to the 2019 cycle; there is no 2020 cycle
    assert milestones_for_year(plans["can-tho-vpub-2019"], 2020) == []


def test_can_tho_dossier_eligibility_awards(plans: dict[str, Plan]) -> None:
    plan = plans["can-tho-vpub-2019"]
    assert plan.dossier is not None
    docs = {d.code: d for d in plan.dossier.document_list}
    assert list(docs) == ["to_trinh", "bien_ban", "bao_cao_thanh_tich", "bien_ban_hoi_dong_van_phong"]
    assert docs["bao_cao_thanh_tich"].form == "Mẫu số 07, Nghị định số 91/2017/NĐ-CP ngày 31/7/2017"
    assert docs["bien_ban_hoi_dong_van_phong"].required_for_awards == ["bang_khen"]
    collective = {c.criterion: getattr(c, "value", None) for c in plan.eligibility.collective}
    individual = {c.criterion: getattr(c, "value", None) for c in plan.eligibility.individual}
    assert collective == {"initiatives_min": 1, "dossier_complete": None, "on_time": None}
    assert individual == {
        "initiatives_min": 1, "no_discipline_from": "khien_trach", "dossier_complete": None, "on_time": None,
    }  # fmt: skip
    quotas = {(a.form, a.nominee): a.quota for a in plan.awards}
    assert quotas[("giay_khen", "collective")].max == 3
    assert quotas[("giay_khen", "individual")].per_unit == 2
    assert len(plan.awards) == 2  # Bằng khen has no quota in the text (IV.1.b): not an award entry


# --- Đồng Tháp: UBND tỉnh, 2021–2025 -------------------------------------------------------------


def test_dong_thap_identity_groups_awards(plans: dict[str, Plan]) -> None:
    plan = plans["dong-thap-2021-2025"]
    assert plan.number is None and plan.issued_on is None
    assert (plan.period.start, plan.period.end) == (date(2021, 1, 1), date(2025, 12, 31))
    assert list(plan.cycle_years) == [2021, 2022, 2023, 2024, 2025]
    assert plan.group_names == {
        "so-nganh": "Sở, ngành tỉnh",
        "ubnd-huyen": "UBND các huyện, thành phố",
        "ubnd-xa": "UBND các xã, phường, thị trấn",
    }
    assert plan.participants.collectives == ["so-nganh", "ubnd-huyen", "ubnd-xa"]
    assert plan.participants.individuals == ["so-nganh", "ubnd-huyen"]
    awards = {(a.form, a.nominee): a for a in plan.awards if a.occurs == "every_year"}
    flag = awards[("co_thi_dua", "collective")]
    assert (flag.groups, flag.quota.per_group) == (["so-nganh", "ubnd-huyen"], 1)  # 02 Cờ in all
    bk = awards[("bang_khen", "collective")]
    assert (bk.groups, bk.quota.per_group) == (["so-nganh", "ubnd-huyen"], 2)
    bk_i = awards[("bang_khen", "individual")]
    assert (bk_i.quota.per_unit, bk_i.quota.per_unit_excellent) == (1, 2)
    par = [c for c in plan.eligibility.collective if c.criterion == "par_index_min"]
    assert [c.value for c in par] == [80]
    assert plan.dossier is not None and all(d.form is None for d in plan.dossier.document_list)  # the text cites no form
    # V.2 "Khen thưởng sơ kết giai đoạn (sẽ có Hướng dẫn sau)": awaited, appraised only in 2025
    (phase,) = [a for a in plan.awards if a.occurs == "final_year"]
    assert phase.awaiting_guidance == "Khen thưởng sơ kết giai đoạn (sẽ có Hướng dẫn sau)"
    assert phase not in plan.awards_of(2024) and phase in plan.awards_of(2025)


def test_dong_thap_yearly_cycle(plans: dict[str, Plan]) -> None:
    plan = plans["dong-thap-2021-2025"]
    ms = by_kind(plan, 2024)
    assert "phase_summary" not in ms
    # VI.2.a: "sau khi có văn bản thông báo của Sở Nội vụ" — awaiting that guidance until its date is entered
    sub = ms["submission_deadline"]
    assert (sub.status, sub.date) == ("awaiting_guidance", None)
    assert "sau khi có văn bản thông báo của Sở Nội vụ" in sub.rule
    assert ms["par_announcement"].status == "pending" and ms["launch"].status == "pending"
    # III.2.b review of 2024 in quarter I 2025: 15/03/2025 is a Saturday -> Monday 17/03/2025
    assert (ms["annual_review"].nominal, ms["annual_review"].date) == (date(2025, 3, 15), date(2025, 3, 17))


def test_dong_thap_notice_on_a_saturday_rolls_forward(plans: dict[str, Plan]) -> None:
    # Sở Nội vụ's notice sets Saturday 26/04/2025 — a make-up working day (swapped with Fri 02/05/2025)
    # — so it stays; Saturday 19/04/2025 is a day off and rolls to Monday 21/04/2025.
    plan = plans["dong-thap-2021-2025"]
    assert by_kind(plan, 2024, submission_deadline=date(2025, 4, 26))["submission_deadline"].date == date(2025, 4, 26)
    assert by_kind(plan, 2024, submission_deadline=date(2025, 4, 19))["submission_deadline"].date == date(2025, 4, 21)


def test_dong_thap_phase_summary_only_in_2025_in_q1_2026(plans: dict[str, Plan]) -> None:
    plan = plans["dong-thap-2021-2025"]
    for year in (2021, 2022, 2023, 2024):
        kinds = [m.kind for m in milestones_for_year(plan, year)]
        assert "phase_summary" not in kinds and "phase_submission_deadline" not in kinds, year
    ms = by_kind(plan, 2025)
    phase = ms["phase_summary"]
    # default 15/03/2026 is a Sunday -> Monday 16/03/2026: quarter I 2026, a working day, not Tết
    assert (phase.nominal, phase.date) == (date(2026, 3, 15), date(2026, 3, 16))
    assert date(2026, 1, 1) <= phase.date <= date(2026, 3, 31)
    assert phase.date.weekday() < 5 and not in_tet_2026(phase.date)
    assert ms["phase_submission_deadline"].status == "awaiting_guidance"  # "Sở Nội vụ sẽ có hướng dẫn sau"
    assert ms["annual_review"].date == date(2026, 3, 16)  # the 2025 yearly review also runs
    assert milestones_for_year(plan, 2026) == []


@pytest.mark.parametrize(
    ("picked", "expected"),
    [
        (date(2026, 2, 17), date(2026, 2, 23)),  # Mùng 1 Tết -> Monday after Tết 16–20/02 and the weekend
        (date(2026, 2, 16), date(2026, 2, 23)),  # 29 Tết
        (date(2026, 1, 1), date(2026, 1, 2)),  # New Year's Day -> Friday 02/01/2026
        (date(2026, 3, 31), date(2026, 3, 31)),  # a Tuesday, kept
    ],
)
def test_dong_thap_phase_summary_admin_day_avoids_tet(plans: dict[str, Plan], picked: date, expected: date) -> None:
    phase = by_kind(plans["dong-thap-2021-2025"], 2025, phase_summary=picked)["phase_summary"]
    assert phase.date == expected
    assert not in_tet_2026(phase.date)


# --- Mộ Lao: UBND phường, 2023 ---------------------------------------------------------------------


def test_mo_lao_identity_and_dossier(plans: dict[str, Plan]) -> None:
    plan = plans["mo-lao-2023"]
    assert (plan.number, plan.issued_on, plan.place) == ("20/KH-UBND", date(2023, 2, 28), "Mộ Lao")
    assert (plan.period.start, plan.period.end) == (date(2023, 2, 28), date(2023, 12, 31))
    assert plan.standing_agency.name == "Văn phòng UBND phường Mộ Lao"
    assert plan.dossier is not None
    documents = plan.dossier.document_list
    assert [d.code for d in documents] == ["to_trinh", "bien_ban", "bao_cao_thanh_tich", "trich_ngang"]
    assert all("91/2017/NĐ-CP ngày 31/7/2017" in (d.form or "") for d in documents[2:])
    for award in plan.awards:
        assert (award.form, award.quota.min, award.quota.max) == ("giay_khen", 1, 2)
    assert sorted(a.nominee for a in plan.awards) == ["collective", "individual"]
    assert [c.criterion for c in plan.eligibility.collective] == ["dossier_complete", "on_time"]


def test_mo_lao_2023_dates(plans: dict[str, Plan]) -> None:
    plan = plans["mo-lao-2023"]
    ms = by_kind(plan, 2023)
    assert list(ms) == ["launch", "submission_deadline"]  # the text schedules no review
    # launched with the plan on Tuesday 28/02/2023
    assert (ms["launch"].date, ms["launch"].date.weekday()) == (date(2023, 2, 28), 1)
    sub = ms["submission_deadline"]
    assert (sub.status, sub.date) == ("pending", None)
    # once the ward office sets a date, a day off rolls forward: Saturday 02/09/2023 (National Day)
    # -> Sunday -> Monday 04/09/2023 (observed holiday) -> Tuesday 05/09/2023
    set_sub = by_kind(plan, 2023, submission_deadline=date(2023, 9, 2))["submission_deadline"]
    assert (set_sub.status, set_sub.date) == ("scheduled", date(2023, 9, 5))
    assert milestones_for_year(plan, 2024) == []


# --- the worked example of docs/plan-format.md (Lộc Ninh) ------------------------------------------


def test_worked_example_in_plan_format_doc(plans: dict[str, Plan]) -> None:
    plan = plans["loc-ninh-2024-2025"]
    ms = by_kind(plan, 2025, par_announcement=date(2025, 12, 24))
    # 30/11/2025 is a Sunday -> Monday 01/12/2025 (Civil Code art. 148)
    assert (ms["submission_deadline"].nominal, ms["submission_deadline"].date) == (date(2025, 11, 30), date(2025, 12, 1))
    # 24/12/2025 - 10 calendar days = Sunday 14/12/2025 -> back to Friday 12/12/2025
    appraisal = ms["appraisal_deadline"]
    assert (appraisal.nominal, appraisal.date) == (date(2025, 12, 14), date(2025, 12, 12))
    assert ms["submission_deadline"].date.weekday() == 0 and appraisal.date.weekday() == 4
    # 30/11/2024 was a Saturday -> Monday 02/12/2024
    assert by_kind(plan, 2024)["submission_deadline"].date == date(2024, 12, 2)
