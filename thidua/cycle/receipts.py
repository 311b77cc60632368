"""What makes a receipt of documents (and nominees) acceptable for a unit's dossier."""

from collections.abc import Sequence
from datetime import datetime

from thidua.dates import local_day
from thidua.directory import Unit
from thidua.errors import InputError
from thidua.plan.schema import NomineeKind, Plan


def receipt_errors(
    plan: Plan, year: int, unit_code: str, unit: Unit | None, documents: Sequence[str],
    nominees: Sequence[tuple[str, str]], at: datetime,
) -> list[InputError]:  # fmt: skip
    """Every reason the receipt cannot be recorded: unknown or vanished unit, unknown document, nominee, year."""
    errors: list[InputError] = []
    if unit is None:
        errors.append(InputError(plan.code, "--unit", unit_code, "không có đơn vị này trong danh bạ của kế hoạch"))
    elif not unit.exists_on(local_day(at)):
        successor = f"; đã sáp nhập vào {unit.merged_into}" if unit.merged_into else ""
        errors.append(InputError(plan.code, "--unit", unit_code, f"đơn vị không còn tồn tại vào ngày nhận{successor}"))
    known = {d.code for d in plan.documents}
    errors += [
        InputError(plan.code, "--doc", d, "không có tài liệu này trong kế hoạch (có: " + ", ".join(sorted(known)) + ")")
        for d in documents
        if d not in known
    ]
    allowed = {NomineeKind.collective: plan.participants.collectives, NomineeKind.individual: plan.participants.individuals}
    for kind, name in nominees:
        if kind not in allowed:
            errors.append(InputError(plan.code, "--nominee", f"{kind}:{name}", "loại phải là collective hoặc individual"))
        elif not allowed[NomineeKind(kind)]:
            errors.append(InputError(plan.code, "--nominee", f"{kind}:{name}", "kế hoạch không xét khen thưởng đối tượng này"))
    if year not in plan.cycle_years:
        errors.append(InputError(plan.code, "--year", year, "năm không thuộc thời gian của kế hoạch"))
    return errors
