"""The unit directory: CSV/XLSX import (all or nothing, idempotent), validation messages, and the CLI."""

import csv
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from cli.units import plan_groups, units_app
from imports.tables import BadValue
from imports.units import normalize_phone, parse_date
from models.db import session_scope
from models.queries.units import ImportReport, list_units
from models.units import Unit
from services.imports import import_units
from thidua.directory import COLUMNS
from thidua.errors import InvalidInput

EXAMPLES_DIR = Path(__file__).parent.parent / "plans" / "units"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.csv"))
LOC_NINH = "loc-ninh-2024-2025"
LOC_NINH_CSV = EXAMPLES_DIR / f"{LOC_NINH}.csv"
GROUPS = plan_groups(LOC_NINH)
BASE = [
    {"code": "u1", "name": "UBND xã Lộc Thái", "group": "ubnd-xa", "focal_phone": "0912 345 678"},
    {"code": "u2", "name": "Phòng Tư pháp", "group": "co-quan-chuyen-mon", "focal_email": "tuphap@locninh.gov.vn"},
]


def write_csv(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> Path:
    """A directory file with `columns` as header; cells a row does not name are empty."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        writer.writerows([row.get(column, "") for column in columns] for row in rows)
    return path


def run_import(engine: Engine, path: Path, plan: str = LOC_NINH) -> ImportReport:
    with session_scope(engine) as session:
        return import_units(session, path, plan, plan_groups(plan))


def snapshot(engine: Engine) -> list[tuple[object, ...]]:
    """Every unit row, every column, in a stable order."""
    with Session(engine) as session:
        units = session.exec(select(Unit).order_by(Unit.plan, Unit.code)).all()
    return [tuple(unit.model_dump().values()) for unit in units]


def counts(report: ImportReport) -> tuple[int, int, int, int]:
    return len(report.added), len(report.updated), len(report.unchanged), len(report.absent)


def import_errors(engine: Engine, path: Path) -> list[tuple[str, str]]:
    """(field, reason) of every error of a rejected import."""
    with pytest.raises(InvalidInput) as caught:
        run_import(engine, path)
    return [(error.field, error.reason) for error in caught.value.errors]


# --- examples, idempotence, updates -------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_example_directory_imports_and_reimport_changes_nothing(engine: Engine, path: Path) -> None:
    rows = len(path.read_text(encoding="utf-8").splitlines()) - 1
    assert counts(run_import(engine, path, path.stem)) == (rows, 0, 0, 0)
    before = snapshot(engine)
    assert counts(run_import(engine, path, path.stem)) == (0, 0, rows, 0)
    assert snapshot(engine) == before


def test_loc_ninh_merged_commune_exists_until_30_june_2025(engine: Engine) -> None:
    run_import(engine, LOC_NINH_CSV)
    with Session(engine) as session:
        before = {unit.code for unit in list_units(session, LOC_NINH, date(2025, 6, 30))}
        after = {unit.code for unit in list_units(session, LOC_NINH, date(2025, 7, 1))}
        merged = session.exec(select(Unit).where(Unit.code == "ln-ub-loc-thinh")).one()
    assert before - after == {"ln-ub-loc-thinh"}
    assert (merged.valid_to, merged.merged_into) == (date(2025, 6, 30), "ln-ub-loc-thanh")


def test_changed_row_updates_in_place_and_absent_units_are_kept(engine: Engine, tmp_path: Path) -> None:
    run_import(engine, write_csv(tmp_path / "units.csv", BASE))
    with Session(engine) as session:
        ids = {unit.code: unit.id for unit in session.exec(select(Unit))}
    changed = [{**BASE[0], "focal_phone": "+84 987 654 321"}]
    report = run_import(engine, write_csv(tmp_path / "units.csv", changed))
    assert (report.updated, report.absent) == (("u1",), ("u2",))
    with Session(engine) as session:
        units = {unit.code: unit for unit in session.exec(select(Unit))}
    assert {code: unit.id for code, unit in units.items()} == ids
    assert units["u1"].focal_phone == "84987654321"


def test_xlsx_import_gives_the_same_directory_as_csv(engine: Engine, tmp_path: Path) -> None:
    with LOC_NINH_CSV.open(encoding="utf-8") as file:
        rows = list(csv.reader(file))
    workbook = openpyxl.Workbook()
    for line, row in enumerate(rows):
        cells: list[object] = list(row)
        if line > 0 and row[COLUMNS.index("valid_to")]:  # a real date cell, as Excel stores it
            cells[COLUMNS.index("valid_to")] = datetime.strptime(row[COLUMNS.index("valid_to")], "%d/%m/%Y")
        if line == 1:  # a phone typed as a number: Excel drops the leading 0
            cells[COLUMNS.index("focal_phone")] = int(row[COLUMNS.index("focal_phone")].replace(" ", ""))
        workbook.active.append(cells)
    workbook.save(tmp_path / "units.xlsx")
    assert counts(run_import(engine, tmp_path / "units.xlsx")) == (len(rows) - 1, 0, 0, 0)
    assert counts(run_import(engine, LOC_NINH_CSV)) == (0, 0, len(rows) - 1, 0)


def test_semicolon_csv_from_excel_is_read(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text(";".join(COLUMNS) + "\nu1;UBND xã Lộc Thái;ubnd-xa" + ";" * (len(COLUMNS) - 3) + "\n", "utf-8-sig")
    assert run_import(engine, path).added == ("u1",)


# --- validation: each error names row and column and leaves the database unchanged ---------------

MERGED = {"valid_to": "30/06/2025"}


@pytest.mark.parametrize(
    ("bad", "column", "reason"),
    [
        ({"group": "ubnd-tinh"}, "group", "nhóm không có trong kế hoạch; các nhóm: co-quan-chuyen-mon, ubnd-xa"),
        ({"name": ""}, "name", "không được để trống"),
        ({"focal_email": "vanphong@@locthai"}, "focal_email", "địa chỉ email không hợp lệ"),
        ({"head_phone": "091 234 567"}, "head_phone", "số điện thoại di động Việt Nam không hợp lệ"),
        ({"code": "u1"}, "code", "mã đơn vị trùng với dòng 2"),
        ({**MERGED, "merged_into": "u9"}, "merged_into", "không có đơn vị mã này trong tệp hoặc trong danh mục"),
        ({**MERGED, "merged_into": "u4"}, "merged_into", "đơn vị không thể sáp nhập vào chính nó"),
        ({"merged_into": "u1"}, "valid_to", "đơn vị đã sáp nhập phải có ngày hết hiệu lực"),
        ({"valid_from": "01/07/2025", "valid_to": "2025-06-30"}, "valid_to", "ngày hết hiệu lực trước ngày bắt đầu"),
        ({"valid_to": "31/11/2025"}, "valid_to", "tháng 11 chỉ có 30 ngày"),
        ({"valid_from": "2025/07/01"}, "valid_from", "ngày phải viết dạng dd/mm/yyyy"),
        ({"focal_zalo_user_id": "zalo-123"}, "focal_zalo_user_id", "user_id Zalo chỉ gồm chữ số"),
    ],
)
def test_invalid_cell_is_reported_with_row_and_column_and_nothing_is_written(
    engine: Engine, tmp_path: Path, bad: dict[str, str], column: str, reason: str
) -> None:
    run_import(engine, write_csv(tmp_path / "units.csv", BASE))
    before = snapshot(engine)
    rows = [{**BASE[0], "name": "UBND xã Lộc Thái (đổi tên)"}, BASE[1], {"code": "u3", "name": "X", "group": "ubnd-xa"}]
    rows.append({"code": "u4", "name": "UBND xã Lộc Thịnh", "group": "ubnd-xa", **bad})
    [(field, message)] = import_errors(engine, write_csv(tmp_path / "units.csv", rows))
    assert field == f"dòng 5, cột {column}"
    assert message.startswith(reason)
    assert snapshot(engine) == before


def test_merged_into_may_name_a_unit_already_in_the_directory(engine: Engine, tmp_path: Path) -> None:
    run_import(engine, write_csv(tmp_path / "units.csv", BASE))
    merged = [{"code": "u3", "name": "UBND xã Lộc Thịnh", "group": "ubnd-xa", **MERGED, "merged_into": "u1"}]
    assert run_import(engine, write_csv(tmp_path / "units.csv", merged)).added == ("u3",)


def xa(code: str, **cells: str) -> dict[str, str]:
    return {"code": code, "name": f"UBND xã {code}", "group": "ubnd-xa", **cells}


CYCLE = "chuỗi sáp nhập lặp vòng: {}; đơn vị nhận sáp nhập phải là đơn vị còn tồn tại"
AFTER = "không có vào ngày 01/07/2025, ngày đơn vị này hết hiệu lực (30/06/2025) cộng một ngày"


@pytest.mark.parametrize(
    ("rows", "errors"),
    [
        (  # each is merged into the other: neither exists after 30/06/2025
            [xa("x6", valid_to="2025-06-30", merged_into="x7"), xa("x7", valid_to="2025-06-30", merged_into="x6")],
            [("dòng 4, cột merged_into", CYCLE.format("x6 → x7 → x6")),
             ("dòng 5, cột merged_into", CYCLE.format("x7 → x6 → x7"))],
        ),
        (  # a longer loop, and a unit merged into it
            [xa("x5", **MERGED, merged_into="x6"), xa("x6", **MERGED, merged_into="x7"),
             xa("x7", **MERGED, merged_into="x8"), xa("x8", **MERGED, merged_into="x6")],
            [("dòng 4, cột merged_into", "chuỗi sáp nhập dẫn vào một vòng lặp: x5 → x6 → x7 → x8 → x6; "
                                         "đơn vị nhận sáp nhập phải là đơn vị còn tồn tại"),
             ("dòng 5, cột merged_into", CYCLE.format("x6 → x7 → x8 → x6")),
             ("dòng 6, cột merged_into", CYCLE.format("x7 → x8 → x6 → x7")),
             ("dòng 7, cột merged_into", CYCLE.format("x8 → x6 → x7 → x8"))],
        ),
        (  # the successor only starts a month after the merged unit ends
            [xa("x6", **MERGED, merged_into="x7"), xa("x7", valid_from="01/08/2025")],
            [("dòng 4, cột merged_into", f"đơn vị nhận sáp nhập x7 chỉ có hiệu lực từ 01/08/2025, {AFTER}")],
        ),
        (  # the successor has already ended
            [xa("x6", **MERGED, merged_into="x7"), xa("x7", valid_to="30/06/2025")],
            [("dòng 4, cột merged_into", f"đơn vị nhận sáp nhập x7 chỉ có hiệu lực đến 30/06/2025, {AFTER}")],
        ),
    ],
    ids=["two-unit-cycle", "longer-cycle", "successor-starts-later", "successor-ended"],
)  # fmt: skip
def test_merges_into_a_loop_or_a_unit_that_does_not_exist_the_next_day_are_rejected(
    engine: Engine, tmp_path: Path, rows: list[dict[str, str]], errors: list[tuple[str, str]]
) -> None:
    run_import(engine, write_csv(tmp_path / "units.csv", BASE))
    before = snapshot(engine)
    assert import_errors(engine, write_csv(tmp_path / "units.csv", [*BASE, *rows])) == errors  # rows from dòng 4
    assert snapshot(engine) == before


def test_merges_are_checked_against_the_units_already_in_the_directory(engine: Engine, tmp_path: Path) -> None:
    directory = [
        xa("x6", **MERGED, merged_into="x7"), xa("x7", valid_from="01/07/2025"), xa("x8", valid_to="31/03/2025")
    ]  # fmt: skip
    run_import(engine, write_csv(tmp_path / "units.csv", directory))
    before = snapshot(engine)
    loop = [xa("x7", valid_from="01/07/2025", valid_to="31/12/2025", merged_into="x6")]  # x6 is merged into x7
    assert import_errors(engine, write_csv(tmp_path / "units.csv", loop)) == [
        ("dòng 2, cột merged_into", CYCLE.format("x7 → x6 → x7"))
    ]
    ended = [xa("x9", **MERGED, merged_into="x8")]
    assert import_errors(engine, write_csv(tmp_path / "units.csv", ended)) == [
        ("dòng 2, cột merged_into", f"đơn vị nhận sáp nhập x8 chỉ có hiệu lực đến 31/03/2025, {AFTER}")
    ]
    assert snapshot(engine) == before
    # the file's row replaces the directory's: x8 extended to the end of 2025 now receives x9
    fixed = [xa("x8", valid_to="31/12/2025"), *ended]
    assert run_import(engine, write_csv(tmp_path / "units.csv", fixed)).added == ("x9",)


@pytest.mark.parametrize(
    ("columns", "error"),
    [
        (tuple(c for c in COLUMNS if c != "focal_email"), ("dòng 1, cột focal_email", "thiếu cột bắt buộc")),
        ((*COLUMNS, "ghi_chu"), ("dòng 1, cột O", "tên cột không hợp lệ; các cột: code, name, group")),
    ],
    ids=["missing", "unknown"],
)
def test_bad_header_is_reported_and_nothing_is_written(
    engine: Engine, tmp_path: Path, columns: tuple[str, ...], error: tuple[str, str]
) -> None:
    run_import(engine, write_csv(tmp_path / "units.csv", BASE))
    before = snapshot(engine)
    [(field, reason)] = import_errors(engine, write_csv(tmp_path / "units.csv", [*BASE, BASE[0]], columns))
    assert (field, reason[: len(error[1])]) == error
    assert snapshot(engine) == before


def test_all_errors_of_a_file_are_reported_at_once_in_row_order(sqlite_engine: Engine, tmp_path: Path) -> None:
    rows = [
        {"code": "u1", "name": "A", "group": "ubnd-xa", "valid_to": "31/11/2025", "merged_into": "u9"},
        {"code": "", "name": "B", "group": "x", "focal_email": "b@", "focal_phone": "0271 3881 234"},
        {"code": "u1", "name": "C", "group": "ubnd-xa"},
    ]
    fields = [field for field, _ in import_errors(sqlite_engine, write_csv(tmp_path / "units.csv", rows))]
    assert fields == [
        "dòng 2, cột valid_to",
        "dòng 2, cột merged_into",
        "dòng 3, cột code",
        "dòng 3, cột group",
        "dòng 3, cột focal_email",
        "dòng 3, cột focal_phone",
        "dòng 4, cột code",
    ]


# --- pure parsers -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["0912345678", "0912 345 678", "+84 912 345 678", "84912345678", "(+84) 912-345-678"])
def test_vietnamese_mobile_numbers_are_normalised(text: str) -> None:
    assert normalize_phone(text) == "84912345678"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("091234567", "số điện thoại di động Việt Nam không hợp lệ"),
        ("+1 202 555 0101", "số điện thoại di động Việt Nam không hợp lệ"),
        ("0912abc678", "số điện thoại di động Việt Nam không hợp lệ"),
        ("0271 3881 234", "đây là số máy bàn"),
    ],
)
def test_other_phone_numbers_are_rejected(text: str, reason: str) -> None:
    with pytest.raises(BadValue, match=reason):
        normalize_phone(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/11/2025", "tháng 11 chỉ có 30 ngày"),
        ("29/02/2025", "tháng 2 năm 2025 chỉ có 28 ngày"),
        ("01/13/2025", "không có tháng 13"),
        ("1 tháng 7", "ngày phải viết dạng"),
    ],
)
def test_impossible_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(BadValue, match=reason):
        parse_date(text)


def test_dates_are_read_in_both_formats() -> None:
    assert parse_date("1/7/2025") == parse_date("2025-07-01") == date(2025, 7, 1)
    assert parse_date("29/02/2024") == date(2024, 2, 29)


# --- CLI ----------------------------------------------------------------------------------------


@pytest.fixture
def cli(sqlite_engine: Engine, point_app: Callable[..., None]) -> CliRunner:
    """A runner whose commands use the test database."""
    point_app(sqlite_engine)
    return CliRunner()


def test_cli_imports_with_the_plan_taken_from_the_file_name(cli: CliRunner, sqlite_engine: Engine) -> None:
    result = cli.invoke(units_app, ["import", str(LOC_NINH_CSV)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Đã nhập 26 đơn vị vào danh mục kế hoạch {LOC_NINH}: 26 thêm mới, 0 cập nhật")
    listed = json.loads(cli.invoke(units_app, ["list", "--plan", LOC_NINH, "--as-of", "2025-07-01", "--json"]).stdout)
    assert len(listed) == 25 and listed[0]["plan"] == LOC_NINH and "ln-ub-loc-thinh" not in {u["code"] for u in listed}
    human = cli.invoke(units_app, ["list", "--plan", LOC_NINH]).stdout
    assert "UBND xã Lộc Thịnh [ubnd-xa] (đến 30/06/2025, sáp nhập vào ln-ub-loc-thanh)" in human


def test_cli_reports_every_error_on_stderr_with_exit_code_2(cli: CliRunner, tmp_path: Path) -> None:
    rows = [{"code": "u1", "name": "A", "group": "x"}, {"code": "u2", "name": "B", "valid_to": "31/11/2025"}]
    path = write_csv(tmp_path / "units.csv", rows)
    result = cli.invoke(units_app, ["import", str(path), "--plan", LOC_NINH])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f'{path}: dòng 2, cột group: "x" — nhóm không có trong kế hoạch; các nhóm: co-quan-chuyen-mon, ubnd-xa',
        f'{path}: dòng 3, cột group: "" — không được để trống',
        f'{path}: dòng 3, cột valid_to: "31/11/2025" — tháng 11 chỉ có 30 ngày',
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "khong-co.csv", "--plan", LOC_NINH], "không tìm thấy tệp"),
        (["import", "{tmp}/danh-sach.csv"], "tên tệp không phải mã của một kế hoạch; hãy ghi rõ --plan"),
        (["import", "{tmp}/danh-sach.csv", "--plan", "ha-noi-2030"], "không có kế hoạch này"),
        (["list", "--as-of", "31/11/2025"], "tháng 11 chỉ có 30 ngày"),
    ],
)
def test_cli_rejects_bad_arguments_without_traceback(
    cli: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    write_csv(tmp_path / "danh-sach.csv", BASE)
    result = cli.invoke(units_app, [arg.format(tmp=tmp_path) for arg in args])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert message in result.stderr


def test_cli_rejects_a_merge_cycle_with_exit_code_2(cli: CliRunner, sqlite_engine: Engine, tmp_path: Path) -> None:
    rows = [xa("x6", valid_to="2025-06-30", merged_into="x7"), xa("x7", valid_to="2025-06-30", merged_into="x6")]
    path = write_csv(tmp_path / "units.csv", rows)
    result = cli.invoke(units_app, ["import", str(path), "--plan", LOC_NINH])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f'{path}: dòng 2, cột merged_into: "x7" — {CYCLE.format("x6 → x7 → x6")}',
        f'{path}: dòng 3, cột merged_into: "x6" — {CYCLE.format("x7 → x6 → x7")}',
    ]
    assert snapshot(sqlite_engine) == []
