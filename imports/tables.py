"""Tables in CSV or XLSX files: every row as cells, a header checked against the expected columns.

A cell is stripped NFC text ("" when empty), or a date when an XLSX cell holds one. An XLSX number
formatted as a percentage reads as the text Excel shows, unrounded: 0.955 → `95.5%`. An XLSX formula
reads as the value Excel last computed; a formula never computed (a file written by a program) is
refused, named as a formula. Files larger than `MAX_BYTES` or longer than `MAX_ROWS` are refused, and
so is a CSV cell longer than the csv module's limit (128 KB).
"""

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from thidua.errors import InputError, InvalidInput

Cell = str | date
Row = dict[str, Cell]

MAX_BYTES = 20_000_000  # a directory of 10,000 units is about 2 MB
MAX_ROWS = 100_000


class BadValue(ValueError):
    """A value that cannot be accepted; the message is the reason, in Vietnamese; `where` the row, if known."""

    def __init__(self, reason: str, where: str = "tệp") -> None:
        super().__init__(reason)
        self.where = where


def _cell(value: object) -> Cell:
    """An XLSX or CSV value as a `Cell`; whole numbers lose Excel's `.0`."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", "" if value is None else str(value)).strip()


def _csv_rows(path: Path) -> list[list[object]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise BadValue("tệp CSV phải được lưu với bảng mã UTF-8") from None
    first_line = text.partition("\n")[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","  # Excel with Vietnamese regional settings
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _bounded(reader)
    except csv.Error as error:
        limit = f"{csv.field_size_limit():_}".replace("_", ".")
        reason = f"có ô dài quá {limit} ký tự" if "field larger than field limit" in str(error) else f"sai định dạng CSV ({error})"
        raise BadValue(reason, f"dòng {reader.line_num}") from None


def _bounded(rows: Iterable[list[object]]) -> list[list[object]]:
    """The rows, refusing a file with more than `MAX_ROWS` data rows (read no further)."""
    kept = list(islice(rows, MAX_ROWS + 2))
    if len(kept) > MAX_ROWS + 1:
        raise BadValue(f"tệp có hơn {MAX_ROWS:_} dòng dữ liệu".replace("_", "."))
    return kept


_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
"""Quoted text, escaped characters and [colour]/[condition] sections of an Excel number format."""


def _is_percent_format(number_format: str | None) -> bool:
    """Whether Excel shows the number ×100 with a `%` (`0%`, `0.0%`), not a literal `"%"` or `\\%`."""
    return bool(number_format) and "%" in _LITERALS.sub("", number_format)


def _percent_text(number: float) -> str:
    """A percent-formatted cell as Excel shows it, unrounded: 0.955 → `95.5%`."""
    text = format(Decimal(repr(number)) * 100, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def _xlsx_value(cell: object) -> object:
    """A cell's value; a number formatted as a percentage becomes the text Excel shows (0.955 → `95.5%`)."""
    value = getattr(cell, "value", None)
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if is_number and _is_percent_format(getattr(cell, "number_format", None)):
        return _percent_text(value)
    return value


def _sheet(path: Path, data_only: bool) -> list[list[object]]:
    """The first sheet's cells, as values (`data_only`: a formula's last computed value) or as stored."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError):
        raise BadValue("không đọc được tệp Excel (.xlsx)") from None
    try:
        return _bounded([list(row) for row in workbook.worksheets[0].iter_rows(min_row=1)])
    finally:
        workbook.close()


def _xlsx_rows(path: Path) -> list[list[object]]:
    """The first sheet's values; a formula is taken at the value Excel last computed, refused if it has none."""
    stored = _sheet(path, data_only=False)
    formulas = {(r, c): cell.value for r, row in enumerate(stored) for c, cell in enumerate(row) if getattr(cell, "data_type", None) == "f"}
    if not formulas:
        return [[_xlsx_value(cell) for cell in row] for row in stored]
    computed = _sheet(path, data_only=True)
    value = lambda r, c: getattr(computed[r][c], "value", None) if r < len(computed) and c < len(computed[r]) else None  # noqa: E731
    uncomputed = [(r, c, formula) for (r, c), formula in formulas.items() if value(r, c) is None]
    if uncomputed:
        reason = "ô là công thức Excel chưa có giá trị đã tính; hãy mở tệp bằng Excel và lưu lại, hoặc dán giá trị (Paste Values)"
        raise InvalidInput(InputError(str(path), f"dòng {r + 1}, cột {get_column_letter(c + 1)}", formula, reason) for r, c, formula in uncomputed)
    return [[_xlsx_value(cell) for cell in row] for row in computed]


