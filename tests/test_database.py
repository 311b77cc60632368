from datetime import UTC, date, datetime

from sqlmodel import Session, select

from models import Submission, Unit
from models.queries.units import to_unit


def test_migrated_store_round_trips_units_and_aware_datetimes(engine) -> None:
    received = datetime(2025, 11, 28, 2, 30, tzinfo=UTC)
    with Session(engine) as session:
        session.add(Unit(plan="p", code="u1", name="UBND xã Lộc Thái", group="ubnd-xa", valid_to=date(2025, 6, 30)))
        session.add(Submission(plan="p", year=2025, deliverable="d", occurrence="m", unit_code="u1", first_received_at=received))
        session.commit()
    with Session(engine) as session:
        unit = session.exec(select(Unit)).one()
        dossier = session.exec(select(Submission)).one()
    assert unit.name == "UBND xã Lộc Thái"
    assert (unit.valid_to, to_unit(unit).exists_on(date(2025, 6, 30)), to_unit(unit).exists_on(date(2025, 7, 1))) == (date(2025, 6, 30), True, False)
    assert dossier.first_received_at == received and dossier.first_received_at.tzinfo is not None
