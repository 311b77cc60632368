"""Hand-computed appraisal cases of issue 12, on the seed plans, with the pure core (no database, no files).

Each expected result is worked out in the comments from the plan file before the product runs: individuals on
their own record (Cần Thơ III.2.b), a ward ranked on its council's order without any PAR INDEX (Mộ Lao III.3),
ranks worded as they are after an earlier award (Đồng Tháp), ties decided by the council, additions and
withdrawals, thresholds and close values printed so that a council can check them.
"""

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from imports.plans import load_plan
from thidua.appraisal.council import decision_errors
from thidua.appraisal.counts import award_counts
from thidua.appraisal.engine import appraise
from thidua.appraisal.model import (
    Action,
    AppraisalResult,
    Candidate,
    Deadline,
    Decision,
    Facts,
    NomineeRef,
    Outcome,
    Person,
    PersonFacts,
    UnitInput,
)
from thidua.cycle.state import DeliveryState
from thidua.errors import InvalidInput
from thidua.plan.parse import parse_plan
from thidua.plan.schema import Discipline, NomineeKind, Plan

PLANS = Path(__file__).parents[1] / "plans"
AS_OF = datetime(2025, 12, 20, 3, tzinfo=UTC)
DEADLINE = Deadline(date(2025, 12, 1), "hết ngày 01/12/2025")
ON_TIME = DeliveryState("complete", (), datetime(2025, 11, 20, 3, tzinfo=UTC), datetime(2025, 11, 20, 3, tzinfo=UTC), False)
COUNCIL_AT = datetime(2025, 12, 22, 2, tzinfo=UTC)


def plan(code: str, *changes: tuple[str, str]) -> Plan:
    text = (PLANS / f"{code}.yaml").read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    return parse_plan(text, f"{code}.yaml")


def person(name: str, *, rank: int | None = None, initiatives: int = 1, discipline: Discipline = Discipline.none,
           record: bool = True) -> Person:  # fmt: skip
    facts = PersonFacts("Chuyên viên", initiatives, discipline, None, rank) if record else None
    return Person(name, facts)


def unit(code: str, name: str, group: str, *, par: float | None = None, rank: int | None = None,
         score: float | None = None, initiatives: int = 1, discipline: Discipline = Discipline.none,
         excellent: bool = False, people: tuple[Person, ...] = (), facts: bool = True) -> UnitInput:  # fmt: skip
    record = Facts(par, initiatives, discipline, excellent, score, rank) if facts else None
    return UnitInput(code, name, group, None, record, ON_TIME, ON_TIME, people)


def choose(form: str, kind: NomineeKind, *refs: NomineeRef, reason: str = "biểu quyết của Hội đồng",
           tie: tuple[NomineeRef, ...] = ()) -> Decision:  # fmt: skip
    return Decision(Action.choose, form, kind, refs, reason, "Thư ký Hội đồng", COUNCIL_AT, tie)


def lines_of(result: AppraisalResult, kind: NomineeKind = NomineeKind.collective, form: str | None = None) -> list[tuple[str, Outcome, int | None]]:
    return [
        (line.candidate.name, line.outcome, line.rank)
        for line in result.lines
        if line.candidate.kind is kind and (form is None or line.award.form == form)
    ]


def candidate(result: AppraisalResult, name: str) -> Candidate:
    [found] = [c for c in result.candidates if c.name == name]
    return found


# --- Cần Thơ: individuals judged on their own record; the council's order, no PAR INDEX ---------------------

PB = "phong-ban"


