"""A plan's unit directory: read a CSV or XLSX file, validate every cell, then upsert all or nothing."""

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, TypeVar

import openpyxl
import phonenumbers
from email_validator import EmailNotValidError, validate_email
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from sqlmodel import Session, select

from models.units import Unit
from thidua import dates as dateparse
from thidua.errors import InputError, InvalidInput
from thidua.words import ddmmyyyy

COLUMNS: tuple[str, ...] = (
    "code", "name", "group", "parent",
    "focal_name", "focal_email", "focal_phone", "focal_zalo_user_id",
    "head_name", "head_email", "head_phone",
    "valid_from", "valid_to", "merged_into",
)  # fmt: skip
"""The header of a directory file; each column is the `Unit` field of the same name."""

Cell = str | date
"""A cell as read: stripped NFC text ("" when empty), or a date when an XLSX cell holds one.

An XLSX number formatted as a percentage reads as the text Excel shows, unrounded: 0.955 → `95.5%`."""


_T = TypeVar("_T")


class BadValue(ValueError):
    """A value that cannot be accepted; the message is the reason, in Vietnamese."""


@dataclass(frozen=True)
class ImportReport:
    """What an import did, as unit codes; units `absent` from the file were kept as they were."""

    plan: str
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    absent: tuple[str, ...]

    @property
    def total(self) -> int:
        """Number of units in the file."""
        return len(self.added) + len(self.updated) + len(self.unchanged)


class _Problem(NamedTuple):
    line: int
    column: str
    value: Cell
    reason: str


# --- cell values --------------------------------------------------------------------------------

_PHONE_CHARS = re.compile(r"[\d\s.()+-]+")


def parse_date(value: Cell) -> date:
    """A date from a date cell, `dd/mm/yyyy` or `yyyy-mm-dd`; raises BadValue naming what is wrong."""
    try:
        return dateparse.parse_date(value)
    except ValueError as exc:
        raise BadValue(str(exc)) from None


def normalize_phone(text: str) -> str:
    """A Vietnamese mobile number as `84xxxxxxxxx` (what Zalo ZNS expects); raises BadValue otherwise."""
    number = None
    if _PHONE_CHARS.fullmatch(text):
        try:
            number = phonenumbers.parse(text, "VN")
        except phonenumbers.NumberParseException:
            pass
    if number is None or number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise BadValue("số điện thoại di động Việt Nam không hợp lệ (ví dụ 0912 345 678 hoặc +84 912 345 678)")
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        raise BadValue("đây là số máy bàn; cần số di động để nhận tin nhắn Zalo")
    return f"84{number.national_number}"


def _email(text: str) -> str:
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise BadValue("địa chỉ email không hợp lệ") from None


def _zalo_user_id(text: str) -> str:
    if not text.isdigit():
        raise BadValue("user_id Zalo chỉ gồm chữ số")
    return text


def _text(value: Cell) -> str | None:
    text = value.isoformat() if isinstance(value, date) else value
    return text or None


def _required(value: Cell) -> str:
    text = _text(value)
    if text is None:
        raise BadValue("không được để trống")
    return text


def _optional(parse: Callable[[str], _T]) -> Callable[[Cell], _T | None]:
    """`parse` for a non-empty text cell; None for an empty cell."""

    def parse_optional(value: Cell) -> _T | None:
        text = _text(value)
        return None if text is None else parse(text)

    return parse_optional


def _optional_date(value: Cell) -> date | None:
    return None if value == "" else parse_date(value)


_PARSERS: dict[str, Callable[[Cell], object]] = {
    "code": _required,
    "name": _required,
    "group": _required,
    "focal_email": _optional(_email),
    "head_email": _optional(_email),
    "focal_phone": _optional(normalize_phone),
    "head_phone": _optional(normalize_phone),
    "focal_zalo_user_id": _optional(_zalo_user_id),
    "valid_from": _optional_date,
    "valid_to": _optional_date,
}


# --- reading files ------------------------------------------------------------------------------


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
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


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


def _xlsx_rows(path: Path) -> list[list[object]]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError):
        raise BadValue("không đọc được tệp Excel (.xlsx)") from None
    try:
        return [[_xlsx_value(cell) for cell in row] for row in workbook.worksheets[0].iter_rows(min_row=1)]
    finally:
        workbook.close()


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
        return [[_cell(value) for value in row] for row in reader(path)]
    except BadValue as error:
        raise InvalidInput([InputError(file, "tệp", file, str(error))]) from None


def _header_errors(file: str, header: list[Cell]) -> list[InputError]:
    """Missing, unknown, unnamed or repeated columns of the header row."""
    errors = []
    for index, name in enumerate(header, start=1):
        where = f"dòng 1, cột {get_column_letter(index)}"
        if name not in COLUMNS:
            reason = "cột không có tên" if name == "" else f"tên cột không hợp lệ; các cột: {', '.join(COLUMNS)}"
            errors.append(InputError(file, where, name, reason))
        elif header.index(name) < index - 1:
            errors.append(InputError(file, where, name, "cột bị lặp lại"))
    missing = [name for name in COLUMNS if name not in header]
    errors += [InputError(file, f"dòng 1, cột {name}", "", "thiếu cột bắt buộc") for name in missing]
    return errors


