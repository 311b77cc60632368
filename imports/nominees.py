"""The nominees file of a cycle's dossiers (CSV/XLSX, `unit_code,kind,name`), all rows or none."""

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

from imports.tables import read_table
from thidua.errors import InputError, InvalidInput
from thidua.names import code_problem, name_problem
from thidua.plan.schema import NomineeKind, Plan

COLUMNS = ("unit_code", "kind", "name")


def parse_nominees(path: Path, plan: Plan, year: int, groups: Mapping[str, str]) -> dict[str, list[tuple[str, str]]]:
    """The file's nominees by unit code, as (kind, name) in file order; `groups` maps the plan's unit codes to groups.

    Raises InvalidInput naming row and column.
    """
    file = str(path)
    allowed = {NomineeKind.collective: plan.participants.collectives, NomineeKind.individual: plan.participants.individuals}
    errors: list[InputError] = []
    if year not in plan.cycle_years:
        errors.append(InputError(file, "--year", year, "năm không thuộc thời gian của kế hoạch"))
    by_unit: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line, cells in read_table(path, COLUMNS, "tệp không có dòng nào"):
        code, kind, name = (str(cells[column]) for column in COLUMNS)
        if bad_code := code_problem(code):
            errors.append(InputError(file, f"dòng {line}, cột unit_code", code, bad_code))
        elif code not in groups:
            errors.append(InputError(file, f"dòng {line}, cột unit_code", code, "không có đơn vị này trong danh mục của kế hoạch"))
        if kind not in allowed:
            errors.append(InputError(file, f"dòng {line}, cột kind", kind, "phải là collective hoặc individual"))
        elif code in groups and groups[code] not in allowed[NomineeKind(kind)]:
            errors.append(InputError(file, f"dòng {line}, cột kind", kind, "kế hoạch không xét khen thưởng đối tượng này ở nhóm của đơn vị"))
        if bad_name := "không được để trống" if not name else name_problem(name):
            errors.append(InputError(file, f"dòng {line}, cột name", name, bad_name))
        by_unit[code].append((kind, name))
    if errors:
        raise InvalidInput(errors)
    return dict(by_unit)
