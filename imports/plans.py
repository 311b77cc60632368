"""Plan files on disk: read one, or every plan of a folder, keeping the broken ones apart."""

from pathlib import Path

from thidua.errors import InputError, InvalidInput
from thidua.plan.parse import parse_plan
from thidua.plan.schema import Plan
from thidua.plan.yaml_text import MAX_BYTES


def _read(path: Path) -> str:
    """The file's text, read no further than the size limit (a 72 MB file, or a device that never ends, is refused
    after 1 MB)."""
    with path.open("rb") as file:
        raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        size = f"{path.stat().st_size / 1e6:.1f} MB".replace(".", ",") if path.is_file() else "không giới hạn"
        reason = f"tệp kế hoạch lớn quá {MAX_BYTES // 1_000_000} MB; một kế hoạch chỉ cần vài chục KB"
        raise InvalidInput([InputError(str(path), "(tệp)", size, reason)])
    return raw.decode("utf-8-sig")


def load_plan(path: Path) -> Plan:
    """Read and validate one plan file."""
    try:
        text = _read(path)
    except UnicodeDecodeError:
        raise InvalidInput([InputError(str(path), "(tệp)", path.name, "tệp kế hoạch phải lưu bằng bảng mã UTF-8")]) from None
    except IsADirectoryError:
        raise InvalidInput([InputError(str(path), "(tệp)", path.name, "đây là thư mục, không phải tệp")]) from None
    except FileNotFoundError:
        raise InvalidInput([InputError(str(path), "(tệp)", path.name, "không có tệp này")]) from None
    except OSError as exc:
        raise InvalidInput([InputError(str(path), "(tệp)", path.name, f"không đọc được tệp (mã lỗi {exc.errno})")]) from None
    return parse_plan(text, str(path))


def scan_plans(directory: Path) -> tuple[dict[str, Plan], list[InputError]]:
    """The valid plan files (`*.yaml`) of `directory` by code, and the errors of the others.

    One broken draft must not stop the reminders of every other plan: callers that run the cycle use
    this and report the errors; `load_plans` is for callers that want all or nothing.
    """
    plans: dict[str, Plan] = {}
    errors: list[InputError] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            plan = load_plan(path)
        except InvalidInput as exc:
            errors += exc.errors
            continue
        if plan.code in plans:
            errors.append(InputError(str(path), "code", plan.code, "trùng mã với một kế hoạch khác"))
            continue
        plans[plan.code] = plan
    return plans, errors


def load_plans(directory: Path) -> dict[str, Plan]:
    """Every plan file of `directory`, by plan code; raises with all errors of all files at once."""
    plans, errors = scan_plans(directory)
    if errors:
        raise InvalidInput(errors)
    return plans


def plan_by_code(directory: Path, code: str) -> Plan:
    """The plan with `code` among the valid plan files of `directory`; InvalidInput lists the known codes."""
    plans, errors = scan_plans(directory)
    if code not in plans:
        known = ", ".join(sorted(plans)) or "không có tệp kế hoạch hợp lệ nào"
        raise InvalidInput([InputError(str(directory), "--plan", code, f"không có kế hoạch này (có: {known})"), *errors])
    return plans[code]


def cycle_plan(directory: Path, code: str, year: int) -> Plan:
    """`plan_by_code`, checking that `year` is one of the plan's cycles."""
    plan = plan_by_code(directory, code)
    if year not in plan.cycle_years:
        years = f"{plan.cycle_years[0]}–{plan.cycle_years[-1]}"
        raise InvalidInput([InputError(code, "--year", year, f"năm không thuộc thời gian của kế hoạch ({years})")])
    return plan
