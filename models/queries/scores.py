"""A cycle's facts in the database: add or replace each unit's row, and each person's record, for (plan, year)."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from models import IndividualRecord, Score


@dataclass(frozen=True)
class ScoresReport:
    """What an import did: unit codes added and updated for (plan, year)."""

    plan: str
    year: int
    added: tuple[str, ...]
    updated: tuple[str, ...]


def save_scores(session: Session, plan: str, year: int, rows: Sequence[dict[str, object]]) -> ScoresReport:
    """Add or replace each unit's facts for (plan, year), in the caller's transaction."""
    existing = {s.unit_code: s for s in session.exec(select(Score).where(Score.plan == plan, Score.year == year))}
    added, updated = [], []
    for row in rows:
        current = existing.get(str(row["unit_code"]))
        if current is None:
            session.add(Score(plan=plan, year=year, **row))
            added.append(str(row["unit_code"]))
        else:
            for column, value in row.items():
                setattr(current, column, value)
            session.add(current)
            updated.append(current.unit_code)
    session.flush()
    return ScoresReport(plan, year, tuple(added), tuple(updated))


def save_people(session: Session, plan: str, year: int, rows: Sequence[dict[str, object]]) -> ScoresReport:
    """Add or replace each person's record for (plan, year), in the caller's transaction; the report names people
    as `unit:name`."""
    query = select(IndividualRecord).where(IndividualRecord.plan == plan, IndividualRecord.year == year)
    existing = {(r.unit_code, r.name_key): r for r in session.exec(query)}
    added, updated = [], []
    for row in rows:
        who = f"{row['unit_code']}:{row['name']}"
        current = existing.get((str(row["unit_code"]), str(row["name_key"])))
        if current is None:
            session.add(IndividualRecord(plan=plan, year=year, **row))
            added.append(who)
        else:
            for column, value in row.items():
                setattr(current, column, value)
            session.add(current)
            updated.append(who)
    session.flush()
    return ScoresReport(plan, year, tuple(added), tuple(updated))
