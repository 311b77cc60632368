"""The people's own records of a cycle (CSV/XLSX): unit, name, position, initiatives recognised, discipline and,
optionally, the council's score or order; all rows or none. Registration is recorded by `thidua register`."""

from collections.abc import Callable, Mapping
from pathlib import Path

from imports.scores import council_rank, council_score, discipline
from imports.tables import Cell, Row, read_table
from thidua.appraisal.model import name_key
from thidua.errors import InputError, InvalidInput
from thidua.plan.schema import Plan, RankingBasis

COLUMNS = ("unit_code", "name", "position", "initiatives_recognized", "discipline")
OPTIONAL = ("council_score", "council_rank")
PersonRow = dict[str, object]


def _initiatives(value: Cell) -> int:
    text = str(value).strip() or "0"
    if not text.isdigit():
        raise ValueError("phải là số nguyên không âm")
    return int(text)


_PARSERS: dict[str, Callable[[Cell], object]] = {
    "position": str,
    "initiatives_recognized": _initiatives,
    "discipline": discipline,
    "council_score": council_score,
    "council_rank": council_rank,
}


def _required(plan: Plan) -> tuple[str, ...]:
    basis = plan.ranking.basis
    extra = {RankingBasis.council_score: ("council_score",), RankingBasis.council_order: ("council_rank",)}
    return (*COLUMNS, *extra.get(basis, ()))


def _person(cells: Row, required: tuple[str, ...], problem: Callable[[str, str], None]) -> PersonRow:
    """One row's record, each value parsed; `problem(column, reason)` for each that is not valid."""
    name = " ".join(str(cells["name"]).split())
    row: PersonRow = {"unit_code": str(cells["unit_code"]), "name": name, "name_key": name_key(name)}
    if not name:
        problem("name", "không được để trống")
    for column, parse in _PARSERS.items():
        try:
            row[column] = parse(cells[column])
        except ValueError as error:
            problem(column, str(error))
        else:
            if row[column] is None and column in required:
                problem(column, "không được để trống: kế hoạch xét theo cột này")
    return row


def parse_individuals(path: Path, plan: Plan, year: int, groups: Mapping[str, str]) -> list[PersonRow]:
    """Every person of the file, not yet saved; `groups` maps the plan's unit codes to their groups. Raises
    InvalidInput with every error, naming row, column and value."""
    file = str(path)
    required = _required(plan)
    errors: list[InputError] = []
    if year not in plan.cycle_years:
        errors.append(InputError(file, "--year", year, "năm không thuộc thời gian của kế hoạch"))
    rows: list[PersonRow] = []
    first: dict[tuple[str, str], int] = {}
    for line, cells in read_table(path, required, "tệp không có dòng nào", [c for c in OPTIONAL if c not in required]):

        def problem(column: str, reason: str, line: int = line, cells: Row = cells) -> None:
            errors.append(InputError(file, f"dòng {line}, cột {column}", cells[column], reason))

        row = _person(cells, required, problem)
        code, key = str(row["unit_code"]), (str(row["unit_code"]), str(row["name_key"]))
        if code not in groups:
            problem("unit_code", "không có đơn vị này trong danh mục của kế hoạch")
        elif groups[code] not in plan.participants.individuals:
            problem("unit_code", "kế hoạch không xét khen thưởng cá nhân ở nhóm của đơn vị này")
        if row["name"] and key in first:
            problem("name", f"trùng với dòng {first[key]}")
        first.setdefault(key, line)
        rows.append(row)
    if errors:
        raise InvalidInput(errors)
    return rows