def can_tho_units() -> list[UnitInput]:
    # Phòng Kinh tế's key leader was reprimanded (Cảnh cáo). III.2.a has no discipline criterion for departments,
    # and III.2.b judges a person on their own record: Lâm Văn Hải keeps his nomination.
    return [
        unit("p1", "Phòng Kinh tế", PB, rank=1, discipline=Discipline.canh_cao, people=(person("Lâm Văn Hải", rank=1),)),
        unit("p2", "Phòng Văn xã", PB, rank=2, people=(
            person("Đỗ Thị Hoa", rank=1),
            person("Ngô Văn Khải", rank=2, initiatives=0),  # no initiative of his own
            person("Bùi Thị Lan", rank=3, initiatives=2, discipline=Discipline.khien_trach),  # reprimanded herself
            person("Trần Văn Minh", record=False),  # no record imported
        )),
        unit("p3", "Phòng Nội chính", PB, rank=3),
        unit("p4", "Phòng Tổng hợp", PB, rank=4),  # fourth for 3 seats
        unit("p5", "Phòng Quản trị - Tài vụ", PB, rank=5, initiatives=0),  # no initiative: not eligible
    ]  # fmt: skip


def test_can_tho_individuals_are_judged_on_their_own_record() -> None:
    result = appraise(plan("can-tho-vpub-2019"), 2019, AS_OF, DEADLINE, can_tho_units())
    # Collectives: no PAR INDEX anywhere, nobody excluded for it; the council's order 1, 2, 3 takes the 3 seats.
    assert lines_of(result) == [
        ("Phòng Kinh tế", Outcome.proposed, 1),
        ("Phòng Văn xã", Outcome.proposed, 2),
        ("Phòng Nội chính", Outcome.proposed, 3),
        ("Phòng Tổng hợp", Outcome.over_quota, 4),
    ]
    assert candidate(result, "Phòng Quản trị - Tài vụ").failed == ("có 0 sáng kiến được công nhận, chưa đủ 1",)
    # Individuals, 2 per department: Lâm Văn Hải despite his department's leader; Đỗ Thị Hoa alone eligible in p2.
    assert lines_of(result, NomineeKind.individual) == [
        ("Lâm Văn Hải", Outcome.proposed, 1),
        ("Đỗ Thị Hoa", Outcome.proposed, 1),
    ]
    assert candidate(result, "Lâm Văn Hải").passed[:2] == (
        "có 1 sáng kiến được công nhận (yêu cầu từ 1)",
        "bản thân không bị kỷ luật từ mức Khiển trách trở lên",
    )
    assert candidate(result, "Ngô Văn Khải").failed == ("có 0 sáng kiến được công nhận, chưa đủ 1",)
    assert candidate(result, "Bùi Thị Lan").failed == ("bản thân bị kỷ luật Khiển trách (từ mức Khiển trách trở lên không được xét)",)
    assert candidate(result, "Trần Văn Minh").failed == (
        "chưa có số liệu cá nhân: thứ tự bình xét của Hội đồng, số sáng kiến được công nhận, kỷ luật",
    )
    [hai] = [line for line in result.lines if line.candidate.name == "Lâm Văn Hải"]
    assert hai.reasons[0] == "Hội đồng xếp thứ 1 — hạng 1 trong đơn vị Phòng Kinh tế; trong chỉ tiêu 2 cá nhân mỗi đơn vị"
    assert hai.candidate.par_index is None  # an individual has no PAR INDEX of their own


def test_a_unit_leaders_discipline_excludes_its_people_only_where_the_plan_says_so() -> None:
    strict = plan("can-tho-vpub-2019", (
        "    - {criterion: no_discipline_from, value: khien_trach}\n    - {criterion: dossier_complete}\n    - {criterion: on_time}\n  # The text",
        "    - {criterion: no_discipline_from, value: khien_trach}\n    - {criterion: unit_leaders_no_discipline_from, value: khien_trach}\n"
        "    - {criterion: dossier_complete}\n    - {criterion: on_time}\n  # The text",
    ))  # fmt: skip
    result = appraise(strict, 2019, AS_OF, DEADLINE, can_tho_units())
    assert candidate(result, "Lâm Văn Hải").failed == (
        "lãnh đạo chủ chốt của đơn vị bị kỷ luật Cảnh cáo (kế hoạch không xét cá nhân của đơn vị này)",
    )
    assert [n for n, outcome, _ in lines_of(result, NomineeKind.individual) if outcome is Outcome.proposed] == ["Đỗ Thị Hoa"]


