"""The standing agency's side, behind a login: who delivered what per plan and year, each unit's documents and
files (one by one or as a ZIP), accept or reject a document with a reason, a unit's link and its revocation.

Disabled, with a page saying so, while no administrator account is configured (THIDUA_ADMIN_USERS).
"""

import re
import tempfile
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from urllib.parse import quote

from fastapi import APIRouter, Request
from sqlmodel import Session
from starlette.responses import FileResponse, RedirectResponse, Response, StreamingResponse

from models import DocumentStatus
from models.db import session_scope
from models.queries.cycle import load_dates, load_state, unit_state
from models.queries.portal import audit, audit_entries, file_row, unit_documents
from models.queries.submissions import cycle_submissions, registrations
from models.queries.units import unit_by_code
from services.decisions import decide
from services.links import current_link, revoke
from services.runtime import message_renderer
from thidua.dates import local_day
from thidua.errors import InvalidInput
from thidua.plan.schema import Plan
from thidua.words import AUDIT_ACTION, DELIVERY, DOCUMENT_STATUS
from web.auth import SESSION_AGE_S, SESSION_COOKIE, AdminSession
from web.forms import GUARD_FIELD, FormRefused, check_origin, first, read_form
from web.portal import Portal, portal_of
from web.sniff import MEDIA_TYPES

router = APIRouter(prefix="/admin")
LOGIN = "/admin/dang-nhap"
CHUNK = 256 * 1024


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266, RFC 5987)."""
    plain = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = re.sub(r"[^A-Za-z0-9._ -]", "_", "".join(c for c in plain if not unicodedata.combining(c))) or "tai-lieu"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def _disabled(portal: Portal) -> Response:
    text = (
        "Trang quản trị chưa được bật vì chưa cấu hình tài khoản quản trị nào. Quản trị viên hệ thống tạo mật khẩu bằng "
        "lệnh «thidua portal hash-password» rồi đặt biến THIDUA_ADMIN_USERS (xem docs/portal.md)."
    )
    return portal.pages.message("Trang quản trị chưa bật", text, 503)


def _session(portal: Portal, request: Request) -> AdminSession | Response:
    """The administrator's session, or the page to go to instead (disabled, or the login)."""
    if not portal.admins.enabled:
        return _disabled(portal)
    session = portal.admins.session(request.cookies.get(SESSION_COOKIE))
    return session if session is not None else RedirectResponse(LOGIN, status_code=303)


def _who(session: AdminSession) -> str:
    return f"quản trị viên {session.name}"


def _cycle(portal: Portal, plan_code: str, year: int) -> Plan | Response:
    plan = portal.plans().get(plan_code)
    if plan is None or year not in plan.cycle_years:
        return portal.pages.message("Không có chu kỳ này", f"Không có kế hoạch {plan_code} năm {year}.", 404, back="/admin")
    return plan


@router.get("/dang-nhap")
async def login_form(request: Request) -> Response:
    portal = portal_of(request)
    if not portal.admins.enabled:
        return _disabled(portal)
    return portal.pages.render("admin_login.html.j2", guard=portal.guard.token("dang-nhap", "dang-nhap"), error=None)


@router.post("/dang-nhap")
async def login(request: Request) -> Response:
    portal = portal_of(request)
    if not portal.admins.enabled:
        return _disabled(portal)
    ip = portal.client_ip(request)
    if portal.blocked(ip):
        return portal.too_many()
    try:
        check_origin(request, portal.settings.public_url)
        fields = await read_form(request)
        portal.guard.check("dang-nhap", "dang-nhap", first(fields, GUARD_FIELD))
    except FormRefused as refused:
        return portal.pages.message("Chưa đăng nhập được", refused.message, refused.status, back=LOGIN)
    name = first(fields, "ten")
    if not portal.admins.verify(name, first(fields, "mat_khau")):
        portal.count_bad(ip)
        error = "Tên đăng nhập hoặc mật khẩu không đúng."
        return portal.pages.render("admin_login.html.j2", 401, guard=portal.guard.token("dang-nhap", "dang-nhap"), error=error)
    response = RedirectResponse("/admin", status_code=303)
    secure = (portal.settings.public_url or "").startswith("https://")
    response.set_cookie(SESSION_COOKIE, portal.admins.cookie(name), max_age=SESSION_AGE_S, path="/admin", httponly=True, samesite="lax", secure=secure)
    return response


