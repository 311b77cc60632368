"""The appraisal logic on the four seed plans, with expectations computed by hand from the plan files."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from imports.plans import load_plan
from thidua.appraisal.counts import facts_warning, summary_lines
from thidua.appraisal.engine import appraise
from thidua.appraisal.model import AppraisalResult, Deadline, Facts, Outcome, Person, UnitInput
from thidua.cycle.state import DeliveryState
from thidua.plan.parse import parse_plan
from thidua.plan.schema import Discipline, NomineeKind, Plan

PLANS = Path(__file__).parents[1] / "plans"
AS_OF = datetime(2025, 12, 20, 3, 0, tzinfo=UTC)
DEADLINE = Deadline(date(2025, 12, 1), "hết ngày 01/12/2025")
ON_TIME = DeliveryState("complete", (), datetime(2025, 11, 20, 3, tzinfo=UTC), datetime(2025, 11, 20, 3, tzinfo=UTC), False)
LATE = DeliveryState("complete", (), datetime(2025, 12, 3, 3, tzinfo=UTC), datetime(2025, 12, 3, 3, tzinfo=UTC), True)


def plan(code: str) -> Plan:
    return load_plan(PLANS / f"{code}.yaml")


def unit(
    code: str,
    group: str,
    par: float | None,
    *,
    initiatives: int = 1,
    discipline: Discipline = Discipline.none,
    excellent: bool = False,
    dossier: DeliveryState = ON_TIME,
    individuals: tuple[str, ...] = (),
    gone: str | None = None,
    rank: int | None = None,
) -> UnitInput:
    facts = None if par is None else Facts(par, initiatives, discipline, excellent, None, rank)
    return UnitInput(code, f"Đơn vị {code}", group, gone, facts, dossier, dossier, tuple(map(Person, individuals)))


def proposed(result: AppraisalResult, form: str, kind: NomineeKind = NomineeKind.collective) -> list[str]:
    return [
        line.candidate.name if kind is NomineeKind.individual else line.candidate.unit.code
        for line in result.lines
        if line.award.form == form and line.candidate.kind is kind and line.outcome is Outcome.proposed
    ]


def outcome_of(result: AppraisalResult, form: str, code: str) -> Outcome:
    [line] = [
        line
        for line in result.lines
        if line.award.form == form and line.candidate.kind is NomineeKind.collective and line.candidate.unit.code == code
    ]
    return line.outcome


def failed(result: AppraisalResult, code: str, kind: NomineeKind = NomineeKind.collective) -> tuple[str, ...]:
    [candidate] = [c for c in result.candidates if c.unit.code == code and c.kind is kind]
    return candidate.failed


# --- Lộc Ninh: Giấy khen for at most 6 collectives; PAR ≥ 90, an initiative, no discipline from khiển trách ---

LN = "co-quan-chuyen-mon"
LN_XA = "ubnd-xa"


@pytest.fixture
def loc_ninh() -> AppraisalResult:
    units = [
        unit("a", LN, 98),
        unit("b", LN_XA, 97),
        unit("c", LN, 96),
        unit("d", LN, 95, discipline=Discipline.khien_trach),  # excluded by discipline
        unit("e", LN_XA, 94),
        unit("f", LN, 93, dossier=LATE),  # late: the plan says not eligible
        unit("g", LN_XA, 92),
        unit("h", LN, 91),
        unit("i", LN_XA, 91),  # tied with h for the 6th and last seat
        unit("j", LN, 89),  # below 90%
        unit("k", LN_XA, 99, gone="đã sáp nhập vào Đơn vị l (l) từ 01/07/2025; không xếp hạng riêng"),
        unit("l", LN_XA, 90.5),  # k's successor, ranked normally
        unit("m", LN, 95, initiatives=0),
        unit("n", LN, None),  # no facts imported
    ]
    return appraise(plan("loc-ninh-2024-2025"), 2025, AS_OF, DEADLINE, units)


def test_loc_ninh_gives_five_seats_and_sends_the_tie_for_the_sixth_to_the_council(loc_ninh: AppraisalResult) -> None:
    assert proposed(loc_ninh, "giay_khen") == ["a", "b", "c", "e", "g"]
    assert outcome_of(loc_ninh, "giay_khen", "h") is Outcome.tie
    assert outcome_of(loc_ninh, "giay_khen", "i") is Outcome.tie
    assert outcome_of(loc_ninh, "giay_khen", "l") is Outcome.over_quota
    [tie] = loc_ninh.ties
    assert (tie.rank, tie.seats, [c.unit.code for c in tie.candidates]) == (6, 1, ["h", "i"])
    [line] = [p for p in loc_ninh.proposals if p.candidate.unit.code == "h"]
    assert line.tie and "đồng hạng 6 với Đơn vị i khi chỉ còn 1 suất — Hội đồng quyết định" in line.reasons[0]


def test_loc_ninh_gives_each_exclusion_its_reason(loc_ninh: AppraisalResult) -> None:
    assert failed(loc_ninh, "d") == (
        "lãnh đạo chủ chốt bị kỷ luật Khiển trách (từ mức Khiển trách trở lên không được xét)",
    )
    assert failed(loc_ninh, "f") == ("nộp muộn: đủ hồ sơ ngày Thứ Tư, 03/12/2025, sau hạn Thứ Hai, 01/12/2025",)
    assert failed(loc_ninh, "j") == ("Chỉ số CCHC 89%, dưới mức 90%",)
    assert failed(loc_ninh, "m") == ("có 0 sáng kiến được công nhận, chưa đủ 1",)
    # issue 12: a missing row of facts names every fact the plan needs (a plan without PAR needs none of it)
    assert failed(loc_ninh, "n") == ("chưa có số liệu Chỉ số CCHC, số sáng kiến được công nhận, kỷ luật của lãnh đạo chủ chốt",)
    assert "đã sáp nhập vào Đơn vị l (l) từ 01/07/2025" in failed(loc_ninh, "k")[0]
    a = next(c for c in loc_ninh.candidates if c.unit.code == "a")
    assert a.eligible and "Chỉ số CCHC 98%, đạt mức từ 90% trở lên" in a.passed


def test_loc_ninh_ranks_each_group_without_the_merged_unit(loc_ninh: AppraisalResult) -> None:
    xa = [(row.rank, row.unit.code) for row in loc_ninh.ranking[LN_XA]]
    assert xa == [(1, "b"), (2, "e"), (3, "g"), (4, "i"), (5, "l")]
    cq = [(row.rank, row.unit.code) for row in loc_ninh.ranking[LN]]
    assert cq == [(1, "a"), (2, "c"), (3, "d"), (3, "m"), (5, "f"), (6, "h"), (7, "j")]


def test_a_late_dossier_stays_eligible_with_a_note_when_the_plan_says_so() -> None:
    text = (PLANS / "loc-ninh-2024-2025.yaml").read_text(encoding="utf-8")
    lenient = parse_plan(text.replace("late_dossier: not_eligible", "late_dossier: eligible_with_note"), "test.yaml")
    result = appraise(lenient, 2025, AS_OF, DEADLINE, [unit("f", LN, 93, dossier=LATE)])
    [candidate] = result.candidates
    assert candidate.eligible
    assert candidate.notes == (
        "nộp muộn: đủ hồ sơ ngày Thứ Tư, 03/12/2025, sau hạn Thứ Hai, 01/12/2025; theo kế hoạch vẫn được xét (ghi chú)",
    )
    assert proposed(result, "giay_khen") == ["f"] and candidate.notes[0] in result.proposals[0].reasons


# --- Đồng Tháp: 1 flag per group, then 2 Bằng khen per group, individuals 1 per unit (2 if excellent) ---

SO, HUYEN, XA = "so-nganh", "ubnd-huyen", "ubnd-xa"


@pytest.fixture
def dong_thap() -> AppraisalResult:
    units = [
        unit("s1", SO, 95, excellent=True, individuals=("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường")),
        unit("s2", SO, 93, individuals=("Phạm Thị Dung", "Hoàng Văn Em")),
        unit("s3", SO, 93),
        unit("s4", SO, 90),
        unit("s5", SO, 79),  # below 80%
        unit("h1", HUYEN, 92),
        unit("h2", HUYEN, 92),
        unit("h3", HUYEN, 88),
        unit("x1", XA, 99, individuals=("Võ Thị Giang",)),
    ]
    return appraise(plan("dong-thap-2021-2025"), 2025, AS_OF, DEADLINE, units)


def test_dong_thap_flags_the_top_department_and_reports_the_tie_between_districts(dong_thap: AppraisalResult) -> None:
    assert proposed(dong_thap, "co_thi_dua") == ["s1"]
    assert [(t.award.form, t.scope, [c.unit.code for c in t.candidates]) for t in dong_thap.ties] == [
        ("co_thi_dua", "nhóm UBND các huyện, thành phố", ["h1", "h2"])
    ]


def test_dong_thap_gives_bang_khen_to_two_collectives_per_group_after_the_flag(dong_thap: AppraisalResult) -> None:
    # s1 holds the flag, so s2 and s3 (tied at 93%, two seats) take the certificates; h1 and h2 are
    # tied for the flag and still compete here (two seats for the two of them).
    assert proposed(dong_thap, "bang_khen") == ["s2", "s3", "h1", "h2"]
    assert outcome_of(dong_thap, "bang_khen", "s1") is Outcome.other_form
    assert outcome_of(dong_thap, "bang_khen", "s4") is Outcome.over_quota
    assert all(line.candidate.unit.group != XA for line in dong_thap.lines)


def test_dong_thap_doubles_the_individual_quota_of_an_excellent_department(dong_thap: AppraisalResult) -> None:
    people = proposed(dong_thap, "bang_khen", NomineeKind.individual)
    assert people == ["Nguyễn Văn An", "Trần Thị Bình", "Phạm Thị Dung"]
    [an] = [p for p in dong_thap.proposals if p.candidate.name == "Nguyễn Văn An"]
    assert "(đơn vị thuộc nhóm xuất sắc)" in an.reasons[0]
    assert failed(dong_thap, "x1", NomineeKind.individual) == (
        "kế hoạch không xét khen thưởng cá nhân thuộc nhóm UBND các xã, phường, thị trấn",
    )


# Cần Thơ and Mộ Lao rank on their council's order and judge individuals on their own record (issue 12): their
# cases are in tests/test_council_appraisal.py.

BN = "ban-nganh"


def test_mo_lao_reports_an_unmet_minimum_and_a_pending_deadline_as_reasons() -> None:
    pending = Deadline(None, "chờ quản trị viên nhập ngày")
    result = appraise(plan("mo-lao-2023"), 2023, AS_OF, pending, [unit("m1", BN, 88, rank=1, individuals=("Cao Thị Mai",))])
    reason = "chưa xác định hạn nộp hồ sơ (chờ quản trị viên nhập ngày) nên chưa xét được việc nộp đúng hạn"
    assert failed(result, "m1") == (reason,)
    assert result.proposals == []
    assert result.shortfalls == (
        "Giấy khen của Chủ tịch UBND phường (tập thể, toàn kế hoạch): chỉ có 0 đủ điều kiện, chưa đạt số tối thiểu 1 theo kế hoạch",
        "Giấy khen của Chủ tịch UBND phường (cá nhân, toàn kế hoạch): chỉ có 0 đủ điều kiện, chưa đạt số tối thiểu 1 theo kế hoạch",
    )


def test_the_prefect_side_publishes_only_inside_a_run_under_valid_keys(loc_ninh: AppraisalResult) -> None:
    from tasks.appraisal import artifact_key, publish_appraisal

    assert artifact_key("appraisal", "loc-ninh-2024-2025", 2025) == "appraisal-loc-ninh-2024-2025-2025"
    assert artifact_key("Xếp hạng", "can_tho", 2019) == "x-p-h-ng-can-tho-2019"
    publish_appraisal(loc_ninh)  # outside a flow run: a no-op, no Prefect server needed


def test_a_cycle_without_facts_warns_and_says_how_to_import_them() -> None:
    loc_ninh = plan("loc-ninh-2024-2025")
    merged = unit("m", "ubnd-xa", None, gone="đã sáp nhập")
    none = appraise(loc_ninh, 2025, AS_OF, DEADLINE, [unit("a", "ubnd-xa", None), unit("b", "ubnd-xa", None), merged])
    warning = facts_warning(none)
    assert warning is not None and warning.startswith("Cảnh báo: chưa nhập số liệu năm 2025 của đơn vị nào")
    assert "thidua scores import <tệp> --plan loc-ninh-2024-2025 --year 2025" in warning and warning in summary_lines(none)
    some = appraise(loc_ninh, 2025, AS_OF, DEADLINE, [unit("a", "ubnd-xa", 95.0), unit("b", "ubnd-xa", None), merged])
    assert facts_warning(some) == "Cảnh báo: 1/2 đơn vị chưa có số liệu năm 2025; nhập bằng thidua scores import <tệp> --plan loc-ninh-2024-2025 --year 2025."
    full = appraise(loc_ninh, 2025, AS_OF, DEADLINE, [unit("a", "ubnd-xa", 95.0), merged])
    assert facts_warning(full) is None


def test_a_quota_awaiting_guidance_is_refused_with_the_plans_words_not_proposed_as_zero(dong_thap: AppraisalResult) -> None:
    # 2025 is Đồng Tháp's final year: the phase-summary Bằng khen has its quota left to later guidance
    assert dong_thap.awaiting == (
        "Bằng khen Chủ tịch UBND Tỉnh (sơ kết giai đoạn 2021 - 2025) (tập thể): chưa đề xuất vì chỉ tiêu chờ hướng dẫn — "
        "kế hoạch ghi “Khen thưởng sơ kết giai đoạn (sẽ có Hướng dẫn sau)”",
    )
    assert all(line.award.awaiting_guidance is None for line in dong_thap.lines)