# --- Mộ Lao: the council's order, no PAR INDEX; a tie in that order goes to the council --------------------

BN = "ban-nganh"


def mo_lao_units() -> list[UnitInput]:
    return [
        unit("m1", "Văn phòng - Thống kê", BN, rank=2, people=(person("Cao Thị Mai", rank=2),)),
        unit("m2", "Tư pháp - Hộ tịch", BN, rank=1, people=(person("Đinh Văn Nam", rank=1), person("Lý Thị Oanh", rank=2))),
        unit("m3", "Văn hóa - Xã hội", BN, rank=3),
        unit("m4", "Hội Nông dân phường", BN, facts=False),  # the council did not place it
    ]


def test_mo_lao_ranks_on_the_councils_order_without_par() -> None:
    result = appraise(plan("mo-lao-2023"), 2023, AS_OF, DEADLINE, mo_lao_units())
    assert result.basis == "council_order"
    # Collectives, 1–2: the council's 1st and 2nd; nobody has a PAR INDEX and nobody is excluded for that.
    assert lines_of(result) == [
        ("Tư pháp - Hộ tịch", Outcome.proposed, 1),
        ("Văn phòng - Thống kê", Outcome.proposed, 2),
        ("Văn hóa - Xã hội", Outcome.over_quota, 3),
    ]
    assert candidate(result, "Hội Nông dân phường").failed == ("chưa có số liệu thứ tự bình xét của Hội đồng",)
    assert [(r.rank, r.unit.code) for r in result.ranking[BN]] == [(1, "m2"), (2, "m1"), (3, "m3")]
    # Individuals, 1–2 in the whole ward: Đinh Văn Nam 1st; Cao Thị Mai and Lý Thị Oanh both 2nd for the last seat.
    # The order in a dossier does not break a tie in the council's own order: the council decides.
    assert lines_of(result, NomineeKind.individual) == [
        ("Đinh Văn Nam", Outcome.proposed, 1),
        ("Cao Thị Mai", Outcome.tie, 2),
        ("Lý Thị Oanh", Outcome.tie, 2),
    ]
    [tie] = result.open_ties
    assert (tie.rank, tie.seats) == (2, 1)
    assert [str(c) for c in award_counts(result)] == [
        "2 tập thể",
        "2 cá nhân; 2 cá nhân đồng hạng ở vị trí cuối, chờ Hội đồng quyết định chọn 1",
    ]
    [first] = [line for line in result.lines if line.candidate.name == "Tư pháp - Hộ tịch"]
    assert first.reasons[0] == "Hội đồng xếp thứ 1 — hạng 1 trong toàn kế hoạch; trong chỉ tiêu tối đa 2 tập thể"


def test_mo_lao_tie_decided_by_the_council_makes_the_list_final() -> None:
    plan_ = plan("mo-lao-2023")
    oanh, mai = NomineeRef("m2", "Lý Thị Oanh"), NomineeRef("m1", "Cao Thị Mai")
    decision = choose("giay_khen", NomineeKind.individual, oanh, reason="trực tiếp giải quyết thủ tục một cửa", tie=(mai, oanh))
    result = appraise(plan_, 2023, AS_OF, DEADLINE, mo_lao_units(), [decision])
    assert lines_of(result, NomineeKind.individual) == [
        ("Đinh Văn Nam", Outcome.proposed, 1),
        ("Cao Thị Mai", Outcome.not_chosen, 2),
        ("Lý Thị Oanh", Outcome.chosen, 2),
    ]
    assert result.final and result.stale == ()
    assert [line.candidate.name for line in result.listed] == ["Tư pháp - Hộ tịch", "Văn phòng - Thống kê", "Đinh Văn Nam", "Lý Thị Oanh"]
    [oanh_line] = [line for line in result.lines if line.candidate.name == "Lý Thị Oanh"]
    assert oanh_line.reasons[0].endswith("— Hội đồng chọn: trực tiếp giải quyết thủ tục một cửa")
    assert [str(c) for c in award_counts(result)] == ["2 tập thể", "2 cá nhân"]


