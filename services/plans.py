"""The plans this installation runs: every valid plan file of the configured folder."""

from collections import defaultdict
from pathlib import Path

from config import get_settings
from imports.plans import cycle_plan as _cycle_plan
from imports.plans import plan_by_code, scan_plans
from thidua.plan.schema import Plan


def active_plans() -> dict[str, Plan]:
    """The valid plan files of the plans folder by code (the broken ones: `plan_file_errors`)."""
    return scan_plans(get_settings().plans_dir)[0]


def plan_file_errors() -> dict[str, list[str]]:
    """The plan files that are skipped, by file name, with their errors, for the administrator's summary."""
    broken: dict[str, list[str]] = defaultdict(list)
    for error in scan_plans(get_settings().plans_dir)[1]:
        broken[Path(error.file).name].append(str(error))
    return dict(broken)


def find_plan(code: str) -> Plan:
    """The plan `code`; InvalidInput lists the known codes."""
    return plan_by_code(get_settings().plans_dir, code)


def cycle_plan(code: str, year: int) -> Plan:
    """The plan `code`, checking that `year` is one of its cycles."""
    return _cycle_plan(get_settings().plans_dir, code, year)
