"""The unit portal in the database: link generations, documents with their files and decisions, the audit trail,
and the count of bad links per address."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, delete, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from models import (
    AuditEntry,
    BadTokenHit,
    DocumentFile,
    DocumentStatus,
    Nominee,
    Submission,
    SubmittedDocument,
    UnitLink,
)
from models.queries.submissions import SubmissionRecord
from models.queries.units import to_unit
from models.units import Unit as UnitRow
from thidua.cycle.state import Received
from thidua.directory import Unit

# --- links -----------------------------------------------------------------------------------


def link_generations(session: Session, plan: str, year: int) -> dict[str, int]:
    """The generation of every unit link of (plan, year) that was ever revoked (the others are at 0)."""
    rows = session.exec(select(UnitLink.unit_code, UnitLink.generation).where(UnitLink.plan == plan, UnitLink.year == year))
    return dict(rows.all())


def link_generation(session: Session, plan: str, year: int, unit_code: str) -> int:
    """The current generation of one unit's link (0 until it is first revoked)."""
    query = select(UnitLink.generation).where(UnitLink.plan == plan, UnitLink.year == year, UnitLink.unit_code == unit_code)
    return session.exec(query).first() or 0


def _linked_unit_query() -> Select[Any]:
    units, links = UnitRow.__table__, UnitLink.__table__  # type: ignore[attr-defined]
    on = (links.c.plan == units.c.plan) & (links.c.unit_code == units.c.code) & (links.c.year == bindparam("year"))
    where = (units.c.plan == bindparam("plan"), units.c.code == bindparam("code"))
    return select(units, links.c.generation).select_from(units.outerjoin(links, on)).where(*where)


LINKED_UNIT = _linked_unit_query()  # built once: a unit page runs it on every visit


def linked_unit(session: Session, plan: str, year: int, unit_code: str) -> tuple[Unit, int] | None:
    """A unit of the plan's directory and the generation of its link in `year`, in one query; None if no such unit."""
    row = session.execute(LINKED_UNIT, {"plan": plan, "year": year, "code": unit_code}).first()
    if row is None:
        return None
    return to_unit(row), row.generation or 0


def rotate_link(session: Session, plan: str, year: int, unit_code: str, by: str, at: datetime) -> int:
    """Revoke a unit's link by moving it to the next generation; returns the new generation."""
    row = session.exec(
        select(UnitLink).where(UnitLink.plan == plan, UnitLink.year == year, UnitLink.unit_code == unit_code).with_for_update()
    ).first()
    row = row or UnitLink(plan=plan, year=year, unit_code=unit_code, generation=0)
    row.generation, row.rotated_at, row.rotated_by = row.generation + 1, at, by
    session.add(row)
    session.flush()
    return row.generation


# --- documents and files ---------------------------------------------------------------------


@dataclass(frozen=True)
class StoredFile:
    """A file in the uploads folder, checked: its content-derived name, its display name, type and size."""

    stored_name: str
    original_name: str
    content_type: str
    size: int


@dataclass(frozen=True)
class FileView:
    id: int
    original_name: str
    content_type: str
    size: int
    uploaded_at: datetime
    link: str
    stored_name: str


@dataclass(frozen=True)
class DocumentView:
    """One document an owner handed in for an occurrence, with its decision and its current files."""

    id: int
    unit_code: str
    occurrence: str  # `<deliverable>/<milestone>`
    kind: str
    status: DocumentStatus
    received_at: datetime
    reason: str | None
    decided_at: datetime | None
    decided_by: str | None
    source: str
    rejections: int
    files: list[FileView] = field(default_factory=list)


def unit_documents(session: Session, plan: str, year: int, unit_code: str | None = None) -> list[DocumentView]:
    """The documents of (plan, year) (only `unit_code`'s if given) with their current files, in two queries."""
    query = (
        select(Submission, SubmittedDocument)
        .join(SubmittedDocument, col(SubmittedDocument.submission_id) == Submission.id)
        .where(Submission.plan == plan, Submission.year == year)
        .order_by(col(SubmittedDocument.id))
    )
    if unit_code is not None:
        query = query.where(Submission.unit_code == unit_code)
    views = {
        doc.id: DocumentView(
            doc.id, sub.unit_code, f"{sub.deliverable}/{sub.occurrence}", doc.kind, DocumentStatus(doc.status), doc.received_at, doc.reason,
            doc.decided_at, doc.decided_by, doc.source, doc.rejections,
        )  # fmt: skip
        for sub, doc in session.exec(query)
    }
    if views:
        files = select(DocumentFile).where(col(DocumentFile.document_id).in_(list(views)), col(DocumentFile.current)).order_by(col(DocumentFile.id))
        for f in session.exec(files):
            views[f.document_id].files.append(FileView(f.id, f.original_name, f.content_type, f.size, f.uploaded_at, f.link, f.stored_name))
    return list(views.values())