def test_a_council_score_ranks_highest_first_and_equal_scores_tie() -> None:
    scored = plan("mo-lao-2023", ("ranking: {basis: council_order", "ranking: {basis: council_score"))
    units = [unit("m1", "Văn phòng - Thống kê", BN, score=9.25), unit("m2", "Tư pháp - Hộ tịch", BN, score=9.5),
             unit("m3", "Văn hóa - Xã hội", BN, score=9.25), unit("m4", "Hội Nông dân phường", BN, score=None)]  # fmt: skip
    result = appraise(scored, 2023, AS_OF, DEADLINE, units)
    # 9.5 first (1 seat left after it), then 9.25 twice for the second seat.
    assert lines_of(result) == [
        ("Tư pháp - Hộ tịch", Outcome.proposed, 1),
        ("Văn phòng - Thống kê", Outcome.tie, 2),
        ("Văn hóa - Xã hội", Outcome.tie, 2),
    ]
    assert candidate(result, "Hội Nông dân phường").failed == ("chưa có số liệu điểm bình xét",)
    assert result.lines[0].reasons[0].startswith("điểm bình xét 9,5 — hạng 1 trong toàn kế hoạch")


# --- Đồng Tháp: a later award's rank keeps the earlier winner's place; the council's flag moves Bằng khen -----

SO, HUYEN = "so-nganh", "ubnd-huyen"


def dong_thap_units() -> list[UnitInput]:
    return [
        unit("s1", "Sở Nội vụ", SO, par=95),
        unit("s2", "Sở Tư pháp", SO, par=93),
        unit("s3", "Sở Y tế", SO, par=91),
        unit("s4", "Sở Xây dựng", SO, par=90),
        unit("h1", "UBND thành phố Cao Lãnh", HUYEN, par=92),
        unit("h2", "UBND thành phố Sa Đéc", HUYEN, par=92),
        unit("h3", "UBND huyện Lai Vung", HUYEN, par=88),
    ]


def test_ranks_are_worded_as_they_are_after_an_earlier_award() -> None:
    result = appraise(plan("dong-thap-2021-2025"), 2025, AS_OF, DEADLINE, dong_thap_units())
    places = {line.candidate.unit.code: line.place for line in result.lines if line.award.form == "bang_khen"}
    # s1 holds the flag; s2 is second in its group (not "first" of what is left), s3 third.
    assert places["s2"] == "hạng 2 trong nhóm Sở, ngành tỉnh; hạng 1 nhận Cờ thi đua của UBND Tỉnh"
    assert places["s3"] == "hạng 3 trong nhóm Sở, ngành tỉnh; hạng 1 nhận Cờ thi đua của UBND Tỉnh"
    assert lines_of(result, form="bang_khen")[:4] == [
        ("Sở Nội vụ", Outcome.other_form, 1),
        ("Sở Tư pháp", Outcome.proposed, 2),
        ("Sở Y tế", Outcome.proposed, 3),
        ("Sở Xây dựng", Outcome.over_quota, 4),
    ]
    # h1 and h2 tie for the district flag: still open, both compete for the two district Bằng khen seats.
    assert [(t.award.form, [c.unit.code for c in t.candidates]) for t in result.open_ties] == [("co_thi_dua", ["h1", "h2"])]
    assert [n for n, o, _ in lines_of(result, form="bang_khen") if o is Outcome.proposed][2:] == [
        "UBND thành phố Cao Lãnh", "UBND thành phố Sa Đéc",
    ]  # fmt: skip


