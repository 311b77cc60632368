"""What owners handed in, in the database: each occurrence's documents and nominees, registrations; recording them."""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlmodel import Session, col, func, select

from models import DocumentStatus, Nominee, Registrant, Registration, Submission, SubmittedDocument
from thidua.cycle.state import Occurrence, Received, delivery_state
from thidua.plan.schema import Plan

REGISTERED = "dang_ky"  # what a registration counts as received


@dataclass(frozen=True)
class SubmissionRecord:
    """One owner's submission for one occurrence as stored: documents, and nominees (kind, name) in order."""

    documents: list[Received] = field(default_factory=list)
    nominees: list[tuple[str, str]] = field(default_factory=list)
    rejections: int = 0  # documents sent back so far (set by `save_submission`)

    @property
    def nominee_kinds(self) -> set[str]:
        return {kind for kind, _ in self.nominees}


def cycle_submissions(
    session: Session, plan: str, year: int, unit_code: str | None = None
) -> dict[tuple[str, str], SubmissionRecord]:
    """The submissions of (plan, year) by (occurrence key, owner code) (only `unit_code`'s if given), in three queries;
    a rejected document is not received (it is missing again)."""
    query = select(Submission).where(Submission.plan == plan, Submission.year == year)
    if unit_code is not None:
        query = query.where(Submission.unit_code == unit_code)
    keys = {s.id: (f"{s.deliverable}/{s.occurrence}", s.unit_code) for s in session.exec(query)}
    records = {key: SubmissionRecord() for key in keys.values()}
    if keys:
        documents = select(SubmittedDocument).where(
            col(SubmittedDocument.submission_id).in_(list(keys)), SubmittedDocument.status != DocumentStatus.rejected
        )
        for doc in session.exec(documents):
            records[keys[doc.submission_id]].documents.append(Received(doc.kind, doc.received_at))
        nominees = select(Nominee).where(col(Nominee.submission_id).in_(list(keys))).order_by(col(Nominee.id))
        for nominee in session.exec(nominees):
            records[keys[nominee.submission_id]].nominees.append((nominee.kind, nominee.name))
    return records


def registrations(
    session: Session, plan: str, year: int, unit_code: str | None = None
) -> dict[str, tuple[datetime, list[tuple[str, str]]]]:
    """Who registered for the cycle (only `unit_code` if given): unit code -> (when, [(name, position)] of the
    individuals it named)."""
    query = select(Registration).where(Registration.plan == plan, Registration.year == year)
    if unit_code is not None:
        query = query.where(Registration.unit_code == unit_code)
    rows = {r.id: r for r in session.exec(query)}
    named: dict[int, list[tuple[str, str]]] = {id_: [] for id_ in rows}
    if rows:
        query = select(Registrant).where(col(Registrant.registration_id).in_(list(rows))).order_by(col(Registrant.id))
        for person in session.exec(query):
            named[person.registration_id].append((person.name, person.position))
    return {r.unit_code: (r.registered_at, named[id_]) for id_, r in rows.items()}


Receipts = dict[tuple[str, str], tuple[list[Received], set[str]]]


def as_receipts(plan: Plan, submissions: dict[tuple[str, str], SubmissionRecord], registered: dict[str, tuple[datetime, list[tuple[str, str]]]]) -> Receipts:
    """What arrived for every (occurrence key, owner): documents, nominee kinds, and registrations as deliveries."""
    receipts = {key: (r.documents, r.nominee_kinds) for key, r in submissions.items()}
    registration = plan.registration
    if registration is not None:
        for owner, (at, _) in registered.items():
            for kind in registration.due:
                receipts[(f"{registration.code}/{kind}", owner)] = ([Received(REGISTERED, at)], set())
    return receipts


def cycle_receipts(session: Session, plan: Plan, year: int, unit_code: str | None = None) -> Receipts:
    """What arrived for every (occurrence key, owner) (only `unit_code`'s if given): documents, nominee kinds, and
    registrations as deliveries."""
    registered = registrations(session, plan.code, year, unit_code) if plan.registration else {}
    return as_receipts(plan, cycle_submissions(session, plan.code, year, unit_code), registered)


def save_submission(
    session: Session, plan: Plan, year: int, occurrence: Occurrence, unit_code: str, documents: Sequence[str],
    at: datetime, nominees: Sequence[tuple[str, str]] = (), source: str = "quản trị viên",
) -> SubmissionRecord:  # fmt: skip
    """Record documents (and nominees) an owner handed in for `occurrence` at `at` (already checked); re-recording
    keeps the first time, except for a rejected document, which is received anew. Returns the submission as it
    now stands."""
    code, due = occurrence.deliverable.code, occurrence.milestone.kind
    submission = session.exec(
        select(Submission).where(
            Submission.plan == plan.code, Submission.year == year, Submission.deliverable == code,
            Submission.occurrence == due, Submission.unit_code == unit_code,
        )
    ).first()  # fmt: skip
    if submission is None:
        submission = Submission(plan=plan.code, year=year, deliverable=code, occurrence=due, unit_code=unit_code, first_received_at=at)
        session.add(submission)
        session.flush()
    have = {d.kind: d for d in session.exec(select(SubmittedDocument).where(SubmittedDocument.submission_id == submission.id))}
    named = set(session.exec(select(Nominee.kind, Nominee.name).where(Nominee.submission_id == submission.id)).all())
    for kind in dict.fromkeys(documents):
        document = have.get(kind)
        if document is None:
            session.add(SubmittedDocument(submission_id=submission.id, kind=kind, received_at=at, source=source))
        elif document.status == DocumentStatus.rejected:
            document.status, document.received_at, document.source = DocumentStatus.received, at, source
            session.add(document)
    for kind, name in dict.fromkeys(nominees):
        if (kind, name) not in named:
            session.add(Nominee(submission_id=submission.id, kind=kind, name=name))
    session.flush()
    record = cycle_submissions(session, plan.code, year, unit_code)[(occurrence.key, unit_code)]
    state = delivery_state(occurrence.deliverable, record.documents, record.nominee_kinds, None, at)
    submission.first_received_at = min(submission.first_received_at, at)
    if state.completed_at and (submission.completed_at is None or state.completed_at < submission.completed_at):
        submission.completed_at = state.completed_at
    session.add(submission)
    sent_back = session.exec(select(func.sum(SubmittedDocument.rejections)).where(SubmittedDocument.submission_id == submission.id)).one()
    return replace(record, rejections=int(sent_back or 0))


def save_registration(session: Session, plan: str, year: int, unit_code: str, people: Sequence[tuple[str, str]], at: datetime) -> int:
    """Register a unit (once; re-registering keeps the first time) and add the individuals not named yet; returns how many."""
    row = session.exec(
        select(Registration).where(Registration.plan == plan, Registration.year == year, Registration.unit_code == unit_code)
    ).first()
    if row is None:
        row = Registration(plan=plan, year=year, unit_code=unit_code, registered_at=at)
        session.add(row)
        session.flush()
    known = set(session.exec(select(Registrant.name).where(Registrant.registration_id == row.id)))
    added = [(name, position) for name, position in dict.fromkeys(people) if name not in known]
    session.add_all(Registrant(registration_id=row.id, name=name, position=position) for name, position in added)
    session.flush()
    return len(added)
