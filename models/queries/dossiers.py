"""Nomination dossiers in the database: what arrived for each unit of a cycle, and recording a receipt."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from models import Dossier, DossierDocument, Nominee
from thidua.cycle.state import Received, dossier_state
from thidua.plan.schema import Plan


@dataclass(frozen=True)
class DossierRecord:
    """A unit's dossier as stored: its documents and its nominees (kind, name) in the order recorded."""

    documents: list[Received] = field(default_factory=list)
    nominees: list[tuple[str, str]] = field(default_factory=list)

    @property
    def nominee_kinds(self) -> set[str]:
        return {kind for kind, _ in self.nominees}


def cycle_dossiers(session: Session, plan: str, year: int, unit_code: str | None = None) -> dict[str, DossierRecord]:
    """The dossiers of (plan, year) by unit code (only `unit_code`'s if given), read in three queries."""
    query = select(Dossier).where(Dossier.plan == plan, Dossier.year == year)
    if unit_code is not None:
        query = query.where(Dossier.unit_code == unit_code)
    by_id = {d.id: d.unit_code for d in session.exec(query)}
    records = {code: DossierRecord() for code in by_id.values()}
    if by_id:
        for doc in session.exec(select(DossierDocument).where(col(DossierDocument.dossier_id).in_(list(by_id)))):
            records[by_id[doc.dossier_id]].documents.append(Received(doc.kind, doc.received_at))
        nominees = select(Nominee).where(col(Nominee.dossier_id).in_(list(by_id))).order_by(col(Nominee.id))
        for nominee in session.exec(nominees):
            records[by_id[nominee.dossier_id]].nominees.append((nominee.kind, nominee.name))
    return records


def save_receipt(
    session: Session, plan: Plan, year: int, unit_code: str, documents: Sequence[str], at: datetime,
    nominees: Sequence[tuple[str, str]] = (),
) -> DossierRecord:  # fmt: skip
    """Record documents (and nominees) of a unit's dossier received at `at` (already checked); re-recording
    keeps the first time. Returns the dossier as it now stands."""
    dossier = session.exec(
        select(Dossier).where(Dossier.plan == plan.code, Dossier.year == year, Dossier.unit_code == unit_code)
    ).first()
    if dossier is None:
        dossier = Dossier(plan=plan.code, year=year, unit_code=unit_code, first_received_at=at)
        session.add(dossier)
        session.flush()
    have = set(session.exec(select(DossierDocument.kind).where(DossierDocument.dossier_id == dossier.id)))
    named = set(session.exec(select(Nominee.kind, Nominee.name).where(Nominee.dossier_id == dossier.id)).all())
    for code in dict.fromkeys(documents):
        if code not in have:
            session.add(DossierDocument(dossier_id=dossier.id, kind=code, received_at=at))
    for kind, name in dict.fromkeys(nominees):
        if (kind, name) not in named:
            session.add(Nominee(dossier_id=dossier.id, kind=kind, name=name))
    session.flush()
    record = cycle_dossiers(session, plan.code, year, unit_code)[unit_code]
    state = dossier_state(plan, record.documents, record.nominee_kinds, None, at)
    dossier.first_received_at = min(dossier.first_received_at, at)
    if state.completed_at and (dossier.completed_at is None or state.completed_at < dossier.completed_at):
        dossier.completed_at = state.completed_at
    session.add(dossier)
    return record
