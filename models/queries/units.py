"""The unit directory in the database: rows as the core's `Unit`, upserts of a validated file, listings."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlmodel import Session, select

from models.units import Unit as UnitRow
from thidua.channels import Person
from thidua.directory import COLUMNS, Unit, valid_on


@dataclass(frozen=True)
class ImportReport:
    """What an import did, as unit codes; units `absent` from the file were kept as they were."""

    plan: str
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    absent: tuple[str, ...]

    @property
    def total(self) -> int:
        """Number of units in the file."""
        return len(self.added) + len(self.updated) + len(self.unchanged)


def to_unit(row: UnitRow | Row[Any]) -> Unit:
    """A directory row (an ORM row or a plain result row with the same columns) as the core sees it."""
    return Unit(
        code=row.code,
        name=row.name,
        group=row.group,
        parent=row.parent,
        focal=Person(row.focal_name or "", row.focal_email, row.focal_phone, row.focal_zalo_user_id),
        head=Person(row.head_name or "", row.head_email, row.head_phone),
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        merged_into=row.merged_into,
    )


def directory(session: Session, plan: str) -> dict[str, Unit]:
    """Every unit of the plan's directory by code."""
    return {row.code: to_unit(row) for row in session.exec(select(UnitRow).where(UnitRow.plan == plan))}


def unit_by_code(session: Session, plan: str, code: str) -> Unit | None:
    """One unit of the plan's directory, or None."""
    row = session.exec(select(UnitRow).where(UnitRow.plan == plan, UnitRow.code == code)).first()
    return to_unit(row) if row else None


def save_units(session: Session, plan: str, units: Sequence[dict[str, object]]) -> ImportReport:
    """Add new units and update changed ones (a validated file, column -> value); nothing else is touched.

    Units of the plan's directory that the file does not list are kept and reported as `absent`.
    The caller's session commits (or rolls back) the transaction.
    """
    existing = {row.code: row for row in session.exec(select(UnitRow).where(UnitRow.plan == plan))}
    added, updated, unchanged = [], [], []
    for values in units:
        code = str(values["code"])
        current = existing.get(code)
        if current is None:
            session.add(UnitRow(plan=plan, **values))
            added.append(code)
            continue
        changed = [column for column in COLUMNS if getattr(current, column) != values.get(column)]
        for column in changed:
            setattr(current, column, values.get(column))
        (updated if changed else unchanged).append(code)
    session.flush()
    absent = sorted(set(existing) - {str(values["code"]) for values in units})
    return ImportReport(plan, tuple(added), tuple(updated), tuple(unchanged), tuple(absent))


def list_units(session: Session, plan: str | None = None, as_of: date | None = None) -> list[UnitRow]:
    """Units of one plan (or of all plans), by plan, group and code; only those existing on `as_of` if given."""
    query = select(UnitRow).order_by(UnitRow.plan, UnitRow.group, UnitRow.code)
    if plan is not None:
        query = query.where(UnitRow.plan == plan)
    return [row for row in session.exec(query) if as_of is None or valid_on(row.valid_from, row.valid_to, as_of)]


def unit_json(unit: UnitRow) -> dict[str, object]:
    """A unit as a JSON object, dates in ISO format."""
    fields = unit.model_dump(mode="json")
    return {key: fields[key] for key in ("plan", *COLUMNS)}