def _unit_records_query() -> Select[Any]:
    s, d = Submission.__table__, SubmittedDocument.__table__  # type: ignore[attr-defined]
    f = DocumentFile.__table__.alias("f")  # type: ignore[attr-defined]
    columns = (s.c.id.label("sid"), s.c.deliverable, s.c.occurrence, d, f.c.id.label("fid"), f.c.original_name, f.c.content_type,
               f.c.size, f.c.uploaded_at, f.c.link, f.c.stored_name)  # fmt: skip
    joined = s.outerjoin(d, d.c.submission_id == s.c.id).outerjoin(f, (f.c.document_id == d.c.id) & f.c.current)
    where = (s.c.plan == bindparam("plan"), s.c.year == bindparam("year"), s.c.unit_code == bindparam("unit"))
    return select(*columns).select_from(joined).where(*where).order_by(d.c.id, f.c.id)


UNIT_RECORDS = _unit_records_query()  # built once: a unit page runs it on every visit
NOMINEES = select(Nominee.submission_id, Nominee.kind, Nominee.name).where(col(Nominee.submission_id).in_(bindparam("ids", expanding=True))).order_by(col(Nominee.id))


def unit_records(session: Session, plan: str, year: int, unit_code: str) -> tuple[dict[tuple[str, str], SubmissionRecord], list[DocumentView]]:
    """One owner's submissions as the cycle counts them (`cycle_submissions`) and its documents with their current
    files (`unit_documents`), in two queries: what a unit's page needs."""
    rows = session.execute(UNIT_RECORDS, {"plan": plan, "year": year, "unit": unit_code}).all()
    keys = {row.sid: f"{row.deliverable}/{row.occurrence}" for row in rows}
    records = {(key, unit_code): SubmissionRecord() for key in keys.values()}
    views: dict[int, DocumentView] = {}
    for row in rows:
        if row.id is None:
            continue
        if row.id not in views:
            status = DocumentStatus(row.status)
            views[row.id] = DocumentView(
                row.id, unit_code, keys[row.sid], row.kind, status, row.received_at, row.reason, row.decided_at, row.decided_by,
                row.source, row.rejections,
            )  # fmt: skip
            if status != DocumentStatus.rejected:
                records[(keys[row.sid], unit_code)].documents.append(Received(row.kind, row.received_at))
        if row.fid is not None:
            views[row.id].files.append(FileView(row.fid, row.original_name, row.content_type, row.size, row.uploaded_at, row.link, row.stored_name))
    if keys:
        for submission_id, kind, name in session.execute(NOMINEES, {"ids": list(keys)}):
            records[(keys[submission_id], unit_code)].nominees.append((kind, name))
    return records, list(views.values())


def document_owner(session: Session, document_id: int) -> tuple[Submission, SubmittedDocument] | None:
    """A document and the submission it belongs to."""
    query = select(Submission, SubmittedDocument).join(SubmittedDocument, col(SubmittedDocument.submission_id) == Submission.id)
    row = session.exec(query.where(SubmittedDocument.id == document_id)).first()
    return (row[0], row[1]) if row else None


def find_document(session: Session, plan: str, year: int, unit_code: str, occurrence: str, kind: str) -> SubmittedDocument | None:
    deliverable, _, due = occurrence.partition("/")
    query = (
        select(SubmittedDocument)
        .join(Submission, col(SubmittedDocument.submission_id) == Submission.id)
        .where(
            Submission.plan == plan, Submission.year == year, Submission.unit_code == unit_code,
            Submission.deliverable == deliverable, Submission.occurrence == due, SubmittedDocument.kind == kind,
        )
    )  # fmt: skip
    return session.exec(query).first()