def _overflow(file: str, line: int, width: int, row: list[Cell]) -> list[InputError]:
    """An error for each non-empty cell to the right of the last named column."""
    return [
        InputError(file, f"dòng {line}, cột {get_column_letter(index)}", value, "ô nằm ngoài các cột có tiêu đề")
        for index, value in enumerate(row, start=1)
        if index > width and value != ""
    ]


def _read_rows(path: Path) -> list[tuple[int, dict[str, Cell]]]:
    """Non-empty data rows as (row number in the spreadsheet, column → cell); raises InvalidInput."""
    file = str(path)
    cells = read_cells(path)
    header = cells[0] if cells else []
    while header and header[-1] == "":
        header = header[:-1]
    if not header:
        raise InvalidInput([InputError(file, "dòng 1", "", "tệp trống: thiếu dòng tiêu đề")])
    if errors := _header_errors(file, header):
        raise InvalidInput(errors)
    rows, errors = [], []
    for line, row in enumerate(cells[1:], start=2):
        errors += _overflow(file, line, len(header), row)
        if any(value != "" for value in row):
            padded = row[: len(header)] + [""] * (len(header) - len(row))
            rows.append((line, dict(zip(header, padded, strict=True))))
    if errors:
        raise InvalidInput(errors)
    if not rows:
        raise InvalidInput([InputError(file, "dòng 2", "", "tệp không có đơn vị nào")])
    return rows


# --- validating rows ----------------------------------------------------------------------------


_Parsed = tuple[int, dict[str, Cell], dict[str, object]]
"""A row as (row number, cells, the values that parsed)."""


def _parse_row(
    line: int, cells: dict[str, Cell], groups: Mapping[str, str]
) -> tuple[dict[str, object], list[_Problem]]:
    """The values of one row that parse, and a problem for each bad cell and each rule the row breaks."""
    values: dict[str, object] = {}
    problems = []
    for column in COLUMNS:
        try:
            values[column] = _PARSERS.get(column, _text)(cells[column])
        except BadValue as error:
            problems.append(_Problem(line, column, cells[column], str(error)))
    problems += [_Problem(line, column, cells[column], reason) for column, reason in _row_rules(values, groups)]
    return values, problems


def _row_rules(values: dict[str, object], groups: Mapping[str, str]) -> list[tuple[str, str]]:
    """(column, reason) for each rule one row breaks: its group, its merge and its validity dates."""
    broken = []
    group, merged_into = values.get("group"), values.get("merged_into")
    valid_from, valid_to = values.get("valid_from"), values.get("valid_to")
    if group is not None and group not in groups:
        broken.append(("group", f"nhóm không có trong kế hoạch; các nhóm: {', '.join(groups)}"))
    if merged_into is not None and merged_into == values.get("code"):
        broken.append(("merged_into", "đơn vị không thể sáp nhập vào chính nó"))
    if merged_into is not None and valid_to is None and "valid_to" in values:
        broken.append(("valid_to", "đơn vị đã sáp nhập phải có ngày hết hiệu lực (valid_to)"))
    if isinstance(valid_from, date) and isinstance(valid_to, date) and valid_to < valid_from:
        broken.append(("valid_to", f"ngày hết hiệu lực trước ngày bắt đầu hiệu lực ({ddmmyyyy(valid_from)})"))
    return broken


class _Span(NamedTuple):
    """When a unit exists and what it was merged into, from the file or from the directory."""

    valid_from: date | None
    valid_to: date | None
    merged_into: str | None

    def exists_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


def _merge_chain(code: str, spans: Mapping[str, _Span]) -> list[str] | None:
    """`code` → `merged_into` → … ending where the chain loops back (a cycle), or None if it ends."""
    chain = [code]
    while (span := spans.get(chain[-1])) is not None and span.merged_into is not None:
        chain.append(span.merged_into)
        if span.merged_into in chain[:-1]:
            return chain
    return None


def _successor_reason(target: str, successor: _Span, valid_to: date) -> str | None:
    """Why the unit merged into on the day after `valid_to` does not exist that day, or None if it does."""
    day = valid_to + timedelta(days=1)
    if successor.exists_on(day):
        return None
    after = f"không có vào ngày {ddmmyyyy(day)}, ngày đơn vị này hết hiệu lực ({ddmmyyyy(valid_to)}) cộng một ngày"
    if successor.valid_from is not None and day < successor.valid_from:
        return f"đơn vị nhận sáp nhập {target} chỉ có hiệu lực từ {ddmmyyyy(successor.valid_from)}, {after}"
    assert successor.valid_to is not None
    return f"đơn vị nhận sáp nhập {target} chỉ có hiệu lực đến {ddmmyyyy(successor.valid_to)}, {after}"


