"""Plan files read from disk: a broken file is reported and the others still load; errors name the field."""

from pathlib import Path

import pytest

from imports.plans import plan_by_code, scan_plans
from thidua.errors import InvalidInput
from thidua.plan.parse import parse_plan

LOC_NINH = Path("plans/loc-ninh-2024-2025.yaml")


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
        (('default: "15/03"', 'default: "15/06"'), "milestones[5].rule.default", "phải nằm trong khoảng 01/01–31/03"),
        (('start: "01/01", end: "31/03"', 'start: "31/03", end: "01/01"'), "milestones[5].rule.end", "trước ngày bắt đầu"),
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