def current_bytes(session: Session, plan: str, year: int, unit_code: str, occurrence: str) -> int:
    """The size of the current files an owner handed in for one occurrence (the per-deliverable limit counts them)."""
    deliverable, _, due = occurrence.partition("/")
    query = (
        select(func.coalesce(func.sum(DocumentFile.size), 0))
        .join(SubmittedDocument, col(DocumentFile.document_id) == SubmittedDocument.id)
        .join(Submission, col(SubmittedDocument.submission_id) == Submission.id)
        .where(
            Submission.plan == plan, Submission.year == year, Submission.unit_code == unit_code,
            Submission.deliverable == deliverable, Submission.occurrence == due, col(DocumentFile.current),
        )
    )  # fmt: skip
    return int(session.exec(query).one())


def add_files(session: Session, document: SubmittedDocument, files: Sequence[StoredFile], at: datetime, link: str) -> list[int]:
    """Attach `files` to `document`; a rejected document's earlier files stop being current. Returns the new ids."""
    rows = [
        DocumentFile(
            document_id=document.id, stored_name=f.stored_name, original_name=f.original_name, content_type=f.content_type,
            size=f.size, uploaded_at=at, link=link,
        )  # fmt: skip
        for f in files
    ]
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows if row.id is not None]


def retire_files(session: Session, document_id: int) -> None:
    """The document's files are no longer current (they stay, and stay in the audit trail)."""
    for row in session.exec(select(DocumentFile).where(DocumentFile.document_id == document_id, col(DocumentFile.current))):
        row.current = False
        session.add(row)


def file_row(session: Session, file_id: int) -> tuple[DocumentFile, Submission, SubmittedDocument] | None:
    """A stored file with the document and submission it belongs to."""
    query = (
        select(DocumentFile, SubmittedDocument, Submission)
        .join(SubmittedDocument, col(DocumentFile.document_id) == SubmittedDocument.id)
        .join(Submission, col(SubmittedDocument.submission_id) == Submission.id)
        .where(DocumentFile.id == file_id)
    )
    row = session.exec(query).first()
    return (row[0], row[2], row[1]) if row else None


def decide_document(session: Session, document: SubmittedDocument, accepted: bool, reason: str, by: str, at: datetime) -> None:
    """Accept or reject a document; a rejection makes its submission incomplete again."""
    document.status = DocumentStatus.accepted if accepted else DocumentStatus.rejected
    document.reason = None if accepted else reason
    document.decided_at, document.decided_by = at, by
    if not accepted:
        document.rejections += 1
        submission = session.get(Submission, document.submission_id)
        if submission is not None:
            submission.completed_at = None
            session.add(submission)
    session.add(document)
    session.flush()


# --- the audit trail -------------------------------------------------------------------------


def audit(
    session: Session, at: datetime, actor: str, action: str, plan: str, year: int, unit_code: str, *,
    link: str | None = None, ip: str | None = None, **detail: Any,
) -> None:  # fmt: skip
    """Write one entry of the audit trail (in the caller's transaction)."""
    session.add(AuditEntry(at=at, actor=actor, action=action, plan=plan, year=year, unit_code=unit_code, link=link, ip=ip, detail=detail))


def audit_entries(session: Session, plan: str, year: int, unit_code: str | None = None, limit: int = 200) -> list[AuditEntry]:
    """The latest entries of (plan, year), newest first (only `unit_code`'s if given)."""
    query = select(AuditEntry).where(AuditEntry.plan == plan, AuditEntry.year == year)
    if unit_code is not None:
        query = query.where(AuditEntry.unit_code == unit_code)
    return list(session.exec(query.order_by(col(AuditEntry.id).desc()).limit(limit)))


# --- bad links per address -------------------------------------------------------------------


def count_bad(session: Session, ip: str, window: int) -> int:
    """Count one bad link or password from `ip` in `window`; returns the count so far. Older windows are pruned."""
    table = BadTokenHit.__table__  # type: ignore[attr-defined]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values(ip=ip, window=window, hits=1)
    statement = statement.on_conflict_do_update(index_elements=["ip", "window"], set_={"hits": table.c.hits + 1})
    hits = session.execute(statement.returning(table.c.hits)).scalar_one()
    session.execute(delete(table).where(table.c.window < window - 1))
    return int(hits)


def bad_hits(session: Session, ip: str, window: int) -> int:
    """How many bad links or passwords `ip` sent in `window`."""
    return session.exec(select(BadTokenHit.hits).where(BadTokenHit.ip == ip, BadTokenHit.window == window)).first() or 0
