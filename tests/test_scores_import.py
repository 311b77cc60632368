"""The scores import: PAR INDEX written as a percentage, whether typed, formatted in Excel, or a stray fraction."""

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from cli import app
from imports.plans import load_plan
from imports.scores import COLUMNS
from models import Score, Unit
from models.db import session_scope
from services.imports import import_scores
from thidua.errors import InvalidInput

PLANS = Path(__file__).parents[1] / "plans"
LOC_NINH = load_plan(PLANS / "loc-ninh-2024-2025.yaml")
FRACTION = "Chỉ số CCHC tính theo phần trăm (0–100); 0,955 có phải là 95,5%? Hãy ghi 95,5 hoặc 95,5%"


def seed(engine: Engine) -> None:
    with session_scope(engine) as session:
        for code in ("u1", "u2", "u3"):
            session.add(Unit(plan=LOC_NINH.code, code=code, name=f"Phòng {code}", group="co-quan-chuyen-mon"))


def write_xlsx(path: Path, rows: list[tuple[str, float, str | None]]) -> Path:
    """A scores workbook: (unit code, PAR INDEX cell value, the cell's number format or None)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for code, par_index, number_format in rows:
        sheet.append([code, par_index, 1, "none", 0])
        if number_format is not None:
            sheet.cell(row=sheet.max_row, column=2).number_format = number_format
    workbook.save(path)
    return path


def write_csv(path: Path, par_indexes: dict[str, str]) -> Path:
    lines = [",".join(COLUMNS)] + [f'{code},"{value}",1,none,0' for code, value in par_indexes.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(engine: Engine, path: Path) -> dict[str, float]:
    with session_scope(engine) as session:
        import_scores(session, path, LOC_NINH, 2024)
    return stored(engine)


def stored(engine: Engine) -> dict[str, float]:
    with Session(engine) as session:
        return {score.unit_code: score.par_index for score in session.exec(select(Score))}


def errors_of(engine: Engine, path: Path) -> list[tuple[str, object, str]]:
    with pytest.raises(InvalidInput) as caught, session_scope(engine) as session:
        import_scores(session, path, LOC_NINH, 2024)
    return [(error.field, error.value, error.reason) for error in caught.value.errors]


def test_percent_formatted_excel_cells_are_read_as_percentages(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    rows = [("u1", 0.955, "0.0%"), ("u2", 0.9, "0%"), ("u3", 92.25, None)]
    assert run(engine, write_xlsx(tmp_path / "scores.xlsx", rows)) == {"u1": 95.5, "u2": 90.0, "u3": 92.25}


def test_a_literal_percent_sign_in_the_format_does_not_scale(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    rows = [("u1", 95.5, '0.0"%"'), ("u2", 91, "0\\%"), ("u3", 0.93, "[Blue]0.0%")]
    assert run(engine, write_xlsx(tmp_path / "scores.xlsx", rows)) == {"u1": 95.5, "u2": 91.0, "u3": 93.0}


def test_a_percent_formatted_cell_above_100_percent_is_refused(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    path = write_xlsx(tmp_path / "scores.xlsx", [("u1", 95.5, "0.0%")])  # 9550%: typed 95.5 into a % cell
    reason = "Chỉ số CCHC tính theo phần trăm, từ 0 đến 100"
    assert errors_of(engine, path) == [("dòng 2, cột par_index", "9550%", reason)]
    assert stored(engine) == {}


def test_a_plain_fraction_among_percentages_is_refused_and_nothing_is_written(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    path = write_xlsx(tmp_path / "scores.xlsx", [("u1", 92.5, None), ("u2", 0.955, None), ("u3", 0.9, "0%")])
    assert errors_of(engine, path) == [("dòng 3, cột par_index", "0.955", FRACTION)]
    assert stored(engine) == {}


def test_a_plain_fraction_in_csv_is_refused_in_row_order_among_other_errors(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    path = write_csv(tmp_path / "scores.csv", {"u1": "0,955", "u2": "93", "u9": "91"})
    assert [field for field, _, _ in errors_of(engine, path)] == ["dòng 2, cột par_index", "dòng 4, cột unit_code"]
    assert errors_of(engine, path)[0] == ("dòng 2, cột par_index", "0,955", FRACTION)
    assert stored(engine) == {}


def test_small_values_are_kept_with_a_percent_sign(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    assert run(engine, write_csv(tmp_path / "a.csv", {"u1": "0,955%", "u2": "93", "u3": "0"})) == {
        "u1": 0.955, "u2": 93.0, "u3": 0.0
    }  # fmt: skip


def test_a_file_of_fractions_is_refused_unless_declared(engine: Engine, tmp_path: Path) -> None:
    # issue 12: a file whose values are all ≤ 1 was read as 0.5% and made everyone ineligible; it is now refused
    # (each row named) unless the administrator says the values are fractions.
    seed(engine)
    path = write_csv(tmp_path / "b.csv", {"u1": "0.5", "u2": "0,955", "u3": "0"})
    reason = "mọi Chỉ số CCHC của tệp đều ≤ 1: {0} có phải là {1}%? Hãy ghi {1} hoặc {1}%, hoặc nhập lại với --fractions nếu cả tệp ghi dạng phân số"
    assert errors_of(engine, path) == [
        ("dòng 2, cột par_index", "0.5", reason.format("0,5", "50")),
        ("dòng 3, cột par_index", "0,955", reason.format("0,955", "95,5")),
    ]
    assert stored(engine) == {}
    with session_scope(engine) as session:
        import_scores(session, path, LOC_NINH, 2024, fractions=True)
    assert stored(engine) == {"u1": 50.0, "u2": 95.5, "u3": 0.0}


def test_with_fractions_a_value_above_1_is_refused(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    path = write_csv(tmp_path / "c.csv", {"u1": "0.955", "u2": "93", "u3": "92,5%"})
    with pytest.raises(InvalidInput) as caught, session_scope(engine) as session:
        import_scores(session, path, LOC_NINH, 2024, fractions=True)
    assert [(e.field, e.value) for e in caught.value.errors] == [("dòng 3, cột par_index", "93")]
    assert "--fractions" in caught.value.errors[0].reason and stored(engine) == {}


def test_cli_fractions_option_scales_the_file(app_engine: Engine, tmp_path: Path) -> None:
    seed(app_engine)
    path = write_csv(tmp_path / "scores.csv", {"u1": "0,955", "u2": "0.9"})
    args = ["scores", "import", str(path), "--plan", LOC_NINH.code, "--year", "2024"]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2 and f'{path}: dòng 2, cột par_index: "0,955" — mọi Chỉ số CCHC' in refused.stderr
    assert CliRunner().invoke(app, [*args, "--fractions"]).exit_code == 0
    assert stored(app_engine) == {"u1": 95.5, "u2": 90.0}


def test_cli_refuses_a_fraction_with_exit_code_2(app_engine: Engine, tmp_path: Path) -> None:
    seed(app_engine)
    path = write_csv(tmp_path / "scores.csv", {"u1": "0.955", "u2": "93"})
    result = CliRunner().invoke(app, ["scores", "import", str(path), "--plan", LOC_NINH.code, "--year", "2024"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [f'{path}: dòng 2, cột par_index: "0.955" — {FRACTION}']
    assert stored(app_engine) == {}