def test_the_councils_flag_passes_the_winner_over_for_bang_khen_and_the_next_takes_the_seat() -> None:
    h1, h2 = NomineeRef("h1"), NomineeRef("h2")
    decision = choose("co_thi_dua", NomineeKind.collective, h2, reason="dẫn đầu Chỉ số SIPAS", tie=(h1, h2))
    result = appraise(plan("dong-thap-2021-2025"), 2025, AS_OF, DEADLINE, dong_thap_units(), [decision])
    assert lines_of(result, form="co_thi_dua") == [
        ("Sở Nội vụ", Outcome.proposed, 1),
        ("Sở Tư pháp", Outcome.over_quota, 2),
        ("Sở Y tế", Outcome.over_quota, 3),
        ("Sở Xây dựng", Outcome.over_quota, 4),
        ("UBND thành phố Cao Lãnh", Outcome.not_chosen, 1),
        ("UBND thành phố Sa Đéc", Outcome.chosen, 1),
        ("UBND huyện Lai Vung", Outcome.over_quota, 3),
    ]
    # Bằng khen, district side: h2 now holds the flag (rank 1 kept), h1 rank 1 and h3 rank 3 take the two seats.
    assert lines_of(result, form="bang_khen")[4:] == [
        ("UBND thành phố Sa Đéc", Outcome.other_form, 1),
        ("UBND thành phố Cao Lãnh", Outcome.proposed, 1),
        ("UBND huyện Lai Vung", Outcome.proposed, 3),
    ]
    assert result.final
    assert [str(c) for c in award_counts(result)] == ["2 tập thể", "4 tập thể"]


# --- Lộc Ninh: 89.999 against 90, 91.504 against 91.501; additions and withdrawals; stale decisions ---------

CQ, XA = "co-quan-chuyen-mon", "ubnd-xa"


def loc_ninh_units() -> list[UnitInput]:
    return [
        unit("a", "Phòng Nội vụ", CQ, par=95),
        unit("b", "UBND xã Lộc Thái", XA, par=91.504),
        unit("c", "Phòng Tư pháp", CQ, par=91.501),
        unit("d", "UBND xã Lộc Hòa", XA, par=89.999),  # below 90 by a thousandth
        unit("e", "Phòng Y tế", CQ, par=93, initiatives=0),  # no initiative
    ]


def test_a_threshold_is_never_shown_equal_to_a_value_that_fails_it() -> None:
    result = appraise(plan("loc-ninh-2024-2025"), 2025, AS_OF, DEADLINE, loc_ninh_units())
    assert candidate(result, "UBND xã Lộc Hòa").failed == ("Chỉ số CCHC 89,999%, dưới mức 90%",)
    # 91.504 and 91.501 rank 2nd and 3rd: printed with the third decimal that orders them.
    assert [line.reasons[0] for line in result.lines] == [
        "Chỉ số CCHC 95% — hạng 1 trong toàn kế hoạch; trong chỉ tiêu tối đa 6 tập thể",
        "Chỉ số CCHC 91,504% — hạng 2 trong toàn kế hoạch; trong chỉ tiêu tối đa 6 tập thể",
        "Chỉ số CCHC 91,501% — hạng 3 trong toàn kế hoạch; trong chỉ tiêu tối đa 6 tập thể",
    ]
    # A row of facts is missing entirely: every fact the plan needs is named.
    missing = appraise(plan("loc-ninh-2024-2025"), 2025, AS_OF, DEADLINE, [unit("n", "Phòng Nông nghiệp", CQ, facts=False)])
    assert missing.candidates[0].failed == (
        "chưa có số liệu Chỉ số CCHC, số sáng kiến được công nhận, kỷ luật của lãnh đạo chủ chốt",
    )


