"""The registration file of a cycle (CSV/XLSX, `unit_code,name,position`; empty name: the collective alone)."""

from collections import defaultdict
from collections.abc import Container
from pathlib import Path

from imports.tables import read_table
from thidua.errors import InputError, InvalidInput
from thidua.names import code_problem, name_problem

COLUMNS = ("unit_code", "name", "position")


def parse_registrations(path: Path, unit_codes: Container[str]) -> dict[str, list[tuple[str, str]]]:
    """The units registered by the file, each with the individuals it names (name, position), in file order."""
    file = str(path)
    errors: list[InputError] = []
    by_unit: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line, cells in read_table(path, COLUMNS, "tệp không có dòng đăng ký nào"):
        code, name, position = (str(cells[column]) for column in COLUMNS)
        if bad_code := code_problem(code):
            errors.append(InputError(file, f"dòng {line}, cột unit_code", code, bad_code))
        elif code not in unit_codes:
            errors.append(InputError(file, f"dòng {line}, cột unit_code", code, "không có đơn vị này trong danh mục của kế hoạch"))
        errors += [
            InputError(file, f"dòng {line}, cột {column}", text, reason)
            for column, text in (("name", name), ("position", position))
            if (reason := name_problem(text))
        ]
        if position and not name:
            errors.append(InputError(file, f"dòng {line}, cột name", name, "có chức vụ thì phải có họ tên"))
        people = by_unit[code]
        if name:
            people.append((name, position))
    if errors:
        raise InvalidInput(errors)
    return dict(by_unit)
