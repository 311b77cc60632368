"""`thidua doctor`'s pure judgements: whom a plan's directory cannot reach, and a clock that cannot be trusted."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from imports.plans import load_plan
from thidua.channels import Person
from thidua.directory import Unit
from thidua.doctor import LISTED, clock_problems, directory_problems
from thidua.plan.schema import EscalationStep, EscalationTarget, Plan

PLAN = load_plan(Path(__file__).parents[1] / "plans" / "loc-ninh-2024-2025.yaml")  # escalates to head, agency, chairman
DAY = date(2025, 11, 20)


def unit(code: str, *, email: str | None = "x@example.vn", head_email: str | None = "head@example.vn", **changes: object) -> Unit:
    focal, head = Person(f"Cán bộ {code}", email=email), Person(f"Thủ trưởng {code}", email=head_email)
    return Unit(code, f"Đơn vị {code}", str(changes.pop("group", "ubnd-xa")), focal, head, **changes)  # type: ignore[arg-type]


def by_code(*units: Unit) -> dict[str, Unit]:
    return {u.code: u for u in units}


def with_agency(**changes: object) -> Plan:
    return PLAN.model_copy(update={"standing_agency": PLAN.standing_agency.model_copy(update=changes)})


def test_a_reachable_directory_has_no_problem() -> None:
    assert directory_problems(PLAN, by_code(unit("a"), unit("b")), DAY) == []


def test_a_plan_without_a_directory_is_named() -> None:
    assert directory_problems(PLAN, {}, DAY) == ["kế hoạch loc-ninh-2024-2025 chưa có danh mục đơn vị"]


def test_units_without_any_address_are_named_and_counted() -> None:
    silent = [unit(f"s{i}", email=None) for i in range(LISTED + 2)]
    [problem] = directory_problems(PLAN, by_code(unit("ok"), *silent), DAY)
    assert problem.startswith(f"loc-ninh-2024-2025: {LISTED + 2} đơn vị không có địa chỉ nào trên kênh email, Zalo: Đơn vị s0 (s0)")
    assert problem.endswith("và 2 đơn vị khác")


def test_a_phone_alone_reaches_a_unit_on_a_plan_with_zalo() -> None:
    phone_only = Unit("p", "Đơn vị p", "ubnd-xa", Person("Cán bộ", phone="84987654321"), Person("Thủ trưởng", phone="84912345678"))
    assert directory_problems(PLAN, by_code(phone_only), DAY) == []
    email_only = PLAN.model_copy(update={"channels": ["email"]})
    assert len(directory_problems(email_only, by_code(phone_only), DAY)) == 2  # neither focal point nor head


def test_heads_without_contacts_matter_only_when_the_plan_escalates_to_them() -> None:
    headless = by_code(unit("a", head_email=None))
    [problem] = directory_problems(PLAN, headless, DAY)
    assert "thủ trưởng của 1 đơn vị không có liên hệ" in problem and "Đơn vị a (a)" in problem
    no_heads = PLAN.model_copy(update={"escalations": [EscalationStep(after_working_days=3, to=EscalationTarget.standing_agency)]})
    assert directory_problems(no_heads, headless, DAY) == []


def test_units_gone_or_outside_the_participating_groups_are_not_judged() -> None:
    merged = unit("m", email=None, valid_to=DAY - timedelta(days=1), merged_into="a")
    outsider = unit("o", email=None, group="khong-tham-gia")
    assert directory_problems(PLAN, by_code(unit("a"), merged, outsider), DAY) == []


def test_the_standing_agency_and_the_chairman_must_be_reachable() -> None:
    units = by_code(unit("a"))
    [unreachable] = directory_problems(with_agency(email=None, phone=None), units, DAY)
    assert "không có địa chỉ để nhận cảnh báo" in unreachable
    [no_email] = directory_problems(with_agency(email=None), units, DAY)  # a phone reaches it on Zalo, not the late list
    assert "không có email để nhận danh sách đơn vị trễ hạn" in no_email
    [chairman] = directory_problems(with_agency(chairman=None), units, DAY)
    assert "chưa có email của Chủ tịch" in chairman


def test_a_clock_is_judged_against_the_database_server() -> None:
    now = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
    assert clock_problems(now, None) == [] and clock_problems(now, now + timedelta(seconds=90)) == []
    [skew] = clock_problems(now, now + timedelta(minutes=10))
    assert "lệch 600 giây" in skew
    [reset] = clock_problems(datetime(1970, 1, 1, tzinfo=UTC), None)
    assert "năm 1970" in reset
