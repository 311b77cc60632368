"""The plans this installation runs: every valid plan file of the configured folder."""

from config import get_settings
from imports.plans import cycle_plan as _cycle_plan
from imports.plans import plan_by_code, scan_plans
from thidua.plan.schema import Plan


def active_plans() -> dict[str, Plan]:
    """The valid plan files of the plans folder by code (the broken ones: `plan_file_errors`)."""
    return scan_plans(get_settings().plans_dir)[0]


def plan_file_errors() -> list[str]:
    """Errors of the plan files that are skipped, for the administrator's summary."""
    return [str(error) for error in scan_plans(get_settings().plans_dir)[1]]


def find_plan(code: str) -> Plan:
    """The plan `code`; InvalidInput lists the known codes."""
    return plan_by_code(get_settings().plans_dir, code)


def cycle_plan(code: str, year: int) -> Plan:
    """The plan `code`, checking that `year` is one of its cycles."""
    return _cycle_plan(get_settings().plans_dir, code, year)