def test_a_merged_unit_is_no_candidate_in_any_count() -> None:
    """By hand: a, b, c pass (PAR ≥ 90, an initiative, on time); d (89,999) and e (no initiative) do not. g, merged
    on 01/07/2025 with a person in its dossier, would have passed on its 99: it does not exist on the appraisal date,
    so neither it nor its person is a candidate (the demo's "11/26" counted one such unit) — 3 of 5, and the merged
    unit is still listed with its reason."""
    from thidua.appraisal.counts import eligibility_words, summary_lines
    from thidua.appraisal.export import result_json, summary_markdown

    merged = replace(unit("g", "UBND xã Lộc Thịnh", XA, par=99, people=(person("Lê Văn Gấm"),)),
                     gone="đã sáp nhập vào UBND xã Lộc Thành (h) từ 01/07/2025; không xếp hạng riêng")  # fmt: skip
    result = appraise(plan("loc-ninh-2024-2025"), 2025, AS_OF, DEADLINE, [*loc_ninh_units(), merged])
    assert summary_lines(result)[0] == "Thẩm định: 3/5 đối tượng đủ tiêu chuẩn"
    words = "Đủ điều kiện: 3; không đủ điều kiện: 2; không xét 1 đơn vị không tồn tại vào ngày thẩm định"
    assert eligibility_words(result) == words
    assert f"- {words}\n" in summary_markdown(result)
    assert [c["unit"] for c in result_json(result)["ineligible"] if c["unit"] == "g"] == ["g", "g"]  # still explained
    assert "g" not in {line.candidate.unit.code for line in result.lines}
    # without a merged unit nothing is added
    plain = appraise(plan("loc-ninh-2024-2025"), 2025, AS_OF, DEADLINE, loc_ninh_units())
    assert summary_lines(plain)[0] == "Thẩm định: 3/5 đối tượng đủ tiêu chuẩn"
    assert eligibility_words(plain) == "Đủ điều kiện: 3; không đủ điều kiện: 2"


def test_the_council_withdraws_and_adds_each_with_its_reason() -> None:
    plan_ = plan("loc-ninh-2024-2025", ("quota: {max: 6}", "quota: {max: 2}"))
    withdraw = Decision(Action.withdraw, "giay_khen", NomineeKind.collective, (NomineeRef("a"),), "đang bị thanh tra",
                        "Thư ký Hội đồng", COUNCIL_AT)  # fmt: skip
    add = Decision(Action.add, "giay_khen", NomineeKind.collective, (NomineeRef("e"),), "sáng kiến được tỉnh công nhận",
                   "Thư ký Hội đồng", COUNCIL_AT)  # fmt: skip
    result = appraise(plan_, 2025, AS_OF, DEADLINE, loc_ninh_units(), [withdraw, add])
    # Two seats: a (rank 1) is withdrawn, so b (2) and c (3) take them; e (no initiative) is added by the council.
    assert lines_of(result) == [
        ("Phòng Nội vụ", Outcome.withdrawn, 1),
        ("UBND xã Lộc Thái", Outcome.proposed, 2),
        ("Phòng Tư pháp", Outcome.proposed, 3),
        ("Phòng Y tế", Outcome.added, None),
    ]
    [added] = [line for line in result.lines if line.outcome is Outcome.added]
    assert added.reasons[0] == "Hội đồng bổ sung: sáng kiến được tỉnh công nhận; chưa đạt tiêu chuẩn: có 0 sáng kiến được công nhận, chưa đủ 1"
    assert result.lines[1].place == "hạng 2 trong toàn kế hoạch; hạng 1 được Hội đồng rút"
    assert [str(c) for c in award_counts(result)] == ["3 tập thể"]


def test_a_decision_whose_tie_has_changed_is_reported_stale_and_the_tie_stays_open() -> None:
    units = loc_ninh_units() + [unit("f", "Phòng Nội vụ 2", CQ, par=91.504)]  # b and f now tie at 91.504
    two = plan("loc-ninh-2024-2025", ("quota: {max: 6}", "quota: {max: 2}"))
    old = choose("giay_khen", NomineeKind.collective, NomineeRef("c"), tie=(NomineeRef("b"), NomineeRef("c")))
    result = appraise(two, 2025, AS_OF, DEADLINE, units, [old])
    assert [c.unit.code for c in result.open_ties[0].candidates] == ["f", "b"]
    assert result.stale == (old,) and not result.final


