"""A unit's pages, reached only through its personal link `/u/<token>`: see, register, nominate, upload.

Every request checks the link first (bad links from one address are counted and, past the limit, the
address is refused for 10 minutes); every form carries a guard token bound to the link and its purpose;
every write is recorded with the link that made it, then the receipt is confirmed on the page (after a
redirect, so a reload sends nothing twice) and by message.
"""

from fastapi import APIRouter, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from models import DocumentStatus
from models.db import session_scope
from models.queries.portal import current_bytes, find_document
from notifications.render import clock_date
from services.links import LinkCheck, check_link
from services.receipts import record_receipt, record_registration
from services.runtime import message_renderer
from services.uploads import record_upload, unit_source
from thidua.cycle.receipts import find_occurrence
from thidua.errors import InvalidInput
from thidua.words import file_size
from web.forms import GUARD_FIELD, FormRefused, check_origin, first, read_form
from web.multipart import Limits, UploadRefused, receive_files
from web.portal import Portal, portal_of
from web.unit_view import unit_page

router = APIRouter()

CLOSED_TITLE = "Đợt thi đua đã kết thúc"


def _refusal(portal: Portal, check: LinkCheck) -> Response:
    """The page of a link that does not open (404 not ours or unknown, 410 replaced or closed)."""
    if check.status == "revoked":
        text = "Đường dẫn này đã được thay thế bằng đường dẫn mới. Hãy dùng đường dẫn trong tin nhắn mới nhất, hoặc liên hệ cơ quan thường trực để được cấp lại."
        return portal.pages.message("Liên kết đã được thay thế", text, 410)
    if check.status == "expired" and check.closes is not None:
        text = f"Hạn nộp của đợt thi đua này đã hết lúc {clock_date(check.closes)}. Mọi thắc mắc xin liên hệ cơ quan thường trực."
        return portal.pages.message(CLOSED_TITLE, text, 410)
    text = "Đường dẫn không đúng hoặc đã bị cắt mất một phần. Hãy mở lại đường dẫn đầy đủ trong tin nhắn, hoặc liên hệ cơ quan thường trực."
    return portal.pages.message("Liên kết không hợp lệ", text, 404)


def _open(portal: Portal, request: Request, token: str, session: Session | None = None) -> LinkCheck | Response:
    """The link's check, or the page refusing it (rate-limited addresses first), in `session` if given."""
    if session is None:
        with session_scope(portal.engine) as own:
            return _open(portal, request, token, own)
    ip = portal.client_ip(request)
    if portal.blocked(ip, session):
        return portal.too_many()
    check = check_link(session, portal.plans(), token, portal.clock(), portal.settings, portal.dates)
    if check.status in ("tampered", "unknown"):
        portal.count_bad(ip)
    return check if check.status == "ok" else _refusal(portal, check)


def _base(token: str) -> str:
    return f"/u/{token}"


def _banner(portal: Portal, check: LinkCheck, ok: str | None) -> str | None:
    """The confirmation shown after a redirect (`?ok=…`), from what the database now holds."""
    if not ok or check.dates is None or check.unit is None:
        return None
    plan, year, unit = check.dates.plan, check.dates.year, check.unit
    what, _, detail = ok.partition(":")
    if what == "dang-ky":
        return "Đã ghi nhận đăng ký thi đua của đơn vị."
    if what == "de-nghi":
        return "Đã ghi nhận cá nhân đề nghị khen thưởng."
    if what != "nop":
        return None
    occurrence, _, kind = detail.rpartition("/")
    with session_scope(portal.engine) as session:
        document = find_document(session, plan.code, year, unit.code, occurrence, kind)
    owed = check.dates.occurrence(occurrence)
    if document is None or owed is None:
        return None
    name = next((d.name for d in owed.deliverable.document_list if d.code == kind), kind)
    return f"Đã nhận «{name}» lúc {clock_date(document.received_at)}."


@router.get("/u/{token}")
async def unit_home(request: Request, token: str, ok: str | None = None) -> Response:
    portal = portal_of(request)
    with session_scope(portal.engine) as session:
        check = _open(portal, request, token, session)
        if isinstance(check, Response):
            return check
        page = unit_page(session, check, portal.clock(), _base(token))
    assert check.link is not None
    who = str(check.link)
    return portal.pages.render(
        "unit.html.j2", page=page, base=_base(token), banner=_banner(portal, check, ok), per_file=file_size(portal.limits_per_file),
        guard=lambda purpose: portal.guard.token(who, purpose),
    )  # fmt: skip


def _refused(portal: Portal, token: str, error: FormRefused | UploadRefused | InvalidInput) -> Response:
    if isinstance(error, InvalidInput):
        text = "; ".join(e.reason for e in error.errors)
        return portal.pages.message("Chưa ghi nhận được", text[:1:].upper() + text[1:] + ".", 400, back=_base(token))
    return portal.pages.message("Chưa ghi nhận được", error.message, error.status, back=_base(token))


