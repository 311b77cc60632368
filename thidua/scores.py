"""A cycle's facts (PAR INDEX, initiatives, discipline, excellent group): read CSV/XLSX, all rows or none.

Also the reader shared with the nominee import: a header row naming exactly the expected columns, then
data rows; every error names the file, the row and the column.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session, select

from models import Score, Unit
from thidua.errors import InputError, InvalidInput
from thidua.plan.schema import Discipline, Plan
from thidua.units import Cell, read_cells

COLUMNS = ("unit_code", "par_index", "initiatives_recognized", "discipline", "excellent_group")
Row = dict[str, Cell]


def read_table(path: Path, columns: Sequence[str]) -> list[tuple[int, Row]]:
    """The non-empty data rows of a CSV/XLSX file with header `columns` (any order), as (row number, cells)."""
    file = str(path)
    cells = read_cells(path)
    header = [str(name) for name in (cells[0] if cells else [])]
    while header and header[-1] == "":
        header.pop()
    errors = [
        InputError(file, f"dòng 1, cột {i}", name, f"tên cột không hợp lệ; các cột: {', '.join(columns)}")
        for i, name in enumerate(header, start=1)
        if name not in columns
    ]
    errors += [InputError(file, "dòng 1", name, "thiếu cột bắt buộc") for name in columns if name not in header]
    errors += [InputError(file, "dòng 1", name, "cột bị lặp lại") for name in set(header) if header.count(name) > 1]
    if errors:
        raise InvalidInput(errors)
    rows = [
        (line, {name: (row[i] if i < len(row) else "") for i, name in enumerate(header)})
        for line, row in enumerate(cells[1:], start=2)
        if any(value != "" for value in row)
    ]
    if not rows:
        raise InvalidInput([InputError(file, "dòng 2", "", "tệp không có dòng số liệu nào")])
    return rows


def _number(value: Cell, parse: Callable[[str], float | int]) -> float | int:
    text = str(value).replace("%", "").replace(",", ".").strip()
    try:
        return parse(text)
    except ValueError:
        raise ValueError("phải là một số") from None


def _par_index(value: Cell) -> float:
    """A percentage, 0–100: `95.5`, `95,5`, `95,5%`, or an Excel cell 0.955 formatted `0.0%` (read as `95.5%`)."""
    number = float(_number(value, float))
    if not 0 <= number <= 100:
        raise ValueError("Chỉ số CCHC tính theo phần trăm, từ 0 đến 100")
    return number


def _vi_number(number: float) -> str:
    """A number with a decimal comma and no trailing zeros: 0.955 → `0,955`, 95.5 → `95,5`."""
    text = format(Decimal(repr(number)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _fractions(par_indexes: list[tuple[int, Cell, float]]) -> list[tuple[int, Cell, str]]:
    """(row, cell, reason) for each plain number in (0, 1] when other rows hold a PAR INDEX above 1.

    Such a value is almost surely a fraction typed or pasted without its percent format (0.955 for 95.5%);
    a value written with `%` (or an Excel cell formatted as a percentage) is taken as it is.
    """
    if not any(number > 1 for _, _, number in par_indexes):
        return []
    return [
        (line, cell, _fraction_reason(number))
        for line, cell, number in par_indexes
        if 0 < number <= 1 and "%" not in str(cell)
    ]


def _fraction_reason(number: float) -> str:
    """Why a plain 0.955 is refused, with what to write instead."""
    percent = _vi_number(float(Decimal(repr(number)) * 100))
    return (f"Chỉ số CCHC tính theo phần trăm (0–100); {_vi_number(number)} có phải là {percent}%? "
            f"Hãy ghi {percent} hoặc {percent}%")  # fmt: skip


def _initiatives(value: Cell) -> int:
    try:
        number = _number(value, int)
    except ValueError:
        raise ValueError("phải là số nguyên") from None
    if number < 0:
        raise ValueError("không được âm")
    return int(number)


def _discipline(value: Cell) -> str:
    text = str(value) or Discipline.none.value
    if text not in Discipline.__members__:
        raise ValueError("phải là một trong: " + ", ".join(Discipline.__members__))
    return text


def _excellent(value: Cell) -> bool:
    if str(value) not in ("0", "1", ""):
        raise ValueError("phải là 0 hoặc 1")
    return str(value) == "1"


_PARSERS: dict[str, Callable[[Cell], object]] = {
    "par_index": _par_index,
    "initiatives_recognized": _initiatives,
    "discipline": _discipline,
    "excellent_group": _excellent,
}


@dataclass(frozen=True)
class ScoresReport:
    """What an import did: unit codes added and updated for (plan, year)."""

    plan: str
    year: int
    added: tuple[str, ...]
    updated: tuple[str, ...]


def parse_scores(path: Path, plan: Plan, year: int, unit_codes: set[str]) -> list[Score]:
    """Every row of the file as a Score, not yet saved; raises InvalidInput with all errors at once, in row order."""
    file = str(path)
    problems: list[tuple[int, int, InputError]] = []  # (row, column index, error), sorted at the end

    def problem(line: int, column: str, value: object, reason: str) -> None:
        problems.append((line, COLUMNS.index(column), InputError(file, f"dòng {line}, cột {column}", value, reason)))

    scores, first_line, par_indexes = [], {}, []
    for line, cells in read_table(path, COLUMNS):
        values: dict[str, object] = {}
        code = str(cells["unit_code"])
        if code not in unit_codes:
            problem(line, "unit_code", code, "không có đơn vị này trong danh mục của kế hoạch")
        elif code in first_line:
            problem(line, "unit_code", code, f"trùng với dòng {first_line[code]}")
        first_line.setdefault(code, line)
        for column, parse in _PARSERS.items():
            try:
                values[column] = parse(cells[column])
            except ValueError as error:
                problem(line, column, cells[column], str(error))
        if "par_index" in values:
            par_indexes.append((line, cells["par_index"], float(values["par_index"])))  # type: ignore[arg-type]
        scores.append(Score(plan=plan.code, year=year, unit_code=code, **values))
    for line, cell, reason in _fractions(par_indexes):
        problem(line, "par_index", cell, reason)
    errors = [error for _, _, error in sorted(problems, key=lambda p: p[:2])]
    if year not in plan.cycle_years:
        errors.insert(0, InputError(file, "--year", year, "năm không thuộc thời gian của kế hoạch"))
    if errors:
        raise InvalidInput(errors)
    return scores


def import_scores(session: Session, path: Path, plan: Plan, year: int) -> ScoresReport:
    """Validate the whole file, then add or replace each unit's facts for (plan, year); nothing on error."""
    codes = set(session.exec(select(Unit.code).where(Unit.plan == plan.code)))
    scores = parse_scores(path, plan, year, codes)
    existing = {s.unit_code: s for s in session.exec(select(Score).where(Score.plan == plan.code, Score.year == year))}
    added, updated = [], []
    for score in scores:
        current = existing.get(score.unit_code)
        if current is None:
            session.add(score)
            added.append(score.unit_code)
        else:
            for column in _PARSERS:
                setattr(current, column, getattr(score, column))
            session.add(current)
            updated.append(score.unit_code)
    session.flush()
    return ScoresReport(plan.code, year, tuple(added), tuple(updated))
