"""A cycle's facts file (PAR INDEX, initiatives, key leaders' discipline, excellent group, the council's score or
order): CSV/XLSX, all rows or none. The plan decides which columns the file must have."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from imports.tables import Cell, Row, read_table
from thidua.errors import InputError, InvalidInput
from thidua.names import code_problem
from thidua.plan.schema import (
    Discipline,
    InitiativesMin,
    NoDisciplineFrom,
    ParIndexMin,
    Plan,
    RankingBasis,
    UnitLeadersNoDisciplineFrom,
)
from thidua.words import number

COLUMNS = ("unit_code", "par_index", "initiatives_recognized", "discipline", "excellent_group")
COUNCIL_COLUMNS = ("council_score", "council_rank")
ALL_COLUMNS = (*COLUMNS, *COUNCIL_COLUMNS)
MAX_INITIATIVES = 10_000  # initiatives recognised in a year: beyond this, a typing error (and beyond a database integer)
ScoreRow = dict[str, object]
"""A valid row: unit_code and each fact, parsed."""


def required_columns(plan: Plan) -> tuple[str, ...]:
    """The columns the plan's ranking basis, criteria and quotas need; the others may be left out."""
    criteria = [*plan.eligibility.collective, *plan.eligibility.individual]
    needed = {
        "par_index": plan.ranking.basis is RankingBasis.par_index or any(isinstance(c, ParIndexMin) for c in criteria),
        "initiatives_recognized": any(isinstance(c, InitiativesMin) for c in plan.eligibility.collective),
        "discipline": any(isinstance(c, NoDisciplineFrom) for c in plan.eligibility.collective)
        or any(isinstance(c, UnitLeadersNoDisciplineFrom) for c in plan.eligibility.individual),
        "excellent_group": any(a.quota.per_unit_excellent for a in plan.awards),
        "council_score": plan.ranking.basis is RankingBasis.council_score,
        "council_rank": plan.ranking.basis is RankingBasis.council_order,
    }
    return ("unit_code", *(column for column, need in needed.items() if need))


def _number(value: Cell, parse: Callable[[str], float | int]) -> float | int:
    text = str(value).replace("%", "").replace(",", ".").strip()
    try:
        return parse(text)
    except ValueError:
        raise ValueError("phải là một số") from None


def _par_index(value: Cell) -> float | None:
    """A percentage, 0–100: `95.5`, `95,5`, `95,5%`, or an Excel cell 0.955 formatted `0.0%` (read as `95.5%`)."""
    if value == "":
        return None
    percent = float(_number(value, float))
    if not 0 <= percent <= 100:
        raise ValueError("Chỉ số CCHC tính theo phần trăm, từ 0 đến 100")
    return percent


def _as_percent(cell: Cell) -> str:
    """What a plain fraction would be as a percentage, exactly: 0.955 → `95,5`."""
    return number(float(Decimal(str(cell).replace(",", ".")) * 100), full=True)


def _fraction_problems(par_indexes: list[tuple[int, Cell, float]], fractions: bool) -> list[tuple[int, Cell, str]]:
    """(row, cell, reason) for each plain number in (0, 1] that is probably a fraction, or, with `fractions`, for
    each plain number above 1. A value written with `%` (or an Excel cell formatted as one) is taken as it is.

    Without `fractions`, a plain value in (0, 1] is refused when another row holds a PAR INDEX above 1 (a fraction
    typed or pasted among percentages), and when every value of the file is ≤ 1 (a file of fractions)."""
    plain = [(line, cell, n) for line, cell, n in par_indexes if "%" not in str(cell)]
    if fractions:
        return [(line, cell, "đã khai --fractions (cả tệp ghi dạng phân số 0–1) nhưng giá trị này lớn hơn 1")
                for line, cell, n in plain if n > 1]  # fmt: skip
    small = [(line, cell) for line, cell, n in plain if 0 < n <= 1]
    if any(n > 1 for _, _, n in par_indexes):
        return [(line, cell, _fraction_reason(cell)) for line, cell in small]
    return [(line, cell, _all_fractions_reason(cell)) for line, cell in small]


def _fraction_reason(cell: Cell) -> str:
    """Why a plain 0.955 among percentages is refused, with what to write instead."""
    shown, percent = str(cell).replace(".", ","), _as_percent(cell)
    return f"Chỉ số CCHC tính theo phần trăm (0–100); {shown} có phải là {percent}%? Hãy ghi {percent} hoặc {percent}%"


def _all_fractions_reason(cell: Cell) -> str:
    """Why a file whose values are all ≤ 1 is refused, and the two ways out."""
    shown, percent = str(cell).replace(".", ","), _as_percent(cell)
    return (f"mọi Chỉ số CCHC của tệp đều ≤ 1: {shown} có phải là {percent}%? Hãy ghi {percent} hoặc {percent}%, "
            "hoặc nhập lại với --fractions nếu cả tệp ghi dạng phân số")  # fmt: skip