@router.post("/u/{token}/nop/{deliverable}/{due}/{kind}")
async def upload(request: Request, token: str, deliverable: str, due: str, kind: str) -> Response:
    portal = portal_of(request)
    check = _open(portal, request, token)
    if isinstance(check, Response):
        return check
    assert check.link is not None and check.dates is not None and check.unit is not None
    plan, year, unit, who = check.dates.plan, check.dates.year, check.unit, str(check.link)
    occurrence = f"{deliverable}/{due}"
    purpose = f"nop:{occurrence}/{kind}"
    try:
        check_origin(request, portal.settings.public_url)
        owed = check.dates.occurrence(occurrence)
        if owed is None or kind not in {d.code for d in owed.deliverable.document_list} or unit.group not in plan.owing_groups(owed.deliverable):
            return portal.pages.message("Không có tài liệu này", "Tài liệu này không có trong việc phải nộp của đơn vị.", 404, back=_base(token))
        with session_scope(portal.engine) as session:
            handed = find_document(session, plan.code, year, unit.code, occurrence, kind)
            if handed is not None and handed.status == DocumentStatus.accepted:
                raise FormRefused(409, "Tài liệu này đã được cơ quan thường trực chấp nhận, không nộp thêm.")
            room = portal.limits_per_deliverable - current_bytes(session, plan.code, year, unit.code, occurrence)
        limits = Limits(portal.limits_per_file, max(room, 0))
        _, files = await receive_files(request, portal.store, limits, "tep", lambda fields: portal.guard.check(who, purpose, fields.get(GUARD_FIELD)))
        now = portal.clock()
        with session_scope(portal.engine) as session:
            record_upload(session, plan, year, unit.code, occurrence, kind, files, now, who, message_renderer(session), portal.client_ip(request))
    except FormRefused as refused:
        return _refused(portal, token, refused)
    except UploadRefused as refused:
        return _refused(portal, token, refused)
    except InvalidInput as invalid:
        return _refused(portal, token, invalid)
    portal.wake_sender()
    return RedirectResponse(f"{_base(token)}?ok=nop:{occurrence}/{kind}#{occurrence.replace('/', '-')}", status_code=303)


@router.post("/u/{token}/dang-ky")
async def register(request: Request, token: str) -> Response:
    portal = portal_of(request)
    check = _open(portal, request, token)
    if isinstance(check, Response):
        return check
    assert check.link is not None and check.dates is not None and check.unit is not None
    try:
        check_origin(request, portal.settings.public_url)
        fields = await read_form(request)
        portal.guard.check(str(check.link), "dang-ky", first(fields, GUARD_FIELD))
        names, positions = fields.get("ten", []), fields.get("chuc_vu", [])
        people = [(" ".join(n.split()), " ".join(p.split())) for n, p in zip(names, positions + [""] * len(names), strict=False)]
        people = [(n, p) for n, p in people if n or p]
        with session_scope(portal.engine) as session:
            record_registration(
                session, check.dates.plan, check.dates.year, check.unit.code, people, portal.clock(),
                source=unit_source(check.unit.code), link=str(check.link), ip=portal.client_ip(request),
            )  # fmt: skip
    except (FormRefused, InvalidInput) as refused:
        return _refused(portal, token, refused)
    return RedirectResponse(f"{_base(token)}?ok=dang-ky#dang-ky", status_code=303)


@router.post("/u/{token}/de-nghi/{deliverable}/{due}")
async def nominate(request: Request, token: str, deliverable: str, due: str) -> Response:
    portal = portal_of(request)
    check = _open(portal, request, token)
    if isinstance(check, Response):
        return check
    assert check.link is not None and check.dates is not None and check.unit is not None
    occurrence = f"{deliverable}/{due}"
    plan, year, unit = check.dates.plan, check.dates.year, check.unit
    try:
        check_origin(request, portal.settings.public_url)
        fields = await read_form(request)
        portal.guard.check(str(check.link), f"de-nghi:{occurrence}", first(fields, GUARD_FIELD))
        if unit.group not in plan.participants.individuals:
            raise FormRefused(403, "Kế hoạch không xét khen thưởng cá nhân của nhóm đơn vị này.")
        name = " ".join(first(fields, "ten").split())
        if not name:
            raise FormRefused(400, "Họ và tên cá nhân đề nghị khen thưởng không được để trống.")
        find_occurrence(check.dates, deliverable, due)
        now = portal.clock()
        with session_scope(portal.engine) as session:
            nominees = [("individual", name)] + ([("collective", unit.code)] if unit.group in plan.participants.collectives else [])
            record_receipt(
                session, plan, year, unit.code, (), now, nominees, message_renderer(session),
                deliverable=deliverable, due=due, source=unit_source(unit.code), link=str(check.link), ip=portal.client_ip(request),
            )  # fmt: skip
    except (FormRefused, InvalidInput) as refused:
        return _refused(portal, token, refused)
    portal.wake_sender()
    return RedirectResponse(f"{_base(token)}?ok=de-nghi#{occurrence.replace('/', '-')}", status_code=303)

