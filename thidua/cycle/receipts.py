"""What makes a receipt acceptable: the occurrence it is for, the owner, the documents and nominees."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from difflib import get_close_matches

from thidua.cycle.state import AGENCY, CycleDates, Occurrence
from thidua.dates import local_day
from thidua.directory import Unit
from thidua.errors import InputError, InvalidInput
from thidua.names import code_problem, name_problem
from thidua.plan.schema import NomineeKind, Owner, Plan


def find_occurrence(cycle: CycleDates, deliverable: str | None, due: str | None) -> Occurrence:
    """The occurrence a receipt is for: `deliverable` (default: the nomination dossier) due at milestone `due`
    (needed only when the deliverable recurs). Raises InvalidInput listing the choices."""
    plan = cycle.plan
    chosen = plan.deliverable(deliverable) if deliverable else plan.dossier
    if chosen is None:
        known = ", ".join(d.code for d in plan.deliverables)
        raise InvalidInput([InputError(plan.code, "--deliverable", deliverable or "", f"không có việc phải nộp này (có: {known})")])
    owed = [o for o in cycle.occurrences if o.deliverable.code == chosen.code]
    matching = [o for o in owed if due in (None, o.milestone.kind)]
    if len(matching) == 1:
        return matching[0]
    choices = ", ".join(o.milestone.kind for o in owed) or "không có trong năm này"
    reason = "việc này có nhiều hạn trong năm, hãy ghi rõ hạn nào" if due is None else "không có hạn này cho việc phải nộp"
    raise InvalidInput([InputError(plan.code, "--due", due or "", f"{reason} (có: {choices})")])


SHOWN = 8  # units a "did you mean" lists


def unknown_unit(plan: Plan, code: str, units: Mapping[str, Unit]) -> str:
    """Why `code` is refused, with the units meant most likely (all of them in a small directory)."""
    if not units:
        return f"kế hoạch chưa có danh mục đơn vị (thidua units import … --plan {plan.code})"
    labels = {c: f"{c} ({u.name})" for c, u in sorted(units.items())}
    wanted = code.casefold()
    by_name = [c for c, u in units.items() if wanted and (wanted in u.name.casefold() or wanted in c)]
    close = by_name + [c for c in get_close_matches(code, list(units), n=SHOWN, cutoff=0.6) if c not in by_name]
    if len(units) <= SHOWN:
        return f"không có đơn vị này trong danh mục của kế hoạch (có: {', '.join(labels.values())})"
    hint = f"gần giống: {', '.join(labels[c] for c in close[:SHOWN])}; " if close else ""
    return f"không có đơn vị này trong danh mục của kế hoạch ({hint}xem tất cả: thidua units list --plan {plan.code})"


def _owner_errors(
    plan: Plan, occurrence: Occurrence, unit_code: str, unit: Unit | None, at: datetime, known: Mapping[str, Unit]
) -> list[InputError]:  # fmt: skip
    if bad_code := code_problem(unit_code):
        return [InputError(plan.code, "--unit", unit_code, bad_code)]
    if occurrence.deliverable.owner is Owner.standing_agency:
        ok = unit_code == AGENCY
        return [] if ok else [InputError(plan.code, "--unit", unit_code, f"việc này do cơ quan thường trực nộp: ghi --unit {AGENCY}")]
    if unit is None:
        return [InputError(plan.code, "--unit", unit_code, unknown_unit(plan, unit_code, known))]
    if not unit.exists_on(local_day(at)):
        successor = f"; đã sáp nhập vào {unit.merged_into}" if unit.merged_into else ""
        return [InputError(plan.code, "--unit", unit_code, f"đơn vị không còn tồn tại vào ngày nhận{successor}")]
    if unit.group not in plan.owing_groups(occurrence.deliverable):
        return [InputError(plan.code, "--unit", unit_code, f"nhóm {unit.group} không phải nộp {occurrence.name}")]
    return []


def receipt_errors(
    plan: Plan, year: int, occurrence: Occurrence, unit_code: str, unit: Unit | None, documents: Sequence[str],
    nominees: Sequence[tuple[str, str]], at: datetime, known: Mapping[str, Unit] | None = None,
) -> list[InputError]:  # fmt: skip
    """Every reason the receipt of `unit_code` (`unit`, None when the plan's directory has no such unit) cannot be
    recorded: owner, documents, nominees, year. `known` is the plan's directory, to name the units meant."""
    errors = _owner_errors(plan, occurrence, unit_code, unit, at, known or {})
    known = {d.code for d in occurrence.deliverable.document_list}
    listed = ", ".join(sorted(known)) or "không có tài liệu nào"
    errors += [
        InputError(plan.code, "--doc", d, f"không có tài liệu này trong {occurrence.name} (có: {listed})")
        for d in documents
        if d not in known
    ]
    allowed = {NomineeKind.collective: plan.participants.collectives, NomineeKind.individual: plan.participants.individuals}
    for kind, name in nominees:
        if bad_name := name_problem(name):
            errors.append(InputError(plan.code, "--nominee", f"{kind}:{name}", bad_name))
        if kind not in allowed:
            errors.append(InputError(plan.code, "--nominee", f"{kind}:{name}", "loại phải là collective hoặc individual"))
        elif not allowed[NomineeKind(kind)]:
            errors.append(InputError(plan.code, "--nominee", f"{kind}:{name}", "kế hoạch không xét khen thưởng đối tượng này"))
    if year not in plan.cycle_years:
        errors.append(InputError(plan.code, "--year", year, "năm không thuộc thời gian của kế hoạch"))
    return errors
