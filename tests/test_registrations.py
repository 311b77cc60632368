"""Registration for the movement (đăng ký thi đua): by command, by file (all or nothing), and what the cycle sees."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from test_deliverables import with_registration
from typer.testing import CliRunner

from cli import app
from models import Registrant, Registration
from models.queries.cycle import load_state
from services.plans import find_plan

runner = CliRunner()
PLAN = ["--plan", "loc-ninh-2024-2025", "--year", "2025"]


@pytest.fixture
def registering(sqlite_engine: Engine, point_app: Callable[..., None], tmp_path: Path) -> Engine:
    """The app on an empty database, with a Lộc Ninh plan that asks units to register by 15/03."""
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "loc-ninh-2024-2025.yaml").write_text(with_registration(Path("plans/loc-ninh-2024-2025.yaml").read_text(), criterion=True))
    point_app(sqlite_engine, THIDUA_PLANS_DIR=str(plans))
    result = runner.invoke(app, ["units", "import", "plans/units/loc-ninh-2024-2025.csv", "--plan", "loc-ninh-2024-2025"])
    assert result.exit_code == 0, result.output
    return sqlite_engine


def test_a_unit_registers_with_named_individuals_once(registering: Engine) -> None:
    args = ["register", "unit", *PLAN, "--unit", "ln-ub-loc-thai", "--person", "Nguyễn Văn An:Chủ tịch UBND xã", "--at", "2025-03-05T09:00"]
    first = runner.invoke(app, args)
    again = runner.invoke(app, [*args, "--person", "Trần Thị Bình:Công chức Văn phòng"])
    assert first.exit_code == 0 and "thêm 1 cá nhân" in first.stdout, first.output
    assert again.exit_code == 0 and "thêm 1 cá nhân" in again.stdout  # An was named already
    with Session(registering) as session:
        (row,) = session.exec(select(Registration)).all()
        people = session.exec(select(Registrant.name, Registrant.position).order_by(Registrant.id)).all()
        state = load_state(session, find_plan("loc-ninh-2024-2025"), 2025, date(2025, 3, 18))
    assert row.unit_code == "ln-ub-loc-thai"
    assert people == [("Nguyễn Văn An", "Chủ tịch UBND xã"), ("Trần Thị Bình", "Công chức Văn phòng")]
    delivered = {s.unit.code for s in state.units if "dang_ky/registration_deadline" in s.deliveries and s.deliveries["dang_ky/registration_deadline"].state.delivered}
    assert delivered == {"ln-ub-loc-thai"}


def test_a_registration_file_is_imported_whole_or_not_at_all(registering: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "dang-ky.csv"
    bad.write_text("unit_code,name,position\nln-ub-loc-thai,Nguyễn Văn An,Chủ tịch\nxa-khong-co,,\nln-ub-loc-tan,,Phó chủ tịch\n", encoding="utf-8")
    result = runner.invoke(app, ["register", "import", str(bad), *PLAN])
    assert result.exit_code == 2
    assert "dòng 3, cột unit_code" in result.stderr and "xa-khong-co" in result.stderr
    assert "dòng 4, cột name" in result.stderr and "có chức vụ thì phải có họ tên" in result.stderr
    with Session(registering) as session:
        assert session.exec(select(Registration)).all() == []
    good = tmp_path / "dang-ky-dung.csv"
    good.write_text("unit_code,name,position\nln-ub-loc-thai,Nguyễn Văn An,Chủ tịch\nln-ub-loc-thai,Lê Văn Cường,\nln-ub-loc-tan,,\n", encoding="utf-8")
    result = runner.invoke(app, ["register", "import", str(good), *PLAN])
    assert result.exit_code == 0 and "2 đơn vị, 2 cá nhân mới" in result.stdout, result.output


def test_registering_where_the_plan_asks_no_registration_is_refused(sqlite_engine: Engine, point_app: Callable[..., None]) -> None:
    point_app(sqlite_engine)
    result = runner.invoke(app, ["register", "unit", *PLAN, "--unit", "ln-ub-loc-thai"])
    assert result.exit_code == 2 and "kế hoạch không có việc đăng ký thi đua" in result.stderr
