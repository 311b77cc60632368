"""A cycle's facts file (PAR INDEX, initiatives, discipline, excellent group): CSV/XLSX, all rows or none."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from imports.tables import Cell, Row, read_table
from thidua.errors import InputError, InvalidInput
from thidua.names import code_problem
from thidua.plan.schema import Discipline, Plan

COLUMNS = ("unit_code", "par_index", "initiatives_recognized", "discipline", "excellent_group")
MAX_INITIATIVES = 10_000  # initiatives recognised in a year: beyond this, a typing error (and beyond a database integer)
ScoreRow = dict[str, object]
"""A valid row: unit_code and each fact, parsed."""


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
    if not 0 <= number <= MAX_INITIATIVES:
        raise ValueError("không được âm" if number < 0 else f"không quá {MAX_INITIATIVES:_}".replace("_", "."))
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


def _parse_facts(cells: Row, problem: Callable[[str, object, str], None]) -> dict[str, object]:
    """The facts of one row that parse; `problem(column, value, reason)` for each that does not."""
    values: dict[str, object] = {}
    for column, parse in _PARSERS.items():
        try:
            values[column] = parse(cells[column])
        except ValueError as error:
            problem(column, cells[column], str(error))
    return values


def parse_scores(path: Path, plan: Plan, year: int, unit_codes: set[str]) -> list[ScoreRow]:
    """Every row of the file, not yet saved; raises InvalidInput with all errors at once, in row order."""
    file = str(path)
    problems: list[tuple[int, int, InputError]] = []  # (row, column index, error), sorted at the end

    def problem(line: int, column: str, value: object, reason: str) -> None:
        problems.append((line, COLUMNS.index(column), InputError(file, f"dòng {line}, cột {column}", value, reason)))

    scores, first_line, par_indexes = [], {}, []
    for line, cells in read_table(path, COLUMNS, "tệp không có dòng số liệu nào"):
        code = str(cells["unit_code"])
        if bad_code := code_problem(code):
            problem(line, "unit_code", code, bad_code)
        elif code not in unit_codes:
            problem(line, "unit_code", code, "không có đơn vị này trong danh mục của kế hoạch")
        elif code in first_line:
            problem(line, "unit_code", code, f"trùng với dòng {first_line[code]}")
        first_line.setdefault(code, line)
        values = _parse_facts(cells, lambda column, value, reason, line=line: problem(line, column, value, reason))
        if "par_index" in values:
            par_indexes.append((line, cells["par_index"], float(values["par_index"])))  # type: ignore[arg-type]
        scores.append({"unit_code": code, **values})
    for line, cell, reason in _fractions(par_indexes):
        problem(line, "par_index", cell, reason)
    errors = [error for _, _, error in sorted(problems, key=lambda p: p[:2])]
    if year not in plan.cycle_years:
        errors.insert(0, InputError(file, "--year", year, "năm không thuộc thời gian của kế hoạch"))
    if errors:
        raise InvalidInput(errors)
    return scores
