"""Plan files within limits (issue 11, Deliver 4): size, YAML aliases and nesting refused quickly with a Vietnamese
error naming the file; every number of the format bounded, so that nothing downstream overflows."""

import time
from pathlib import Path

import pytest

from imports.plans import load_plan, scan_plans
from thidua.errors import InvalidInput
from thidua.plan.milestones import milestones_for_year
from thidua.plan.parse import parse_plan
from thidua.plan.schema import MAX_ITEMS, MAX_OFFSET_DAYS

LOC_NINH = Path("plans/loc-ninh-2024-2025.yaml")
TEXT = LOC_NINH.read_text(encoding="utf-8")


def billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    names = [chr(ord("a") + i) for i in range(levels)]
    lines += [f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]" for prev, name in zip(names, names[1:], strict=False)]
    return "\n".join(lines) + "\n"


def refused(text: str) -> list[str]:
    with pytest.raises(InvalidInput) as exc:
        parse_plan(text, "x.yaml")
    return [str(error) for error in exc.value.errors]


def test_a_billion_laughs_file_is_refused_at_once() -> None:
    start = time.perf_counter()
    (error,) = refused(billion_laughs())
    assert time.perf_counter() - start < 1
    assert error.startswith("x.yaml: dòng ") and "billion laughs" in error and "20.000 phần tử" in error


def test_aliases_a_plan_may_use_are_accepted() -> None:
    shared = TEXT.replace("reminders:\n  before_days: [14, 7, 3, 1, 0]", "reminders:\n  before_days: &days [14, 7, 3, 1, 0]")
    assert shared != TEXT
    assert parse_plan(shared, "x.yaml").reminders.before_days == [14, 7, 3, 1, 0]


@pytest.mark.parametrize("text", ["x: " + "[" * 5000 + "]" * 5000, "".join("  " * i + f"k{i}:\n" for i in range(200))])
def test_deep_nesting_is_refused_without_recursion_error(text: str) -> None:
    (error,) = refused(text)
    assert "lồng nhau quá 32 mức" in error


def test_a_huge_integer_is_refused_by_the_yaml_reader() -> None:
    (error,) = refused(TEXT.replace("days: -10", "days: " + "9" * 5000))
    line = TEXT[: TEXT.index("days: -10")].count("\n") + 1
    assert "số quá lớn" in error and f"dòng {line}" in error


def test_a_72_mb_plan_file_is_refused_by_its_size_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as file:
        file.truncate(72_000_000)  # sparse: as large as the file, written at once
    (tmp_path / "loc-ninh-2024-2025.yaml").write_text(TEXT, encoding="utf-8")
    start = time.perf_counter()
    plans, errors = scan_plans(tmp_path)
    assert time.perf_counter() - start < 1
    assert list(plans) == ["loc-ninh-2024-2025"]
    assert [str(e) for e in errors] == [f'{big}: (tệp): "72,0 MB" — tệp kế hoạch lớn quá 1 MB; một kế hoạch chỉ cần vài chục KB']


def test_a_device_that_never_ends_is_read_no_further_than_the_limit() -> None:
    with pytest.raises(InvalidInput) as exc:
        load_plan(Path("/dev/zero"))
    assert "lớn quá 1 MB" in str(exc.value)


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (("days: -10", "days: -1000000000"), "milestones[4].rule.days", "phải ≥ -366"),
        (("days: -10", "days: 1e400"), "milestones[4].rule.days", "phải là số nguyên"),
        (("year_offset: 1", "year_offset: 100000"), "milestones[5].rule.year_offset", "phải ≤ 2"),
        (("[14, 7, 3, 1, 0]", "[.nan]"), "reminders.before_days[0]", "số hữu hạn"),
        (("[14, 7, 3, 1, 0]", "[" + ", ".join(["1"] * 31) + "]"), "reminders.before_days", "tối đa 30 phần tử"),
        (("after_working_days: 1,", "after_working_days: 99999999999,"), "escalations[0].after_working_days", "phải ≤ 60"),
        (("end: 30/11/2025", "end: 30/11/9999"), "period.end", "ngoài khoảng 2000–2100 của một kế hoạch"),
    ],
)
def test_every_number_of_the_format_is_bounded(change: tuple[str, str], field: str, reason: str) -> None:
    assert change[0] in TEXT
    with pytest.raises(InvalidInput) as exc:
        parse_plan(TEXT.replace(change[0], change[1], 1), "x.yaml")
    assert any(e.field == field and reason in e.reason for e in exc.value.errors), exc.value.errors


def test_quotas_are_bounded() -> None:
    text = TEXT.replace("quota: {max: ", "quota: {max: 10000000", 1)
    assert text != TEXT
    assert any("quota" in e and "phải ≤ 10000" in e for e in refused(text))


def test_a_plan_at_every_bound_still_computes_its_dates() -> None:
    """Offsets at ±366 days chained through the longest milestone list the format allows: no OverflowError."""
    chain = "\n".join(
        f"  - {{kind: m{i}, label: Mốc {i}, rule: {{type: offset, from: m{i - 1}, days: {MAX_OFFSET_DAYS if i % 2 else -MAX_OFFSET_DAYS}, "
        f"count: {'working' if i % 3 else 'calendar'}}}}}"
        for i in range(1, MAX_ITEMS - 10)
    )
    at = TEXT.index("milestones:\n") + len("milestones:\n")
    first = "  - {kind: m0, label: Mốc 0, rule: {type: fixed, date: 31/12/2100, cycle_year: 2025}}\n"
    plan = parse_plan(TEXT[:at] + first + chain + "\n" + TEXT[at:], "x.yaml")
    assert len(plan.milestones) == MAX_ITEMS - 10 + 6
    for year in plan.cycle_years:
        assert milestones_for_year(plan, year)
