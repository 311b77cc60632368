"""Importing a file into a cycle: the file is validated whole, then written in the caller's transaction."""

from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from imports.individuals import parse_individuals
from imports.nominees import parse_nominees
from imports.registrations import parse_registrations
from imports.scores import parse_scores
from imports.units import parse_units
from models.queries.cycle import load_dates
from models.queries.scores import ScoresReport, save_people, save_scores
from models.queries.submissions import save_submission
from models.queries.units import ImportReport, directory, save_units
from services.receipts import record_registration
from thidua.cycle.receipts import find_occurrence, receipt_errors
from thidua.dates import local_day
from thidua.errors import InvalidInput
from thidua.plan.schema import Plan


def import_units(session: Session, path: Path, plan: str, groups: dict[str, str]) -> ImportReport:
    """Add new units and update changed ones; nothing is written if any row is wrong."""
    return save_units(session, plan, parse_units(path, groups, directory(session, plan)))


def import_scores(session: Session, path: Path, plan: Plan, year: int, *, fractions: bool = False) -> ScoresReport:
    """Add or replace each unit's facts for (plan, year); nothing is written if any row is wrong. With `fractions`,
    plain PAR INDEX values are fractions (0.955 = 95.5%)."""
    rows = parse_scores(path, plan, year, set(directory(session, plan.code)), fractions=fractions)
    return save_scores(session, plan.code, year, rows)


def import_individuals(session: Session, path: Path, plan: Plan, year: int) -> ScoresReport:
    """Add or replace each person's own record for (plan, year); nothing is written if any row is wrong."""
    groups = {code: unit.group for code, unit in directory(session, plan.code).items()}
    return save_people(session, plan.code, year, parse_individuals(path, plan, year, groups))


def import_nominees(session: Session, path: Path, plan: Plan, year: int, at: datetime) -> dict[str, list[str]]:
    """Add the file's nominees to each unit's dossier of (plan, year), in file order; unit code -> names added.

    A unit without a dossier gets one (with no documents yet); nothing is written if any row is wrong.
    """
    units = directory(session, plan.code)
    by_unit = parse_nominees(path, plan, year, {code: u.group for code, u in units.items()})
    dossier = find_occurrence(load_dates(session, plan, year, local_day(at)), None, None)
    errors = [e for code, named in by_unit.items() for e in receipt_errors(plan, year, dossier, code, units.get(code), (), named, at, units)]
    if errors:
        raise InvalidInput(errors)
    for code, named in by_unit.items():
        save_submission(session, plan, year, dossier, code, (), at, named)
    return {code: [name for _, name in named] for code, named in by_unit.items()}


def import_registrations(session: Session, path: Path, plan: Plan, year: int, at: datetime) -> dict[str, int]:
    """Register every unit of the file with the individuals it names; unit code -> people added. All or nothing."""
    units = directory(session, plan.code)
    by_unit = parse_registrations(path, units)
    return {code: record_registration(session, plan, year, code, people, at) for code, people in by_unit.items()}