def test_a_decision_that_cannot_apply_is_refused_with_its_reason() -> None:
    plan_ = plan("mo-lao-2023")
    merged = UnitInput("m9", "Hội Cựu chiến binh phường", BN, "đã sáp nhập vào Văn hóa - Xã hội (m3) từ 01/07/2023; không xếp hạng riêng",
                       None, ON_TIME, ON_TIME)  # fmt: skip
    result = appraise(plan_, 2023, AS_OF, DEADLINE, [*mo_lao_units(), merged])
    mai, oanh, nam = NomineeRef("m1", "Cao Thị Mai"), NomineeRef("m2", "Lý Thị Oanh"), NomineeRef("m2", "Đinh Văn Nam")

    def errors(action: Action, *refs: NomineeRef, form: str = "giay_khen", reason: str = "lý do") -> list[str]:
        kind = NomineeKind.individual if any(r.name for r in refs) else NomineeKind.collective
        return decision_errors(result, Decision(action, form, kind, refs, reason, "x", COUNCIL_AT))

    assert errors(Action.choose, mai, oanh) == ["phải chọn đúng 1 trong 2 đối tượng đồng hạng (m1:Cao Thị Mai, m2:Lý Thị Oanh); đã chọn 2"]
    assert errors(Action.choose, nam) == ["m2:Đinh Văn Nam không cùng thuộc một trường hợp đồng hạng của Giấy khen của Chủ tịch UBND phường (cá nhân)"]
    assert errors(Action.choose, oanh, reason=" ") == ["phải ghi lý do của Hội đồng"]
    assert errors(Action.withdraw, NomineeRef("m3")) == ["tập thể m3 không có trong danh sách đề nghị Giấy khen của Chủ tịch UBND phường"]
    assert errors(Action.add, NomineeRef("m2")) == ["tập thể m2 đã có trong danh sách"]
    assert errors(Action.add, NomineeRef("m8")) == ["không có tập thể m8 trong danh sách xét của chu kỳ"]
    assert errors(Action.add, NomineeRef("m9")) == ["tập thể m9: đã sáp nhập vào Văn hóa - Xã hội (m3) từ 01/07/2023; không xếp hạng riêng"]
    assert errors(Action.choose, oanh, form="bang_khen") == ["kế hoạch không có hình thức bang_khen cho cá nhân"]
    assert errors(Action.choose, oanh) == []


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (("  individual:\n    - {criterion: dossier_complete}", "  individual:\n    - {criterion: par_index_min, value: 90}\n    - {criterion: dossier_complete}"),
         "eligibility.individual", "Chỉ số CCHC là của đơn vị"),
        (("    - {criterion: par_index_min, value: 80}", "    - {criterion: unit_leaders_no_discipline_from, value: khien_trach}"),
         "eligibility.collective", "chỉ dùng cho cá nhân"),
        (("    quota: {per_unit: 1, per_unit_excellent: 2}\n    source: \"V.1.a; V.1.b\"\n",
          "    quota: {per_unit: 1, per_unit_excellent: 2}\n    source: \"V.1.a; V.1.b\"\n"
          "  - {form: bang_khen, name: B, grantor: G, nominee: collective, quota: {max: 1}}\n"),
         "awards[3].form", "hình thức bị lặp"),
        (("ranking: {basis: par_index", "ranking: {basis: par"), "ranking.basis", "phải là một trong"),
    ],
)  # fmt: skip
def test_plan_format_additions_are_checked(change: tuple[str, str], field: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        plan("dong-thap-2021-2025", change)
    assert any(e.field == field and reason in e.reason for e in caught.value.errors), caught.value.errors


def test_seed_plans_name_their_ranking_basis() -> None:
    bases = {code: load_plan(PLANS / f"{code}.yaml").ranking.basis.value
             for code in ("loc-ninh-2024-2025", "dong-thap-2021-2025", "can-tho-vpub-2019", "mo-lao-2023")}  # fmt: skip
    assert bases == {
        "loc-ninh-2024-2025": "par_index",
        "dong-thap-2021-2025": "par_index",
        "can-tho-vpub-2019": "council_order",
        "mo-lao-2023": "council_order",
    }
