"""Recording what an owner handed in (documents, nominees, a registration), and confirming the receipt."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from models.queries.cycle import load_dates
from models.queries.portal import audit
from models.queries.submissions import save_registration, save_submission
from models.queries.units import directory, unit_by_code
from models.types import utcnow
from notifications.outbox import enqueue
from notifications.render import Renderer
from thidua.cycle.drafts import receipt_drafts
from thidua.cycle.receipts import find_occurrence, receipt_errors
from thidua.cycle.state import AGENCY, DeliveryState, Occurrence, agency_unit, delivery_state
from thidua.dates import local_day
from thidua.directory import Unit
from thidua.errors import InputError, InvalidInput
from thidua.names import name_problem
from thidua.plan.schema import DeliverableKind, Plan

ADMIN = "quản trị viên"  # who records a receipt by command or Prefect form


@dataclass(frozen=True)
class Receipt:
    """The outcome of recording a receipt: the occurrence, the owner's state and how many confirmations were written."""

    unit: Unit
    occurrence: Occurrence
    state: DeliveryState
    confirmations: int


def record_receipt(
    session: Session, plan: Plan, year: int, unit_code: str, documents: Sequence[str], at: datetime | None = None,
    nominees: Sequence[tuple[str, str]] = (), renderer: Renderer | None = None, *,
    deliverable: str | None = None, due: str | None = None, source: str = ADMIN, link: str | None = None,
    ip: str | None = None, detail: dict[str, object] | None = None,
) -> Receipt:  # fmt: skip
    """Record documents (and nominees) an owner handed in for an occurrence (default: the nomination dossier);
    with a renderer, write the owner's confirmation too (again after each rejection). `source` says
    who recorded it (an administrator, or the unit through `link`), in the documents and the audit trail (with
    `detail`).
    Raises InvalidInput naming each bad value; nothing is written then."""
    at = at or utcnow()
    cycle = load_dates(session, plan, year, local_day(at))
    occurrence = find_occurrence(cycle, deliverable, due)
    if occurrence.deliverable.kind is DeliverableKind.registration:
        raise InvalidInput([InputError(plan.code, "--deliverable", occurrence.deliverable.code, "đăng ký thi đua ghi bằng lệnh register")])
    unit = agency_unit(plan) if unit_code == AGENCY else unit_by_code(session, plan.code, unit_code)
    known = directory(session, plan.code) if unit is None else {}  # the units meant, for the refusal
    if errors := receipt_errors(plan, year, occurrence, unit_code, unit, documents, nominees, at, known):
        raise InvalidInput(errors)
    assert unit is not None
    record = save_submission(session, plan, year, occurrence, unit_code, documents, at, nominees, source)
    state = delivery_state(occurrence.deliverable, record.documents, record.nominee_kinds, occurrence.deadline, at)
    action = "nominate" if nominees and not documents else "upload" if link else "receive"
    audit(session, at, source, action, plan.code, year, unit_code, link=link, ip=ip, occurrence=occurrence.key, documents=list(documents),
          nominees=[name for _, name in nominees], status=state.status, late=state.late, **(detail or {}))  # fmt: skip
    confirmations = 0
    if occurrence.deadline is not None and renderer is not None:
        drafts = receipt_drafts(plan, year, unit, occurrence, state, at, record.rejections)
        confirmations = enqueue(session, drafts, renderer, now=at)
    return Receipt(unit, occurrence, state, confirmations)


def record_registration(
    session: Session, plan: Plan, year: int, unit_code: str, people: Sequence[tuple[str, str]], at: datetime | None = None,
    *, source: str = ADMIN, link: str | None = None, ip: str | None = None,
) -> int:  # fmt: skip
    """Register a unit for the movement with the individuals it names (name, position); returns the people added."""
    at = at or utcnow()
    registration = plan.registration
    if registration is None:
        raise InvalidInput([InputError(plan.code, "register", unit_code, "kế hoạch không có việc đăng ký thi đua")])
    occurrence = find_occurrence(load_dates(session, plan, year, local_day(at)), registration.code, None)
    unit = unit_by_code(session, plan.code, unit_code)
    known = directory(session, plan.code) if unit is None else {}
    errors = receipt_errors(plan, year, occurrence, unit_code, unit, (), (), at, known)
    errors += [InputError(plan.code, "--person", f"{n}:{p}", "họ tên không được để trống") for n, p in people if not n.strip()]
    errors += [InputError(plan.code, "--person", f"{n}:{p}", reason) for n, p in people if (reason := name_problem(f"{n}{p}"))]
    if errors:
        raise InvalidInput(errors)
    added = save_registration(session, plan.code, year, unit_code, people, at)
    audit(session, at, source, "register", plan.code, year, unit_code, link=link, ip=ip, people=[f"{n} ({p})" if p else n for n, p in people])
    return added
