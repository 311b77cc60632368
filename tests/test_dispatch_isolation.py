"""Each plan dispatched on its own (issue 11, Deliver 4): a broken plan file, or a plan whose computation fails, is
reported for the administrator and the other plans' work is still found."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from test_plan_limits import billion_laughs

from flows.daily import DispatchProblems
from models.cycle import Cycle
from models.db import session_scope
from services.plans import plan_file_errors
from tasks.dispatch import what_is_due

LOC_NINH = Path("plans/loc-ninh-2024-2025.yaml").read_text(encoding="utf-8")
DAY = date(2025, 11, 17)  # 14 days before the 01/12/2025 deadlines: reminders are due


@pytest.fixture
def plans(tmp_path: Path, sqlite_engine: Engine, point_app: Callable[..., None]) -> Path:
    """A plans folder: Lộc Ninh, a valid copy of it, a billion-laughs file, a 72 MB file and a plan nested too deep."""
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "loc-ninh-2024-2025.yaml").write_text(LOC_NINH, encoding="utf-8")
    (folder / "copy.yaml").write_text(LOC_NINH.replace("code: loc-ninh-2024-2025", "code: loc-ninh-copy"), encoding="utf-8")
    (folder / "bomb.yaml").write_text(billion_laughs(), encoding="utf-8")
    (folder / "deep.yaml").write_text("x: " + "[" * 3000 + "]" * 3000, encoding="utf-8")
    with (folder / "big.yaml").open("wb") as file:
        file.truncate(72_000_000)
    point_app(sqlite_engine, THIDUA_PLANS_DIR=str(folder))
    return folder


def test_a_plan_whose_computation_fails_is_reported_and_the_others_are_dispatched(plans: Path) -> None:
    with session_scope() as session:  # a hand-edited date that makes the offset milestone leave the calendar
        session.add(Cycle(plan="loc-ninh-2024-2025", year=2025, admin_dates={"par_announcement": "0001-01-05"}))
    agenda = what_is_due.fn(DAY)
    assert {run.plan for run in agenda.runs} == {"loc-ninh-copy"}
    assert any(run.step.endswith("remind-14d") for run in agenda.runs)
    assert list(agenda.broken) == ["plan-loc-ninh-2024-2025"]
    assert "OverflowError: date value out of range" in agenda.broken["plan-loc-ninh-2024-2025"]


def test_broken_plan_files_are_listed_by_file_with_the_reason(plans: Path) -> None:
    broken = plan_file_errors()
    assert sorted(broken) == ["big.yaml", "bomb.yaml", "deep.yaml"]
    assert "billion laughs" in broken["bomb.yaml"][0] and "lồng nhau quá 32 mức" in broken["deep.yaml"][0]
    assert "lớn quá 1 MB" in broken["big.yaml"][0]


def test_the_day_ends_failed_with_what_to_do_for_plans_and_for_sending() -> None:
    plan_only = DispatchProblems(DAY, {"plan-file-bomb-yaml": "Bỏ qua tệp kế hoạch lỗi bomb.yaml: …"}, [])
    assert "thidua plan check" in str(plan_only) and "thidua outbox" not in str(plan_only)
    both = DispatchProblems(DAY, {"plan-x": "Kế hoạch x …", "stopped-email": "Dừng gửi qua kênh email: 530"}, [])
    assert "thidua plan check" in str(both) and "thidua outbox retry --send" in str(both)
    assert str(both).startswith("Điều phối ngày 17/11/2025 đã chạy xong nhưng gặp sự cố:\n- Kế hoạch x …\n- Dừng gửi")
