"""Record what a cycle did on a day, once per (kind, key), merging the units it reached."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from models import CycleEvent
from models.types import utcnow


def record_event(
    session: Session, plan: str, year: int, kind: str, key: str, day: date, units: Iterable[str] = (), **detail: Any
) -> CycleEvent:
    """Insert the event if it is new (race-safe), then add `units` to those it already names."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(CycleEvent)
        .values(plan=plan, year=year, kind=kind, key=key, day=day, detail={"units": [], **detail}, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["plan", "year", "kind", "key"])
    )
    event = session.exec(
        select(CycleEvent)
        .where(CycleEvent.plan == plan, CycleEvent.year == year, CycleEvent.kind == kind, CycleEvent.key == key)
        .with_for_update()
    ).one()
    merged = list(dict.fromkeys([*event.detail.get("units", []), *units]))
    if merged != event.detail.get("units", []):
        event.detail = {**event.detail, "units": merged}
        session.add(event)
    return event


DISPATCH = ("*", "dispatch")  # (plan, kind) of the record that a day's dispatch finished


def record_dispatch(session: Session, day: date) -> None:
    """Record that the daily dispatch of `day` finished all its work."""
    record_event(session, DISPATCH[0], day.year, DISPATCH[1], day.isoformat(), day)


def dispatch_done(session: Session, day: date) -> bool:
    """Whether the daily dispatch of `day` finished."""
    found = session.exec(
        select(CycleEvent.id).where(
            CycleEvent.plan == DISPATCH[0], CycleEvent.year == day.year, CycleEvent.kind == DISPATCH[1], CycleEvent.key == day.isoformat()
        )
    ).first()
    return found is not None
