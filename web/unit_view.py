"""What a unit's page shows: each occurrence it owes with its deadline, state, documents and what is missing;
its registration and its individual nominees where the plan asks for them."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from models import DocumentStatus
from models.queries.portal import DocumentView, unit_records
from models.queries.submissions import as_receipts, registrations
from services.links import LinkCheck
from thidua.cycle.state import Delivery, cycle_state, required_documents
from thidua.plan.schema import DeliverableKind, NomineeKind, Plan
from thidua.words import DELIVERY, DOCUMENT_STATUS, MILESTONE_STATUS, long_date


@dataclass(frozen=True)
class DocumentRow:
    code: str
    name: str
    form: str | None
    required: bool
    view: DocumentView | None  # what was handed in, if anything
    upload_path: str | None  # None: nothing more can be handed in for it

    @property
    def status(self) -> str:
        return DOCUMENT_STATUS[self.view.status] if self.view else "chưa nộp"

    @property
    def state(self) -> str:
        """CSS class: ok, warn, bad, none."""
        if self.view is None:
            return "none"
        return {DocumentStatus.accepted: "ok", DocumentStatus.rejected: "bad"}.get(self.view.status, "warn")


@dataclass(frozen=True)
class Card:
    """One occurrence the unit owes."""

    key: str
    name: str
    kind: DeliverableKind
    deadline: str
    state_words: str
    state: str  # CSS class: ok, warn, bad
    missing: list[str]
    documents: list[DocumentRow] = field(default_factory=list)
    guidance: str | None = None
    nominees: list[str] = field(default_factory=list)  # individuals named for the dossier
    takes_individuals: bool = False


@dataclass(frozen=True)
class UnitPage:
    plan: Plan
    year: int
    unit_name: str
    cards: list[Card]
    registration: Card | None
    registered_at: datetime | None
    registrants: list[tuple[str, str]]
    closes: datetime | None


REGISTERED = {"complete": "đã đăng ký", "partial": "đã đăng ký", "not_started": "chưa đăng ký"}


def _state(delivery: Delivery) -> tuple[str, str]:
    """The delivery's state in words ("đã đủ", "còn thiếu — đã quá hạn", "đã đủ — nộp muộn"…) and its CSS class."""
    state, occurrence = delivery.state, delivery.occurrence
    if occurrence.deadline is None and state.status == "not_started":
        return MILESTONE_STATUS[occurrence.status], "warn"
    words = (REGISTERED if occurrence.deliverable.kind is DeliverableKind.registration else DELIVERY)[state.status]
    if state.late:
        words += " — nộp muộn" if state.complete else " — đã quá hạn"
    if state.complete and not state.accepted:
        words += " (kế hoạch không tính việc nộp muộn)"
    css = "ok" if state.delivered else "bad" if state.late else "warn"
    return words, css


def _documents(delivery: Delivery, kinds: set[str], handed: dict[str, DocumentView], base: str) -> list[DocumentRow]:
    deliverable = delivery.occurrence.deliverable
    required = set(required_documents(deliverable, kinds))
    rows = []
    for doc in deliverable.document_list:
        view = handed.get(doc.code)
        if doc.code not in required and view is None and not set(doc.for_) & kinds:
            continue
        open_ = view is None or view.status != DocumentStatus.accepted
        path = f"{base}/nop/{deliverable.code}/{delivery.occurrence.milestone.kind}/{doc.code}" if open_ else None
        rows.append(DocumentRow(doc.code, doc.name, doc.form, doc.code in required, view, path))
    return rows


def unit_page(session: Session, check: LinkCheck, now: datetime, base: str) -> UnitPage:
    """The page of the unit of an `ok` link at `now`; `base` is the page's path (forms post below it)."""
    assert check.dates is not None and check.unit is not None and check.link is not None
    plan, year, unit = check.dates.plan, check.dates.year, check.unit
    submissions, views = unit_records(session, plan.code, year, unit.code)
    registered = registrations(session, plan.code, year, unit.code) if plan.registration else {}
    state = cycle_state(check.dates, [unit], as_receipts(plan, submissions, registered), now)
    owner = next((s for s in state.units if s.unit.code == unit.code), None)
    cards, registration = [], None
    for key, delivery in (owner.deliveries.items() if owner else ()):
        record = submissions.get((key, unit.code))
        nominees = [name for kind, name in (record.nominees if record else []) if kind == NomineeKind.individual]
        kinds = {NomineeKind.collective} | ({NomineeKind.individual} if nominees else set())
        handed = {v.kind: v for v in views if v.occurrence == key}
        words, css = _state(delivery)
        occurrence = delivery.occurrence
        names = {d.code: d.name for d in occurrence.deliverable.document_list}
        card = Card(
            key, occurrence.name, occurrence.deliverable.kind,
            long_date(occurrence.deadline) if occurrence.deadline else "ngày sẽ thông báo sau", words, css,
            [names.get(code, code) for code in delivery.state.missing], _documents(delivery, kinds, handed, base),
            occurrence.guidance, nominees,
            occurrence.deliverable.kind is DeliverableKind.dossier and unit.group in plan.participants.individuals,
        )  # fmt: skip
        if occurrence.deliverable.kind is DeliverableKind.registration:
            registration = card
        else:
            cards.append(card)
    mine = registered.get(unit.code)
    return UnitPage(plan, year, unit.name, cards, registration, mine[0] if mine else None, mine[1] if mine else [], check.closes)
