"""Administrator actions shared by the CLI and the Prefect deployments: receipts and dates of a cycle."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from models import Cycle, Dossier, Unit
from models.types import utcnow
from notifications.outbox import Draft, enqueue
from notifications.templates import MessageContext, MessageKind, Renderer
from thidua.cycle import cycle_milestones
from thidua.dossiers import DossierState, dossier_contents, dossier_state, receive
from thidua.errors import InputError, InvalidInput
from thidua.messages import unit_addresses
from thidua.plan.schedule import window_of
from thidua.plan.schema import AdminRule, Plan, WindowRule
from thidua.words import ddmmyyyy


@dataclass(frozen=True)
class Receipt:
    """The outcome of recording a receipt: the dossier's state and how many confirmations were written."""

    unit: Unit
    state: DossierState
    confirmations: int


def record_receipt(
    session: Session,
    plan: Plan,
    year: int,
    unit_code: str,
    documents: Sequence[str],
    at: datetime | None = None,
    nominees: Sequence[tuple[str, str]] = (),
    renderer: Renderer | None = None,
) -> Receipt:
    """Record documents received for a unit and write the unit's confirmation (received / incomplete)."""
    at = at or utcnow()
    dossier = receive(session, plan, year, unit_code, documents, at, nominees)
    unit = session.exec(select(Unit).where(Unit.plan == plan.code, Unit.code == unit_code)).one()
    milestones = cycle_milestones(session, plan, year)
    deadline = next((m for m in milestones.values() if m.chase), None)
    docs, nominees_named = dossier_contents(session, dossier)
    kinds = {kind for kind, _ in nominees_named}
    state = dossier_state(plan, dossier, docs, kinds, deadline.date if deadline else None, at)
    if deadline is None or deadline.date is None or renderer is None:
        return Receipt(unit, state, 0)
    kind = MessageKind.dossier_received if state.complete else MessageKind.dossier_incomplete
    labels = {d.code: d.name for d in plan.documents}
    agency = plan.standing_agency
    ctx = MessageContext(
        kind=kind, plan_code=plan.code, plan_title=plan.title, issuer=plan.issuer, year=year,
        unit_code=unit.code, unit_name=unit.name, recipient_name=unit.focal_name or unit.name,
        milestone_label=deadline.label, deadline=deadline.date, days_left=None,
        missing_documents=tuple(labels[c] for c in state.missing),
        contact_name=agency.name, contact_email=agency.email or "", contact_phone=agency.phone or "",
    )
    step = "receipt-complete" if state.complete else "receipt-missing-" + "-".join(state.missing)
    addresses = unit_addresses(unit, "focal")
    drafts = [
        Draft(plan.code, year, unit.code, deadline.kind, step, ch.value, addresses[ch.value], ctx,
              fallback_email=addresses.get("email") if ch.value == "zalo" else None)
        for ch in plan.channels
        if ch.value in addresses
    ]
    return Receipt(unit, state, enqueue(session, drafts, renderer))


def set_cycle_date(session: Session, plan: Plan, year: int, kind: str, day: date) -> Cycle:
    """Set the date of an admin-set milestone (e.g. the PAR announcement) or pick a day in a window."""
    milestone = plan.milestone(kind)
    if milestone is None or not isinstance(milestone.rule, AdminRule | WindowRule):
        settable = [m.kind for m in plan.milestones if isinstance(m.rule, AdminRule | WindowRule)]
        raise InvalidInput([InputError(plan.code, "--milestone", kind, "chỉ đặt được ngày cho: " + ", ".join(settable))])
    if year not in plan.cycle_years:
        raise InvalidInput([InputError(plan.code, "--year", year, "năm không thuộc thời gian của kế hoạch")])
    first, last = window_of(milestone.rule, year) if isinstance(milestone.rule, WindowRule) else (
        date(year, 1, 1),
        date(year + 1, 12, 31),
    )
    if not first <= day <= last:
        reason = f"ngày phải nằm trong khoảng {ddmmyyyy(first)}–{ddmmyyyy(last)} của chu kỳ {year}"
        raise InvalidInput([InputError(plan.code, "--date", day.isoformat(), reason)])
    cycle = session.exec(select(Cycle).where(Cycle.plan == plan.code, Cycle.year == year)).first()
    cycle = cycle or Cycle(plan=plan.code, year=year)
    cycle.admin_dates = {**cycle.admin_dates, kind: day.isoformat()}
    cycle.updated_at = utcnow()
    session.add(cycle)
    return cycle


def dossier_of(session: Session, plan: str, year: int, unit: str) -> Dossier | None:
    return session.exec(
        select(Dossier).where(Dossier.plan == plan, Dossier.year == year, Dossier.unit_code == unit)
    ).first()
