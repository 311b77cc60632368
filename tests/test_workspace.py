"""`thidua init` writes a working directory that works as it is, and refuses to overwrite anything."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from config import Settings
from imports.plans import load_plan
from imports.units import parse_units
from services.workspace import EXAMPLE

ENV_EXAMPLE = (EXAMPLE / ".env.example").read_text(encoding="utf-8")


def test_init_writes_a_commented_env_an_example_plan_and_its_units(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THIDUA_DATA_DIR", raising=False)  # the tests' own data folder would win over the .env
    target = tmp_path / "thidua-tinh"
    result = CliRunner().invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert "thidua doctor" in result.output and "thidua units import plans/units/vi-du-tinh-2026-2027.csv" in result.output
    settings = Settings(_env_file=target / ".env")  # type: ignore[call-arg]
    assert (settings.data_dir, settings.plans_dir, settings.dispatch_time) == (Path("data"), Path("plans"), "07:00")
    plan = load_plan(target / "plans" / "vi-du-tinh-2026-2027.yaml")
    units = parse_units(target / "plans" / "units" / "vi-du-tinh-2026-2027.csv", plan.group_names, {})
    assert len(units) == 6 and {u["group"] for u in units} == set(plan.participants.collectives)
    assert (target / "data").is_dir()


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("THIDUA_DATA_DIR=/srv/thidua\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path / '.env'}" in result.stderr and "không ghi đè" in result.stderr
    assert (tmp_path / ".env").read_text(encoding="utf-8") == "THIDUA_DATA_DIR=/srv/thidua\n"
    assert not (tmp_path / "plans").exists()


def test_every_setting_is_explained_in_the_env_example() -> None:
    for name in Settings.model_fields:
        assert f"THIDUA_{name.upper()}=" in ENV_EXAMPLE, f"THIDUA_{name.upper()} thiếu trong {EXAMPLE / '.env.example'}"
