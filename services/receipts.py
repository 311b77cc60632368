"""Recording documents a unit handed in, and confirming the receipt to the unit."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from models.queries.cycle import load_dates
from models.queries.dossiers import save_receipt
from models.queries.units import directory
from models.types import utcnow
from notifications.outbox import enqueue
from notifications.render import Renderer
from thidua.cycle.drafts import receipt_drafts
from thidua.cycle.receipts import receipt_errors
from thidua.cycle.state import DossierState, dossier_state
from thidua.dates import local_day
from thidua.directory import Unit
from thidua.errors import InvalidInput
from thidua.plan.schema import Plan


@dataclass(frozen=True)
class Receipt:
    """The outcome of recording a receipt: the dossier's state and how many confirmations were written."""

    unit: Unit
    state: DossierState
    confirmations: int


def record_receipt(
    session: Session, plan: Plan, year: int, unit_code: str, documents: Sequence[str], at: datetime | None = None,
    nominees: Sequence[tuple[str, str]] = (), renderer: Renderer | None = None,
) -> Receipt:  # fmt: skip
    """Record documents (and nominees) received for a unit; with a renderer, write its confirmation too.

    Raises InvalidInput naming each bad value; nothing is written then.
    """
    at = at or utcnow()
    unit = directory(session, plan.code).get(unit_code)
    if errors := receipt_errors(plan, year, unit_code, unit, documents, nominees, at):
        raise InvalidInput(errors)
    assert unit is not None
    record = save_receipt(session, plan, year, unit_code, documents, at, nominees)
    deadline = load_dates(session, plan, year, local_day(at)).deadline
    state = dossier_state(plan, record.documents, record.nominee_kinds, deadline.date if deadline else None, at)
    if deadline is None or deadline.date is None or renderer is None:
        return Receipt(unit, state, 0)
    return Receipt(unit, state, enqueue(session, receipt_drafts(plan, year, unit, deadline, state), renderer, now=at))
