"""Regression tests for defects found in review: days off, broken plan files, bounds of admin dates."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from cli import app
from imports.plans import load_plan, plan_by_code, scan_plans
from thidua.calendar import WorkingCalendar
from thidua.cycle.decide import agenda
from thidua.cycle.state import CycleDates
from thidua.errors import InvalidInput
from thidua.plan.milestones import milestones_for_year
from thidua.plan.parse import parse_plan

LOC_NINH = Path("plans/loc-ninh-2024-2025.yaml")
runner = CliRunner()


def test_a_missed_launch_is_not_caught_up_on_a_day_off() -> None:
    plan, cal = load_plan(LOC_NINH), WorkingCalendar()
    milestones = {m.kind: m for m in milestones_for_year(plan, 2025)}

    def launch_due(day: date) -> bool:
        return any(d.key == "launch" for d in agenda(CycleDates(plan, 2025, day, cal, milestones, {})).to_run())

    assert not launch_due(date(2025, 11, 1))  # a Saturday
    assert launch_due(date(2025, 11, 3))  # the Monday after


def test_one_broken_plan_file_does_not_hide_the_others(tmp_path: Path) -> None:
    (tmp_path / "loc-ninh-2024-2025.yaml").write_text(LOC_NINH.read_text())
    (tmp_path / "draft.yaml").write_text(LOC_NINH.read_text().replace("code: loc-ninh-2024-2025", "code: draft").replace("end: 30/11/2025", "end: 2025-11-31"))
    (tmp_path / "latin1.yaml").write_bytes("code: x\ntitle: Kế hoạch\n".encode("utf-16"))
    plans, errors = scan_plans(tmp_path)
    assert list(plans) == ["loc-ninh-2024-2025"]
    assert {(Path(e.file).name, e.field) for e in errors} == {("draft.yaml", "period.end"), ("latin1.yaml", "(tệp)")}
    assert plan_by_code(tmp_path, "loc-ninh-2024-2025").code == "loc-ninh-2024-2025"
    with pytest.raises(InvalidInput) as exc:
        plan_by_code(tmp_path, "draft")
    assert any("tháng 11 chỉ có 30 ngày" in e.reason for e in exc.value.errors)


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (("code: loc-ninh-2024-2025", "code: loc-ninh-2024-2025\ncode: again"), "dòng 3, cột 1", "bị lặp"),
        (('default: "15/03"', 'default: "15/06"'), "milestones[4].rule.default", "phải nằm trong khoảng 01/01–31/03"),
        (('start: "01/01", end: "31/03"', 'start: "31/03", end: "01/01"'), "milestones[4].rule.end", "trước ngày bắt đầu"),
        (("end: 30/11/2025", "end: 30/11/9999"), "period.end", "ngoài khoảng 2000–2100"),
        (("[14, 7, 3, 1, 0]", "[14, -7]"), "reminders.before_days[1]", "phải ≥ 0"),
    ],
)
def test_plan_errors_name_the_field_in_vietnamese(change: tuple[str, str], field: str, reason: str) -> None:
    text = LOC_NINH.read_text()
    assert change[0] in text
    with pytest.raises(InvalidInput) as exc:
        parse_plan(text.replace(change[0], change[1], 1), "x.yaml")
    assert any(e.field == field and reason in e.reason for e in exc.value.errors), exc.value.errors


def test_admin_dates_must_fall_in_their_window(app_engine: Engine) -> None:
    args = ["cycle", "set-date", "--plan", "loc-ninh-2024-2025", "--year", "2025", "--milestone", "annual_review"]
    outside = runner.invoke(app, [*args, "--date", "2027-06-01"])
    assert outside.exit_code == 2 and "01/01/2026–31/03/2026" in outside.stderr
    inside = runner.invoke(app, [*args, "--date", "2026-02-22"])  # a Sunday after Tết: rolls to Monday 23/02
    assert inside.exit_code == 0
    status = runner.invoke(app, ["calendar", str(LOC_NINH), "--year", "2025", "--json"])
    assert status.exit_code == 0
    outside_year = runner.invoke(app, ["status", "--plan", "loc-ninh-2024-2025", "--year", "2031"])
    assert outside_year.exit_code == 2 and "2024–2025" in outside_year.stderr


def test_receipts_in_the_future_or_on_impossible_days_are_refused(app_engine: Engine) -> None:
    base = ["dossier", "receive", "--plan", "loc-ninh-2024-2025", "--year", "2025", "--unit", "x", "--doc", "to_trinh"]
    future = runner.invoke(app, [*base, "--at", "2099-01-01T08:00"])
    assert future.exit_code == 2 and "tương lai" in future.stderr
    impossible = runner.invoke(app, [*base, "--at", "2025-02-30T08:00"])
    assert impossible.exit_code == 2 and "tháng 2 năm 2025 chỉ có 28 ngày" in impossible.stderr
