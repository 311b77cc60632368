"""The working-day calendar and milestone rules, against dates checked by hand."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import app
from imports.plans import load_plan
from thidua.calendar import WorkingCalendar
from thidua.errors import InvalidInput
from thidua.plan.milestones import milestones_for_year
from thidua.plan.parse import parse_plan

LOC_NINH = Path("plans/loc-ninh-2024-2025.yaml")
runner = CliRunner()


def dates(year: int, **admin: date) -> dict[str, date | None]:
    return {m.kind: m.date for m in milestones_for_year(load_plan(LOC_NINH), year, admin_dates=admin)}


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2024, date(2024, 12, 2)), (2025, date(2025, 12, 1))],
)
def test_30_november_on_a_weekend_rolls_to_monday(year: int, expected: date) -> None:
    assert dates(year)["submission_deadline"] == expected


def test_30_november_2026_is_a_working_day_and_stays() -> None:
    plan = parse_plan(LOC_NINH.read_text().replace("end: 30/11/2025", "end: 30/11/2026"), "x.yaml")
    (deadline,) = [m for m in milestones_for_year(plan, 2026) if m.kind == "submission_deadline"]
    assert deadline.nominal == deadline.date == date(2026, 11, 30)
    assert "là ngày làm việc" in deadline.rule


def test_appraisal_is_ten_days_before_announcement_rolled_back() -> None:
    got = dates(2025, par_announcement=date(2025, 12, 24))
    assert got["appraisal_deadline"] == date(2025, 12, 12)  # 14/12/2025 is a Sunday


def test_appraisal_without_announcement_is_pending_not_guessed() -> None:
    by_kind = {m.kind: m for m in milestones_for_year(load_plan(LOC_NINH), 2025)}
    assert by_kind["appraisal_deadline"].status == "pending"
    assert by_kind["appraisal_deadline"].date is None
    assert by_kind["par_announcement"].status == "pending"


def test_quarter_one_review_avoids_tet_and_weekends() -> None:
    text = LOC_NINH.read_text().replace('default: "15/03"', 'default: "16/02"')
    plan = parse_plan(text, "x.yaml")
    (review,) = [m for m in milestones_for_year(plan, 2025) if m.kind == "annual_review"]
    assert review.nominal == date(2026, 2, 16)
    assert review.date == date(2026, 2, 23)  # Tết 16–20/02/2026, then a weekend
    assert "Tết" in review.rule or "Giao thừa" in review.rule


def test_make_up_saturdays_are_working_days() -> None:
    cal = WorkingCalendar()
    assert cal.is_working_day(date(2025, 4, 26)) and cal.is_working_day(date(2026, 8, 22))
    assert not cal.is_working_day(date(2025, 5, 2)) and not cal.is_working_day(date(2026, 8, 31))


def test_admin_overrides_win() -> None:
    cal = WorkingCalendar(extra_days_off=[date(2025, 12, 1)], extra_working_days=[date(2025, 11, 29)])
    assert cal.next_working_day(date(2025, 11, 30)) == date(2025, 12, 2)
    assert cal.is_working_day(date(2025, 11, 29))


@pytest.mark.parametrize("end", ['"31/11/2019"', "2019-11-31"])
def test_impossible_date_is_rejected_with_field_and_reason(tmp_path: Path, end: str) -> None:
    text = LOC_NINH.read_text().replace("end: 30/11/2025", f"end: {end}")
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["plan", "check", str(path)])
    assert result.exit_code == 2
    assert f'{path}: period.end: "{end.strip(chr(34))}" — tháng 11 chỉ có 30 ngày' in result.stderr
    assert "Traceback" not in result.output


def test_every_error_reported_at_once() -> None:
    text = LOC_NINH.read_text().replace("day: \"30/11\"", "day: \"31/11\"").replace("count: calendar", "count: weekly")
    with pytest.raises(InvalidInput) as exc:
        parse_plan(text, "x.yaml")
    fields = {e.field for e in exc.value.errors}
    assert {"milestones[1].rule.day", "milestones[2].rule.day", "milestones[4].rule.count"} <= fields


def test_calendar_json_shape() -> None:
    result = runner.invoke(
        app, ["calendar", str(LOC_NINH), "--year", "2025", "--par-announcement", "2025-12-24", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["plan"] == "loc-ninh-2024-2025" and data["year"] == 2025
    deadline = next(m for m in data["milestones"] if m["kind"] == "submission_deadline")
    assert deadline == {
        "kind": "submission_deadline",
        "nominal_date": "2025-11-30",
        "date": "2025-12-01",
        "status": "scheduled",
        "rule": deadline["rule"],
    }
    assert "Chủ Nhật" in deadline["rule"]
    assert {tuple(sorted(m)) for m in data["milestones"]} == {("date", "kind", "nominal_date", "rule", "status")}


def test_calendar_human_output_shows_weekday() -> None:
    result = runner.invoke(app, ["calendar", str(LOC_NINH), "--year", "2025"])
    assert result.exit_code == 0
    assert "Thứ Hai, 01/12/2025" in result.stdout


SEED_TEXT = LOC_NINH.read_text()


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)),
    offset=st.integers(min_value=-40, max_value=-1),
    announce=st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)),
)
def test_effective_dates_are_working_days_and_never_move_the_wrong_way(day: date, offset: int, announce: date) -> None:
    """Over 2019–2030: each effective date is a working day; next never moves earlier, previous never later."""
    year = day.year
    text = (
        SEED_TEXT.replace('day: "30/11"', f'day: "{day:%d/%m}"' if (day.month, day.day) != (2, 29) else 'day: "28/02"')
        .replace("days: -10", f"days: {offset}")
        .replace("start: 19/07/2024\n  end: 30/11/2025", "start: 01/01/2019\n  end: 31/12/2030")
    )
    plan = parse_plan(text, "x.yaml")
    cal = WorkingCalendar()
    for m in milestones_for_year(plan, year, admin_dates={"par_announcement": announce}):
        if m.kind == "par_announcement":
            continue  # an admin-set conference date is taken as given
        assert m.date is not None and cal.is_working_day(m.date), m
        if m.kind in ("submission_deadline", "launch"):
            assert m.nominal <= m.date < m.nominal + timedelta(days=10)  # next_working_day never moves earlier
        if m.kind == "annual_review":
            assert date(year + 1, 1, 1) <= m.date <= date(year + 1, 3, 31)  # stays inside quarter I
        if m.kind == "appraisal_deadline":
            assert m.date <= m.nominal  # previous_working_day keeps the "at least N days" guarantee
            assert m.date <= announce + timedelta(days=offset)