_READERS: dict[str, Callable[[Path], list[list[object]]]] = {".csv": _csv_rows, ".xlsx": _xlsx_rows}


def require_file(path: Path) -> None:
    """Raise InvalidInput when `path` is not an existing file."""
    if not path.is_file():
        raise InvalidInput([InputError(str(path), "tệp", str(path), "không tìm thấy tệp")])


def read_cells(path: Path) -> list[list[Cell]]:
    """Every row of the file (the first sheet of a workbook) as cells; raises InvalidInput."""
    file = str(path)
    require_file(path)
    try:
        reader = _READERS.get(path.suffix.lower())
        if reader is None:
            raise BadValue("chỉ nhận tệp .csv hoặc .xlsx")
        if path.stat().st_size > MAX_BYTES:
            raise BadValue(f"tệp lớn quá {MAX_BYTES // 1_000_000} MB")
        return [[_cell(value) for value in row] for row in reader(path)]
    except BadValue as error:
        raise InvalidInput([InputError(file, error.where, file, str(error))]) from None


def _header_errors(file: str, header: list[Cell], columns: Sequence[str], optional: Sequence[str]) -> list[InputError]:
    """Missing, unknown, unnamed or repeated columns of the header row."""
    errors = []
    known = [*columns, *optional]
    for index, name in enumerate(header, start=1):
        where = f"dòng 1, cột {get_column_letter(index)}"
        if name not in known:
            reason = "cột không có tên" if name == "" else f"tên cột không hợp lệ; các cột: {', '.join(known)}"
            errors.append(InputError(file, where, name, reason))
        elif header.index(name) < index - 1:
            errors.append(InputError(file, where, name, "cột bị lặp lại"))
    missing = [name for name in columns if name not in header]
    errors += [InputError(file, f"dòng 1, cột {name}", "", "thiếu cột bắt buộc") for name in missing]
    return errors


def _overflow(file: str, line: int, width: int, row: list[Cell]) -> list[InputError]:
    """An error for each non-empty cell to the right of the last named column."""
    return [
        InputError(file, f"dòng {line}, cột {get_column_letter(index)}", value, "ô nằm ngoài các cột có tiêu đề")
        for index, value in enumerate(row, start=1)
        if index > width and value != ""
    ]


def read_table(path: Path, columns: Sequence[str], empty: str, optional: Sequence[str] = ()) -> list[tuple[int, Row]]:
    """The non-empty data rows of a CSV/XLSX file whose header names `columns` (any order), and any of `optional`,
    as (row number, cells); an optional column the file does not have reads as "" in every row.

    Every problem of the header, or any cell outside the named columns, raises InvalidInput naming the
    row and column; a file without data rows raises with `empty` as the reason.
    """
    file = str(path)
    cells = read_cells(path)
    header = cells[0] if cells else []
    while header and header[-1] == "":
        header = header[:-1]
    if not header:
        raise InvalidInput([InputError(file, "dòng 1", "", "tệp trống: thiếu dòng tiêu đề")])
    if errors := _header_errors(file, header, columns, optional):
        raise InvalidInput(errors)
    absent = {name: "" for name in optional if name not in header}
    rows, errors = [], []
    for line, row in enumerate(cells[1:], start=2):
        errors += _overflow(file, line, len(header), row)
        if any(value != "" for value in row):
            padded = row[: len(header)] + [""] * (len(header) - len(row))
            rows.append((line, {**absent, **dict(zip(header, padded, strict=True))}))
    if errors:
        raise InvalidInput(errors)
    if not rows:
        raise InvalidInput([InputError(file, "dòng 2", "", empty)])
    return rows