@router.post("/dang-xuat")
async def logout(request: Request) -> Response:
    response = RedirectResponse(LOGIN, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/admin")
    return response


@router.get("")
async def index(request: Request) -> Response:
    portal = portal_of(request)
    session = _session(portal, request)
    if isinstance(session, Response):
        return session
    plans = sorted(portal.plans().values(), key=lambda p: p.code)
    return portal.pages.render("admin_index.html.j2", who=session, plans=plans, guard=portal.guard.token(session.sid, "dang-xuat"))


@router.get("/tep/{file_id}")
async def download(request: Request, file_id: int) -> Response:
    portal = portal_of(request)
    session = _session(portal, request)
    if isinstance(session, Response):
        return session
    with session_scope(portal.engine) as db:
        found = file_row(db, file_id)
        if found is not None:
            stored, submission, _ = found
            audit(db, portal.clock(), _who(session), "download", submission.plan, submission.year, submission.unit_code, file=stored.original_name)
    if found is None:
        return portal.pages.message("Không có tệp này", "Tệp không tồn tại.", 404, back="/admin")
    media = MEDIA_TYPES.get(stored.content_type, "application/octet-stream")
    headers = {"content-disposition": content_disposition(stored.original_name)}
    return FileResponse(portal.store.path(stored.stored_name), media_type=media, headers=headers)


@router.get("/{plan_code}/{year}")
async def cycle(request: Request, plan_code: str, year: int) -> Response:
    portal = portal_of(request)
    session = _session(portal, request)
    if isinstance(session, Response):
        return session
    plan = _cycle(portal, plan_code, year)
    if isinstance(plan, Response):
        return plan
    now = portal.clock()
    with session_scope(portal.engine) as db:
        state = load_state(db, plan, year, local_day(now))
        waiting: Counter[tuple[str, str]] = Counter(
            (view.unit_code, view.occurrence) for view in unit_documents(db, plan.code, year) if view.status == DocumentStatus.received
        )
    occurrences = sorted(state.occurrences, key=lambda o: (o.deadline is None, o.deadline))
    delivered = {o.key: sum(1 for s in state.units if o.key in s.deliveries and s.deliveries[o.key].state.delivered) for o in occurrences}
    owing = {o.key: sum(1 for s in state.units if o.key in s.deliveries) for o in occurrences}
    return portal.pages.render(
        "admin_cycle.html.j2", who=session, plan=plan, year=year, state=state, occurrences=occurrences, waiting=waiting,
        delivered=delivered, owing=owing, day=local_day(now), delivery_words=DELIVERY,
    )  # fmt: skip


@router.get("/{plan_code}/{year}/{unit_code}")
async def unit_detail(request: Request, plan_code: str, year: int, unit_code: str, link: str | None = None) -> Response:
    portal = portal_of(request)
    session = _session(portal, request)
    if isinstance(session, Response):
        return session
    plan = _cycle(portal, plan_code, year)
    if isinstance(plan, Response):
        return plan
    now = portal.clock()
    with session_scope(portal.engine) as db:
        unit = unit_by_code(db, plan.code, unit_code)
        if unit is None:
            return portal.pages.message("Không có đơn vị này", f"Không có đơn vị {unit_code} trong danh bạ của kế hoạch.", 404, back=f"/admin/{plan.code}/{year}")
        state = unit_state(db, load_dates(db, plan, year, local_day(now)), unit, now)
        documents = unit_documents(db, plan.code, year, unit.code)
        nominees = {key: r.nominees for (key, _), r in cycle_submissions(db, plan.code, year, unit.code).items()}
        registered = registrations(db, plan.code, year, unit.code).get(unit.code)
        trail = audit_entries(db, plan.code, year, unit.code, limit=50)
        address = current_link(db, plan, year, unit.code, portal.settings) if portal.settings.public_url else None
    owner = next((s for s in state.units if s.unit.code == unit.code), None)
    names = {d.code: d.name for d in plan.deliverables for d in d.document_list}
    return portal.pages.render(
        "admin_unit.html.j2", who=session, plan=plan, year=year, unit=unit, owner=owner, documents=documents, nominees=nominees,
        registered=registered, trail=trail, link=address, names=names, delivery_words=DELIVERY, document_words=DOCUMENT_STATUS, audit_words=AUDIT_ACTION,
        revoked=link == "moi", guard=lambda purpose: portal.guard.token(session.sid, purpose),
    )  # fmt: skip


Act = Callable[[Session, Plan, Mapping[str, list[str]], AdminSession], None]


async def _post(request: Request, plan_code: str, year: int, unit_code: str, purpose: str, refused_title: str, act: Act) -> Response | str:
    """An administrator's form post on a unit's page: signed in, a plan's cycle, same origin, a valid guard token;
    `act` writes in one transaction. The page to go back to, or the page saying why nothing was written."""
    portal = portal_of(request)
    session = _session(portal, request)
    if isinstance(session, Response):
        return session
    plan = _cycle(portal, plan_code, year)
    if isinstance(plan, Response):
        return plan
    back = f"/admin/{plan.code}/{year}/{unit_code}"
    try:
        check_origin(request, portal.settings.public_url)
        fields = await read_form(request)
        portal.guard.check(session.sid, purpose, first(fields, GUARD_FIELD))
        with session_scope(portal.engine) as db:
            act(db, plan, fields, session)
    except FormRefused as refused:
        return portal.pages.message(refused_title, refused.message, refused.status, back=back)
    except InvalidInput as invalid:
        return portal.pages.message(refused_title, "; ".join(e.reason for e in invalid.errors), 400, back=back)
    return back


@router.post("/{plan_code}/{year}/{unit_code}/quyet-dinh")
async def decision(request: Request, plan_code: str, year: int, unit_code: str) -> Response:
    portal = portal_of(request)

    def act(db: Session, plan: Plan, fields: Mapping[str, list[str]], session: AdminSession) -> None:
        document_id = first(fields, "tai_lieu")
        if not document_id.isdigit():
            raise FormRefused(400, "Thiếu tài liệu cần quyết định.")
        decide(db, plan, year, int(document_id), first(fields, "quyet_dinh") == "chap-nhan", first(fields, "ly_do"),
               _who(session), portal.clock(), message_renderer(db))  # fmt: skip

    done = await _post(request, plan_code, year, unit_code, "quyet-dinh", "Chưa ghi được quyết định", act)
    if isinstance(done, Response):
        return done
    portal.wake_sender()
    return RedirectResponse(done, status_code=303)


@router.post("/{plan_code}/{year}/{unit_code}/thu-hoi")
async def revoke_link(request: Request, plan_code: str, year: int, unit_code: str) -> Response:
    portal = portal_of(request)

    def act(db: Session, plan: Plan, fields: Mapping[str, list[str]], session: AdminSession) -> None:
        revoke(db, plan, year, unit_code, _who(session), portal.clock())

    done = await _post(request, plan_code, year, unit_code, "thu-hoi", "Chưa thu hồi được", act)
    return done if isinstance(done, Response) else RedirectResponse(f"{done}?link=moi", status_code=303)


def _zip(portal: Portal, entries: list[tuple[str, str]]) -> Iterator[bytes]:
    """A ZIP of `entries` (stored name, name inside the ZIP), written to a spooled file and streamed."""
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as archive:
            for stored, inside in entries:
                archive.write(portal.store.path(stored), inside)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk


@router.get("/{plan_code}/{year}/{unit_code}/ho-so.zip")
async def unit_zip(request: Request, plan_code: str, year: int, unit_code: str) -> Response:
    portal = portal_of(request)
    session = _session(portal, request)
    if isinstance(session, Response):
        return session
    plan = _cycle(portal, plan_code, year)
    if isinstance(plan, Response):
        return plan
    occurrences = {f"{d.code}/{due}": d for d in plan.deliverables for due in d.due}
    with session_scope(portal.engine) as db:
        documents = unit_documents(db, plan.code, year, unit_code)
        audit(db, portal.clock(), _who(session), "download", plan.code, year, unit_code, zip=True)
    entries, seen = [], set()
    for view in documents:
        deliverable = occurrences.get(view.occurrence)
        folder = deliverable.name if deliverable else view.occurrence.replace("/", "-")
        if deliverable and len(deliverable.due) > 1:
            folder += f" ({view.occurrence.partition('/')[2]})"
        doc = next((d.name for d in deliverable.document_list if d.code == view.kind), view.kind) if deliverable else view.kind
        for f in view.files:
            inside = f"{folder}/{doc}/{f.original_name}".replace("\\", "_")
            inside = inside if inside not in seen else f"{folder}/{doc}/{f.id}-{f.original_name}"
            seen.add(inside)
            entries.append((f.stored_name, inside))
    name = f"{unit_code}-{plan.code}-{year}.zip"
    return StreamingResponse(_zip(portal, entries), media_type="application/zip", headers={"content-disposition": content_disposition(name)})
