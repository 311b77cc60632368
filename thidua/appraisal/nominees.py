"""Import the nominees of the cycle's dossiers from CSV/XLSX (`unit_code,kind,name`), all rows or none."""

from collections import defaultdict
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from models import Unit
from thidua.dossiers import receive
from thidua.errors import InputError, InvalidInput
from thidua.plan.schema import NomineeKind, Plan
from thidua.scores import read_table

COLUMNS = ("unit_code", "kind", "name")


def import_nominees(session: Session, path: Path, plan: Plan, year: int, at: datetime) -> dict[str, list[str]]:
    """Add the file's nominees to each unit's dossier of (plan, year), in file order; unit code -> names added.

    A unit without a dossier gets one (with no documents yet). Raises InvalidInput naming row and column.
    """
    file = str(path)
    groups = {u.code: u.group for u in session.exec(select(Unit).where(Unit.plan == plan.code))}
    allowed = {NomineeKind.collective: plan.participants.collectives, NomineeKind.individual: plan.participants.individuals}
    errors: list[InputError] = []
    if year not in plan.cycle_years:
        errors.append(InputError(file, "--year", year, "năm không thuộc thời gian của kế hoạch"))
    by_unit: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line, cells in read_table(path, COLUMNS):
        code, kind, name = (str(cells[column]) for column in COLUMNS)
        if code not in groups:
            errors.append(InputError(file, f"dòng {line}, cột unit_code", code, "không có đơn vị này trong danh mục của kế hoạch"))
        if kind not in allowed:
            errors.append(InputError(file, f"dòng {line}, cột kind", kind, "phải là collective hoặc individual"))
        elif code in groups and groups[code] not in allowed[NomineeKind(kind)]:
            errors.append(InputError(file, f"dòng {line}, cột kind", kind, "kế hoạch không xét khen thưởng đối tượng này ở nhóm của đơn vị"))
        if not name:
            errors.append(InputError(file, f"dòng {line}, cột name", name, "không được để trống"))
        by_unit[code].append((kind, name))
    if errors:
        raise InvalidInput(errors)
    for code, nominees in by_unit.items():
        receive(session, plan, year, code, (), at, nominees)
    return {code: [name for _, name in nominees] for code, nominees in by_unit.items()}
