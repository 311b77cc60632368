"""A plan's unit directory file (CSV or XLSX): every cell validated, every rule of the file checked, all or nothing."""

import re
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple, TypeVar

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from imports.tables import BadValue, Cell, read_table
from thidua import dates as dateparse
from thidua.directory import COLUMNS, Unit, valid_on
from thidua.errors import InputError, InvalidInput
from thidua.names import code_problem, name_problem
from thidua.words import ddmmyyyy

UnitRow = dict[str, object]
"""A valid row of the file: column -> value (None for an empty optional cell)."""

_T = TypeVar("_T")


class _Problem(NamedTuple):
    line: int
    column: str
    value: Cell
    reason: str


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


def _checked(problem: Callable[[str], str | None]) -> Callable[[str], str]:
    """A parser that accepts the text unless `problem` finds something wrong with it."""

    def parse(text: str) -> str:
        if reason := problem(text):
            raise BadValue(reason)
        return text

    return parse


_code, _name = _checked(code_problem), _checked(name_problem)


def _optional(parse: Callable[[str], _T]) -> Callable[[Cell], _T | None]:
    """`parse` for a non-empty text cell; None for an empty cell."""

    def parse_optional(value: Cell) -> _T | None:
        text = _text(value)
        return None if text is None else parse(text)

    return parse_optional


def _optional_date(value: Cell) -> date | None:
    return None if value == "" else parse_date(value)


_PARSERS: dict[str, Callable[[Cell], object]] = {
    "code": lambda value: _code(_required(value)),
    "name": lambda value: _name(_required(value)),
    "group": _required,
    "parent": _optional(_name),
    "merged_into": _optional(_code),
    "focal_name": _optional(_name),
    "head_name": _optional(_name),
    "focal_email": _optional(_email),
    "head_email": _optional(_email),
    "focal_phone": _optional(normalize_phone),
    "head_phone": _optional(normalize_phone),
    "focal_zalo_user_id": _optional(_zalo_user_id),
    "valid_from": _optional_date,
    "valid_to": _optional_date,
}


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
        return valid_on(self.valid_from, self.valid_to, day)


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
        code = values.get("code")
        first = isinstance(code, str) and first_line[code] == line
        if reason := _merge_reason(values, spans, first):
            problems.append(_Problem(line, "merged_into", cells["merged_into"], reason))
    return problems


def _merge_reason(values: UnitRow, spans: Mapping[str, _Span], first: bool) -> str | None:
    """Why the row's merge is wrong (unknown target, a loop, a target missing the next day), or None.

    `first`: the row is the first of its code in the file (loops are reported there only).
    """
    code, target, valid_to = values.get("code"), values.get("merged_into"), values.get("valid_to")
    if not isinstance(target, str) or target == code:
        return None
    if target not in spans:
        return "không có đơn vị mã này trong tệp hoặc trong danh mục"
    if first and isinstance(code, str) and (chain := _merge_chain(code, spans)):
        kind = "lặp vòng" if chain[-1] == code else "dẫn vào một vòng lặp"
        return f"chuỗi sáp nhập {kind}: {' → '.join(chain)}; đơn vị nhận sáp nhập phải là đơn vị còn tồn tại"
    return _successor_reason(target, spans[target], valid_to) if isinstance(valid_to, date) else None


def parse_units(path: Path, groups: Mapping[str, str], known: Mapping[str, Unit] | None = None) -> list[UnitRow]:
    """Every unit of the file, not yet saved; raises InvalidInput with all errors at once, in row order.

    `groups` are the plan's group codes; `known` the units already in the plan's directory by code,
    which `merged_into` may name besides the units of the file (their dates and merges are checked too).
    """
    parsed: list[_Parsed] = []
    problems: list[_Problem] = []
    for line, cells in read_table(path, COLUMNS, "tệp không có đơn vị nào"):
        values, row_problems = _parse_row(line, cells, groups)
        parsed.append((line, cells, values))
        problems += row_problems
    problems += _file_rules(parsed, known or {})
    if problems:
        problems.sort(key=lambda problem: (problem.line, COLUMNS.index(problem.column)))
        raise InvalidInput(InputError(str(path), f"dòng {p.line}, cột {p.column}", p.value, p.reason) for p in problems)
    return [values for _, _, values in parsed]


