"""Nomination dossiers: recording what arrived, and whether a dossier is complete and on time."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlmodel import Session, col, select

from models import Dossier, DossierDocument, Nominee, Unit
from thidua.errors import InputError, InvalidInput
from thidua.plan.schema import NomineeKind, Plan
from thidua.dates import end_of_day, local_day


@dataclass(frozen=True)
class DossierState:
    """Where a unit's dossier stands: nothing, some documents, or all of them; on time or late."""

    status: Literal["missing", "incomplete", "complete"]
    missing: tuple[str, ...]  # codes of required documents not received
    received_at: datetime | None
    completed_at: datetime | None
    late: bool  # completed after the deadline, or still incomplete once it has passed

    @property
    def complete(self) -> bool:
        return self.status == "complete"


def required_documents(plan: Plan, kinds: Iterable[str] = (NomineeKind.collective,)) -> list[str]:
    """Codes of the documents every dossier with nominees of `kinds` must contain."""
    wanted = set(kinds)
    return [d.code for d in plan.documents if d.required_for_awards is None and wanted & set(d.for_)]


def dossier_state(
    plan: Plan,
    dossier: Dossier | None,
    documents: Sequence[DossierDocument],
    nominee_kinds: Iterable[str],
    deadline: date | None,
    as_of: datetime,
) -> DossierState:
    """The state of one dossier as of `as_of`, judged against the effective `deadline` (end of that day)."""
    kinds = set(nominee_kinds) or {NomineeKind.collective}
    received = {d.kind: d.received_at for d in documents if d.received_at <= as_of}
    missing = tuple(code for code in required_documents(plan, kinds) if code not in received)
    limit = end_of_day(deadline) if deadline else None
    if dossier is None or not received:
        return DossierState("missing", missing, None, None, bool(limit and as_of > limit))
    received_at = min(received.values())
    if missing:
        return DossierState("incomplete", missing, received_at, None, bool(limit and as_of > limit))
    completed_at = max(received[c] for c in required_documents(plan, kinds)) if required_documents(plan, kinds) else received_at
    return DossierState("complete", (), received_at, completed_at, bool(limit and completed_at > limit))


@dataclass(frozen=True)
class CycleDossiers:
    """Every dossier of one cycle with its documents and nominees, read in three queries."""

    by_unit: dict[str, Dossier]
    documents: dict[int, list[DossierDocument]]
    nominees: dict[int, list[Nominee]]  # in the order they were recorded

    def of(self, unit_code: str) -> tuple[Dossier | None, list[DossierDocument], list[Nominee]]:
        dossier = self.by_unit.get(unit_code)
        if dossier is None or dossier.id is None:
            return None, [], []
        return dossier, self.documents.get(dossier.id, []), self.nominees.get(dossier.id, [])


def cycle_dossiers(session: Session, plan: str, year: int) -> CycleDossiers:
    """The dossiers of (plan, year), for views over every unit at once."""
    by_unit = {d.unit_code: d for d in session.exec(select(Dossier).where(Dossier.plan == plan, Dossier.year == year))}
    ids = [d.id for d in by_unit.values()]
    documents: dict[int, list[DossierDocument]] = defaultdict(list)
    nominees: dict[int, list[Nominee]] = defaultdict(list)
    if ids:
        for doc in session.exec(select(DossierDocument).where(col(DossierDocument.dossier_id).in_(ids))):
            documents[doc.dossier_id].append(doc)
        for nominee in session.exec(select(Nominee).where(col(Nominee.dossier_id).in_(ids)).order_by(col(Nominee.id))):
            nominees[nominee.dossier_id].append(nominee)
    return CycleDossiers(by_unit, documents, nominees)


def dossier_contents(session: Session, dossier: Dossier) -> tuple[list[DossierDocument], set[tuple[str, str]]]:
    """The documents of a dossier and its nominees as (kind, name)."""
    docs = list(session.exec(select(DossierDocument).where(DossierDocument.dossier_id == dossier.id)))
    nominees = {(n.kind, n.name) for n in session.exec(select(Nominee).where(Nominee.dossier_id == dossier.id))}
    return docs, nominees


def receive(
    session: Session,
    plan: Plan,
    year: int,
    unit_code: str,
    documents: Sequence[str],
    at: datetime,
    nominees: Sequence[tuple[str, str]] = (),
) -> Dossier:
    """Record documents (and nominees) of a unit's dossier received at `at`; re-recording keeps the first time.

    Raises InvalidInput naming the bad value; nothing is written then.
    """
    errors: list[InputError] = []
    unit = session.exec(select(Unit).where(Unit.plan == plan.code, Unit.code == unit_code)).first()
    if unit is None:
        errors.append(InputError(plan.code, "--unit", unit_code, "không có đơn vị này trong danh bạ của kế hoạch"))
    elif not unit.exists_on(local_day(at)):
        successor = f"; đã sáp nhập vào {unit.merged_into}" if unit.merged_into else ""
        errors.append(InputError(plan.code, "--unit", unit_code, f"đơn vị không còn tồn tại vào ngày nhận{successor}"))
    known = {d.code for d in plan.documents}
    errors += [
        InputError(plan.code, "--doc", d, "không có tài liệu này trong kế hoạch (có: " + ", ".join(sorted(known)) + ")")
        for d in documents
        if d not in known
    ]
    allowed = {NomineeKind.collective: plan.participants.collectives, NomineeKind.individual: plan.participants.individuals}
    for kind, name in nominees:
        if kind not in allowed:
            errors.append(InputError(plan.code, "--nominee", f"{kind}:{name}", "loại phải là collective hoặc individual"))
        elif not allowed[NomineeKind(kind)]:
            errors.append(InputError(plan.code, "--nominee", f"{kind}:{name}", "kế hoạch không xét khen thưởng đối tượng này"))
    if year not in plan.cycle_years:
        errors.append(InputError(plan.code, "--year", year, "năm không thuộc thời gian của kế hoạch"))
    if errors:
        raise InvalidInput(errors)

    dossier = session.exec(
        select(Dossier).where(Dossier.plan == plan.code, Dossier.year == year, Dossier.unit_code == unit_code)
    ).first()
    if dossier is None:
        dossier = Dossier(plan=plan.code, year=year, unit_code=unit_code, first_received_at=at)
        session.add(dossier)
        session.flush()
    docs, named = dossier_contents(session, dossier)
    have = {d.kind for d in docs}
    for code in dict.fromkeys(documents):
        if code not in have:
            session.add(DossierDocument(dossier_id=dossier.id, kind=code, received_at=at))
    for kind, name in dict.fromkeys(nominees):
        if (kind, name) not in named:
            session.add(Nominee(dossier_id=dossier.id, kind=kind, name=name))
    session.flush()
    docs, named = dossier_contents(session, dossier)
    state = dossier_state(plan, dossier, docs, {kind for kind, _ in named}, None, at)
    dossier.first_received_at = min(dossier.first_received_at, at)
    if state.complete and (dossier.completed_at is None or state.completed_at < dossier.completed_at):
        dossier.completed_at = state.completed_at
    session.add(dossier)
    return dossier