def _file_rules(parsed: list[_Parsed], known: Mapping[str, Unit]) -> list[_Problem]:
    """Codes repeated in the file, and merges into a unit that is not in the file nor in the directory,
    that loops back (`a` into `b`, `b` into `a`), or that does not exist on the day after the merged unit ends.

    A unit of the file replaces the unit of the same code in the directory.
    """
    problems = []
    first_line: dict[object, int] = {}
    for line, cells, values in parsed:
        code = values.get("code")
        if code in first_line:
            problems.append(_Problem(line, "code", cells["code"], f"mã đơn vị trùng với dòng {first_line[code]}"))
        elif code is not None:
            first_line[code] = line
    spans = {code: _Span(unit.valid_from, unit.valid_to, unit.merged_into) for code, unit in known.items()}
    for line, _, values in parsed:
        code = values.get("code")
        if isinstance(code, str) and first_line[code] == line:
            spans[code] = _Span(*(values.get(column) for column in _Span._fields))  # type: ignore[arg-type]
    for line, cells, values in parsed:
        code, target, valid_to = values.get("code"), values.get("merged_into"), values.get("valid_to")
        if not isinstance(target, str) or target == code:
            continue
        if target not in spans:
            reason = "không có đơn vị mã này trong tệp hoặc trong danh mục"
        elif isinstance(code, str) and first_line[code] == line and (chain := _merge_chain(code, spans)):
            kind = "lặp vòng" if chain[-1] == code else "dẫn vào một vòng lặp"
            reason = f"chuỗi sáp nhập {kind}: {' → '.join(chain)}; đơn vị nhận sáp nhập phải là đơn vị còn tồn tại"
        elif not isinstance(valid_to, date) or (reason := _successor_reason(target, spans[target], valid_to)) is None:
            continue
        problems.append(_Problem(line, "merged_into", cells["merged_into"], reason))
    return problems


def parse_units(
    path: Path, plan: str, groups: Mapping[str, str], known: Mapping[str, Unit] | None = None
) -> list[Unit]:
    """Every unit of the file, not yet saved; raises InvalidInput with all errors at once, in row order.

    `groups` are the plan's group codes; `known` the units already in the plan's directory by code,
    which `merged_into` may name besides the units of the file (their dates and merges are checked too).
    """
    parsed: list[_Parsed] = []
    problems: list[_Problem] = []
    for line, cells in _read_rows(path):
        values, row_problems = _parse_row(line, cells, groups)
        parsed.append((line, cells, values))
        problems += row_problems
    problems += _file_rules(parsed, known or {})
    if problems:
        problems.sort(key=lambda problem: (problem.line, COLUMNS.index(problem.column)))
        raise InvalidInput(InputError(str(path), f"dòng {p.line}, cột {p.column}", p.value, p.reason) for p in problems)
    return [Unit(plan=plan, **values) for _, _, values in parsed]


# --- the database -------------------------------------------------------------------------------


def _copy_changes(source: Unit, target: Unit) -> bool:
    """Copy the directory fields of `source` that differ onto `target`; whether any did."""
    changed = [column for column in COLUMNS if getattr(source, column) != getattr(target, column)]
    for column in changed:
        setattr(target, column, getattr(source, column))
    return bool(changed)


def import_units(session: Session, path: Path, plan: str, groups: Mapping[str, str]) -> ImportReport:
    """Validate the whole file, then add new units and update changed ones; nothing is written on error.

    Units of the plan's directory that the file does not list are kept and reported as `absent`.
    The caller's session commits (or rolls back) the transaction.
    """
    existing = {unit.code: unit for unit in session.exec(select(Unit).where(Unit.plan == plan))}
    units = parse_units(path, plan, groups, existing)
    added, updated, unchanged = [], [], []
    for unit in units:
        current = existing.get(unit.code)
        if current is None:
            session.add(unit)
            added.append(unit.code)
        elif _copy_changes(unit, current):
            updated.append(unit.code)
        else:
            unchanged.append(unit.code)
    session.flush()
    absent = sorted(set(existing) - {unit.code for unit in units})
    return ImportReport(plan, tuple(added), tuple(updated), tuple(unchanged), tuple(absent))


def list_units(session: Session, plan: str | None = None, as_of: date | None = None) -> list[Unit]:
    """Units of one plan (or of all plans), by plan, group and code; only those existing on `as_of` if given."""
    query = select(Unit).order_by(Unit.plan, Unit.group, Unit.code)
    if plan is not None:
        query = query.where(Unit.plan == plan)
    return [unit for unit in session.exec(query) if as_of is None or unit.exists_on(as_of)]


def unit_json(unit: Unit) -> dict[str, object]:
    """A unit as a JSON object, dates in ISO format."""
    fields = unit.model_dump(mode="json")
    return {key: fields[key] for key in ("plan", *COLUMNS)}
