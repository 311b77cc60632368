"""The plans this installation runs: every valid plan file of the configured folder."""

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from config import get_settings
from imports.plans import cycle_plan as _cycle_plan
from imports.plans import plan_by_code, scan_plans
from thidua.errors import InputError
from thidua.plan.schema import Plan


@lru_cache(maxsize=4)
def _scanned(directory: Path, files: tuple[tuple[str, int, int], ...]) -> tuple[dict[str, Plan], list[InputError]]:
    return scan_plans(directory)


def _scan(directory: Path) -> tuple[dict[str, Plan], list[InputError]]:
    """The plans folder, read again only when a file of it is added, removed or changed (name, size, time)."""
    files = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            stat = path.stat()
        except OSError:
            continue
        files.append((path.name, stat.st_size, stat.st_mtime_ns))
    return _scanned(directory.resolve(), tuple(files))


def plans_in(directory: Path) -> dict[str, Plan]:
    """The valid plan files of `directory` by code, parsed again only when a file changes."""
    return dict(_scan(directory)[0])


def active_plans() -> dict[str, Plan]:
    """The valid plan files of the plans folder by code (the broken ones: `plan_file_errors`)."""
    return plans_in(get_settings().plans_dir)


def plan_file_errors() -> dict[str, list[str]]:
    """The plan files that are skipped, by file name, with their errors, for the administrator's summary."""
    broken: dict[str, list[str]] = defaultdict(list)
    for error in _scan(get_settings().plans_dir)[1]:
        broken[Path(error.file).name].append(str(error))
    return dict(broken)


def find_plan(code: str) -> Plan:
    """The plan `code`; InvalidInput lists the known codes."""
    return plan_by_code(get_settings().plans_dir, code)


def cycle_plan(code: str, year: int) -> Plan:
    """The plan `code`, checking that `year` is one of its cycles."""
    return _cycle_plan(get_settings().plans_dir, code, year)
