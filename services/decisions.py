"""The standing agency's decision on a document: accepted, or rejected with a reason (the owner is told, with its
link, and chased again, since a rejected document is missing again)."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from models.queries.cycle import load_dates
from models.queries.portal import audit, decide_document, document_owner
from models.queries.units import unit_by_code
from notifications.outbox import enqueue
from notifications.render import Renderer
from thidua.cycle.drafts import rejection_drafts
from thidua.cycle.receipts import find_occurrence
from thidua.cycle.state import AGENCY, agency_unit
from thidua.dates import local_day
from thidua.errors import InputError, InvalidInput
from thidua.plan.schema import Plan


@dataclass(frozen=True)
class Decision:
    """What a decision did: the document's unit and name, and how many messages it wrote."""

    unit_code: str
    document: str
    accepted: bool
    messages: int


def decide(
    session: Session, plan: Plan, year: int, document_id: int, accepted: bool, reason: str, by: str, at: datetime,
    renderer: Renderer,
) -> Decision:  # fmt: skip
    """Accept or reject document `document_id` of (plan, year) as administrator `by`; a rejection needs a reason,
    writes the owner's notice and is audited like every decision. Raises InvalidInput; nothing is written then."""
    found = document_owner(session, document_id)
    if found is None or (found[0].plan, found[0].year) != (plan.code, year):
        raise InvalidInput([InputError(plan.code, "document", document_id, "không có tài liệu này trong chu kỳ")])
    submission, document = found
    reason = " ".join(reason.split())
    if not accepted and not reason:
        raise InvalidInput([InputError(plan.code, "reason", "", "trả lại tài liệu phải ghi rõ lý do")])
    occurrence = find_occurrence(load_dates(session, plan, year, local_day(at)), submission.deliverable, submission.occurrence)
    names = {d.code: d.name for d in occurrence.deliverable.document_list}
    name = names.get(document.kind, document.kind)
    decide_document(session, document, accepted, reason, by, at)
    action = "accept" if accepted else "reject"
    audit(session, at, by, action, plan.code, year, submission.unit_code, occurrence=occurrence.key, document=document.kind, reason=reason)
    messages = 0
    unit = agency_unit(plan) if submission.unit_code == AGENCY else unit_by_code(session, plan.code, submission.unit_code)
    if not accepted and unit is not None and occurrence.deadline is not None:
        drafts = rejection_drafts(plan, year, unit, occurrence, name, reason, f"{document.id}.{document.rejections}")
        messages = enqueue(session, drafts, renderer, now=at)
    return Decision(submission.unit_code, name, accepted, messages)
