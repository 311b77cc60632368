"""A cycle's facts (PAR INDEX, initiatives, discipline, excellent group): read CSV/XLSX, all rows or none.

Also the reader shared with the nominee import: a header row naming exactly the expected columns, then
data rows; every error names the file, the row and the column.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
    number = float(_number(value, float))
    if not 0 <= number <= 100:
        raise ValueError("Chỉ số CCHC tính theo phần trăm, từ 0 đến 100")
    return number


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
    """Every row of the file as a Score, not yet saved; raises InvalidInput with all errors at once."""
    file = str(path)
    errors: list[InputError] = []
    if year not in plan.cycle_years:
        errors.append(InputError(file, "--year", year, "năm không thuộc thời gian của kế hoạch"))
    scores, first_line = [], {}
    for line, cells in read_table(path, COLUMNS):
        values: dict[str, object] = {}
        code = str(cells["unit_code"])
        if code not in unit_codes:
            errors.append(InputError(file, f"dòng {line}, cột unit_code", code, "không có đơn vị này trong danh mục của kế hoạch"))
        elif code in first_line:
            errors.append(InputError(file, f"dòng {line}, cột unit_code", code, f"trùng với dòng {first_line[code]}"))
        first_line.setdefault(code, line)
        for column, parse in _PARSERS.items():
            try:
                values[column] = parse(cells[column])
            except ValueError as error:
                errors.append(InputError(file, f"dòng {line}, cột {column}", cells[column], str(error)))
        scores.append(Score(plan=plan.code, year=year, unit_code=code, **values))
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
