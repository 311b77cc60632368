"""Codes are slugs and names one line of printable text, wherever they enter (issue 11, Deliver 5 at input):
unit, nominee, registration and score files, the command line; nothing is written when one is wrong."""

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine
from test_units import BASE, run_import, snapshot, write_csv

from imports.nominees import parse_nominees
from imports.registrations import parse_registrations
from imports.scores import parse_scores
from imports.tables import read_cells
from services.plans import find_plan
from thidua.errors import InvalidInput
from thidua.names import code_problem, name_problem

PLAN = find_plan("loc-ninh-2024-2025")


@pytest.mark.parametrize("code", ["UBND Xã", "xã-lộc-thái", "-dau-gach", "a b", "a/b", "x" * 65, ""])
def test_a_code_that_is_not_a_slug_is_refused(code: str) -> None:
    assert code_problem(code)


@pytest.mark.parametrize("name", ["UBND xã\nLộc Thái", "Phòng\x00Tư pháp", "A\tB", "Tên\u2028khác", "Tên \u202egnợưt", "x" * 301])
def test_a_name_with_control_characters_is_refused(name: str) -> None:
    assert name_problem(name)


def test_names_people_write_are_accepted() -> None:
    names = ["UBND xã Lộc Thái", "Phòng Hành chính - Tổ chức", "=HYPERLINK(\"x\")", "Nguyễn Thị Ánh (Tổ 3)"]
    assert [name_problem(n) for n in names] == [None] * 4
    assert code_problem("ln-ub-loc-thai_2") is None


def test_the_unit_import_refuses_bad_codes_and_names_naming_row_and_column(engine: Engine, tmp_path: Path) -> None:
    before = snapshot(engine)
    rows = [
        {**BASE[0], "code": "UBND Lộc Thái"},
        {**BASE[1], "name": "Phòng Tư pháp\x00", "focal_name": "Trần\nVăn A"},
    ]
    with pytest.raises(InvalidInput) as exc:
        run_import(engine, write_csv(tmp_path / "units.csv", rows))
    found = {(e.field, e.reason.split(";")[0]) for e in exc.value.errors}
    assert ("dòng 2, cột code", "mã chỉ gồm chữ thường không dấu, chữ số, '-' và '_', bắt đầu bằng chữ hoặc số (ví dụ ubnd-xa-loc-ninh)") in found
    assert ("dòng 3, cột name", "tên chứa ký tự điều khiển U+0000 (NUL)") in found
    assert ("dòng 3, cột focal_name", "tên chứa ký tự điều khiển U+000A (xuống dòng)") in found
    assert '"Phòng Tư pháp\\x00"' in str(exc.value)  # the NUL shown, never written: PostgreSQL sees nothing
    assert snapshot(engine) == before


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_nominee_registration_and_score_files_check_codes_and_names(tmp_path: Path) -> None:
    groups = {"ln-ub-loc-thai": "ubnd-xa"}
    nominees = _xlsx(tmp_path / "nominees.xlsx", [["unit_code", "kind", "name"], ["LN UB", "collective", "x"], ["ln-ub-loc-thai", "collective", "An\nBình"]])
    with pytest.raises(InvalidInput) as exc:
        parse_nominees(nominees, PLAN, 2025, groups)
    assert [e.field for e in exc.value.errors] == ["dòng 2, cột unit_code", "dòng 3, cột name"]
    registrations = _xlsx(tmp_path / "reg.xlsx", [["unit_code", "name", "position"], ["ln-ub-loc-thai", "An", "Chủ\rtịch"], ["Lộc", "", ""]])
    with pytest.raises(InvalidInput) as exc:
        parse_registrations(registrations, groups)
    assert [e.field for e in exc.value.errors] == ["dòng 2, cột position", "dòng 3, cột unit_code"]
    scores = _xlsx(tmp_path / "s.xlsx", [["unit_code", "par_index", "initiatives_recognized", "discipline", "excellent_group"], ["Lộc Thái", 90, 1, "none", 0]])
    with pytest.raises(InvalidInput) as exc:
        parse_scores(scores, PLAN, 2025, set(groups))
    assert "mã chỉ gồm chữ thường" in exc.value.errors[0].reason


def test_a_formula_never_computed_is_named_as_a_formula_not_as_an_empty_cell(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "units.xlsx", [["code", "name"], ["u1", '=HYPERLINK("http://evil.example/x","Bấm vào")'], ["u2", "=1+1"]])
    with pytest.raises(InvalidInput) as exc:
        read_cells(path)
    assert [(e.field, e.value) for e in exc.value.errors] == [("dòng 2, cột B", '=HYPERLINK("http://evil.example/x","Bấm vào")'), ("dòng 3, cột B", "=1+1")]
    assert all("công thức Excel" in e.reason and "trống" not in e.reason for e in exc.value.errors)


def test_a_one_megabyte_csv_cell_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("code,name\nu1," + "x" * 1_000_000 + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        read_cells(path)
    assert [(e.field, e.reason) for e in exc.value.errors] == [("dòng 2", "có ô dài quá 131.072 ký tự")]
