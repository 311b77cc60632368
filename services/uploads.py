"""A unit's upload through its link: the files of one document, recorded as a receipt like any other."""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from models import DocumentStatus
from models.queries.portal import StoredFile, add_files, find_document, retire_files
from notifications.render import Renderer
from services.receipts import Receipt, record_receipt
from thidua.errors import InputError, InvalidInput
from thidua.plan.schema import Plan


def unit_source(unit_code: str) -> str:
    """How the records name a unit acting through its link."""
    return f"đơn vị {unit_code} (đường dẫn riêng)"


def record_upload(
    session: Session, plan: Plan, year: int, unit_code: str, occurrence: str, kind: str, files: Sequence[StoredFile],
    at: datetime, link: str, renderer: Renderer | None = None, ip: str | None = None,
) -> Receipt:  # fmt: skip
    """Record `files` (already stored and checked) as document `kind` of `occurrence` handed in by `unit_code` at
    `at` through `link`: a receipt (late if after the deadline), with the owner's confirmation. A rejected
    document is replaced (its files stop being current); an accepted one takes no more files."""
    deliverable, _, due = occurrence.partition("/")
    existing = find_document(session, plan.code, year, unit_code, occurrence, kind)
    if existing is not None and existing.status == DocumentStatus.accepted:
        raise InvalidInput([InputError(plan.code, "tài liệu", kind, "tài liệu đã được cơ quan thường trực chấp nhận, không nộp thêm")])
    if existing is not None and existing.status == DocumentStatus.rejected and existing.id is not None:
        retire_files(session, existing.id)
    detail = {"files": [f"{f.original_name} ({f.content_type}, {f.size} byte, {f.stored_name[:12]})" for f in files]}
    receipt = record_receipt(
        session, plan, year, unit_code, [kind], at, renderer=renderer, deliverable=deliverable, due=due or None,
        source=unit_source(unit_code), link=link, ip=ip, detail=detail,
    )  # fmt: skip
    document = find_document(session, plan.code, year, unit_code, occurrence, kind)
    assert document is not None
    add_files(session, document, files, at, link)
    return receipt