def _initiatives(value: Cell) -> int:
    if value == "":
        return 0
    try:
        count = _number(value, int)
    except ValueError:
        raise ValueError("phải là số nguyên") from None
    if not 0 <= count <= MAX_INITIATIVES:
        raise ValueError("không được âm" if count < 0 else f"không quá {MAX_INITIATIVES:_}".replace("_", "."))
    return int(count)


def discipline(value: Cell) -> str:
    """A disciplinary measure's code; empty is `none`."""
    text = str(value) or Discipline.none.value
    if text not in Discipline.__members__:
        raise ValueError("phải là một trong: " + ", ".join(Discipline.__members__))
    return text


def _excellent(value: Cell) -> bool:
    if str(value) not in ("0", "1", ""):
        raise ValueError("phải là 0 hoặc 1")
    return str(value) == "1"


def council_score(value: Cell) -> float | None:
    """The council's score (điểm bình xét), a number ≥ 0; empty when not given."""
    if value == "":
        return None
    score = float(_number(value, float))
    if score < 0:
        raise ValueError("điểm bình xét không được âm")
    return score


def council_rank(value: Cell) -> int | None:
    """The council's order, 1 first (equal numbers are a tie); empty when not given."""
    if value == "":
        return None
    try:
        rank = int(_number(value, int))
    except ValueError:
        raise ValueError("phải là số nguyên từ 1") from None
    if rank < 1:
        raise ValueError("thứ tự bình xét bắt đầu từ 1")
    return rank


_PARSERS: dict[str, Callable[[Cell], object]] = {
    "par_index": _par_index,
    "initiatives_recognized": _initiatives,
    "discipline": discipline,
    "excellent_group": _excellent,
    "council_score": council_score,
    "council_rank": council_rank,
}


def _parse_facts(cells: Row, required: tuple[str, ...], problem: Callable[[str, object, str], None]) -> dict[str, object]:
    """The facts of one row that parse; `problem(column, value, reason)` for each that does not."""
    values: dict[str, object] = {}
    for column, parse in _PARSERS.items():
        try:
            values[column] = parse(cells[column])
        except ValueError as error:
            problem(column, cells[column], str(error))
            continue
        if values[column] is None and column in required:
            problem(column, "", "không được để trống: kế hoạch xét theo cột này")
    return values


def _unit_problem(code: str, unit_codes: set[str], first_line: dict[str, int]) -> str | None:
    """Why a row's unit code is refused: not a code, not in the directory, or repeated; None if it is fine."""
    if bad_code := code_problem(code):
        return bad_code
    if code not in unit_codes:
        return "không có đơn vị này trong danh mục của kế hoạch"
    return f"trùng với dòng {first_line[code]}" if code in first_line else None


def parse_scores(path: Path, plan: Plan, year: int, unit_codes: set[str], *, fractions: bool = False) -> list[ScoreRow]:
    """Every row of the file, not yet saved; raises InvalidInput with all errors at once, in row order. With
    `fractions`, plain PAR INDEX values are fractions (0.955 = 95.5%)."""
    file = str(path)
    problems: list[tuple[int, int, InputError]] = []  # (row, column index, error), sorted at the end

    def problem(line: int, column: str, value: object, reason: str) -> None:
        problems.append((line, ALL_COLUMNS.index(column), InputError(file, f"dòng {line}, cột {column}", value, reason)))

    required = required_columns(plan)
    optional = [c for c in ALL_COLUMNS if c not in required]
    scores, first_line, par_indexes = [], {}, []
    for line, cells in read_table(path, required, "tệp không có dòng số liệu nào", optional):
        code = str(cells["unit_code"])
        if reason := _unit_problem(code, unit_codes, first_line):
            problem(line, "unit_code", code, reason)
        first_line.setdefault(code, line)
        values = _parse_facts(cells, required, lambda column, value, reason, line=line: problem(line, column, value, reason))
        if values.get("par_index") is not None:
            par_indexes.append((line, cells["par_index"], float(values["par_index"])))  # type: ignore[arg-type]
            if fractions and "%" not in str(cells["par_index"]):
                values["par_index"] = float(Decimal(str(values["par_index"])) * 100)
        scores.append({"unit_code": code, **values})
    for line, cell, reason in _fraction_problems(par_indexes, fractions):
        problem(line, "par_index", cell, reason)
    errors = [error for _, _, error in sorted(problems, key=lambda p: p[:2])]
    if year not in plan.cycle_years:
        errors.insert(0, InputError(file, "--year", year, "năm không thuộc thời gian của kế hoạch"))
    if errors:
        raise InvalidInput(errors)
    return scores
