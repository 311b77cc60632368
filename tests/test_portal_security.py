"""The portal's security cases over HTTP: one unit's link opens nothing of another's; tampered, expired and revoked
links get a Vietnamese page; forms need their guard and this site; bad links are rate-limited; nothing lists
units; the administrator's side needs a login; every upload and decision is in the audit trail."""

from datetime import datetime

from portal_fixture import OTHER, PLAN, UNIT, YEAR, PortalUnderTest, portal_under_test  # noqa: F401
from sqlmodel import Session, select

from documents.samples import sample_pdf
from models import AuditEntry, DocumentFile, SubmittedDocument
from models.db import session_scope
from services.links import revoke
from services.plans import find_plan
from thidua.dates import TZ

PDF = sample_pdf("To trinh")


def _documents(portal: PortalUnderTest) -> list[SubmittedDocument]:
    with Session(portal.engine) as session:
        return list(session.exec(select(SubmittedDocument)))


def test_a_units_link_shows_only_that_unit_and_cannot_post_for_another(portal: PortalUnderTest) -> None:
    mine, theirs = portal.link(UNIT), portal.link(OTHER)
    page = portal.client.get(mine).text
    assert "UBND xã Lộc Thái" in page and "Lộc Tấn" not in page and OTHER not in page
    # a guard token of B's page does not work on A's link, and the upload goes nowhere
    action = f"{mine}/nop/ho_so_khen_thuong/submission_deadline/to_trinh"
    their_guard = portal.guard(portal.client.get(theirs).text, f"{theirs}/nop/ho_so_khen_thuong/submission_deadline/to_trinh")
    response = portal.client.post(action, data={"bao_ve": their_guard}, files=[("tep", ("a.pdf", PDF))])
    assert response.status_code == 403 and "Mã bảo vệ biểu mẫu không dùng được" in response.text
    assert _documents(portal) == []
    # A's own upload lands on A only
    assert portal.upload(mine, "to_trinh", [("a.pdf", PDF)]).status_code == 303
    with Session(portal.engine) as session:
        owners = session.exec(select(AuditEntry.unit_code, AuditEntry.link).where(AuditEntry.action == "upload")).all()
    assert owners == [(UNIT, f"{PLAN}/{YEAR}/{UNIT}#0")]
    assert "a.pdf" not in portal.client.get(theirs).text


def test_tampered_unknown_expired_and_revoked_links_get_a_vietnamese_page(portal: PortalUnderTest) -> None:
    link = portal.link()
    token = link.removeprefix("/u/")
    payload, _, signature = token.partition(".")
    tampered = portal.client.get(f"/u/{payload[:-2]}AA.{signature}")
    assert tampered.status_code == 404 and "Liên kết không hợp lệ" in tampered.text and "Traceback" not in tampered.text
    assert portal.client.get(link[:-10]).status_code == 404  # cut short in a chat
    portal.clock.now = datetime(2026, 3, 17, 0, 0, 1, tzinfo=TZ)  # the 2025 cycle closed at the end of 16/03/2026
    expired = portal.client.get(link)
    assert expired.status_code == 410 and "Đợt thi đua đã kết thúc" in expired.text and "16/03/2026" in expired.text
    portal.clock.now = datetime(2026, 3, 16, 23, 59, tzinfo=TZ)
    assert portal.client.get(link).status_code == 200
    with session_scope(portal.engine) as session:
        revoke(session, find_plan(PLAN), YEAR, UNIT, "quản trị viên thử", portal.clock())
    revoked = portal.client.get(link)
    assert revoked.status_code == 410 and "đã được thay thế" in revoked.text
    assert portal.client.get(portal.link()).status_code == 200  # the new link works


def test_forms_need_their_guard_token_and_this_site(portal: PortalUnderTest) -> None:
    link = portal.link()
    action = f"{link}/nop/ho_so_khen_thuong/submission_deadline/to_trinh"
    page = portal.client.get(link).text
    guard = portal.guard(page, action)
    other_form = portal.guard(page, f"{link}/dang-ky")
    files = [("tep", ("a.pdf", PDF))]
    assert portal.client.post(action, files=files).status_code == 403  # no guard
    assert portal.client.post(action, data={"bao_ve": other_form}, files=files).status_code == 403  # another form's
    assert portal.client.post(action, data={"bao_ve": guard}, files=files, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert portal.client.post(action, data={"bao_ve": guard}, files=files, headers={"origin": "https://evil.example"}).status_code == 403
    register = portal.client.post(f"{link}/dang-ky", data={"bao_ve": "", "ten": "Nguyễn Văn An"})
    assert register.status_code == 403 and "thiếu mã bảo vệ" in register.text
    assert _documents(portal) == []
    with Session(portal.engine) as session:
        assert session.exec(select(DocumentFile)).all() == []
    assert not any(p.is_file() for p in (portal.plans.parent / "data" / "uploads").rglob("*"))  # no byte stored
    assert portal.client.post(action, data={"bao_ve": guard}, files=files, follow_redirects=False).status_code == 303


def test_repeated_bad_links_are_refused_for_a_while_but_only_from_that_address(portal: PortalUnderTest, monkeypatch) -> None:
    monkeypatch.setattr(portal.client.app.state.portal.settings, "bad_token_limit", 5)
    good = portal.link()
    for i in range(5):
        assert portal.client.get(f"/u/rac-{i}").status_code == 404
    refused = portal.client.get(good)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0 and "quá nhiều lần" in refused.text
    from fastapi.testclient import TestClient

    elsewhere = TestClient(portal.client.app, client=("203.0.113.9", 5000))
    assert elsewhere.get(good).status_code == 200


def test_revoked_and_expired_links_do_not_count_as_bad(portal: PortalUnderTest, monkeypatch) -> None:
    monkeypatch.setattr(portal.client.app.state.portal.settings, "bad_token_limit", 2)
    old = portal.link()
    with session_scope(portal.engine) as session:
        revoke(session, find_plan(PLAN), YEAR, UNIT, "quản trị viên thử", portal.clock())
    for _ in range(3):
        assert portal.client.get(old).status_code == 410
    assert portal.client.get(portal.link()).status_code == 200


def test_nothing_lists_units_and_the_admin_side_needs_a_login(portal: PortalUnderTest) -> None:
    for path in ("/", "/u/", "/u", "/admin/tep/1", "/docs", "/openapi.json"):
        response = portal.client.get(path, follow_redirects=False)
        assert response.status_code in (303, 404), path
        assert UNIT not in response.text and "Traceback" not in response.text
    assert portal.client.get("/admin/tep/1", follow_redirects=False).headers["location"] == "/admin/dang-nhap"
    assert portal.client.get(f"/admin/{PLAN}/{YEAR}", follow_redirects=False).headers["location"] == "/admin/dang-nhap"
    page = portal.client.get("/admin/dang-nhap").text
    wrong = portal.client.post("/admin/dang-nhap", data={"bao_ve": portal.guard(page, "/admin/dang-nhap"), "ten": "hoa", "mat_khau": "sai"})
    assert wrong.status_code == 401 and "không đúng" in wrong.text
    portal.admin_login()
    overview = portal.client.get(f"/admin/{PLAN}/{YEAR}")
    assert overview.status_code == 200 and "UBND xã Lộc Thái" in overview.text and "UBND xã Lộc Tấn" in overview.text


def test_every_response_carries_the_security_headers(portal: PortalUnderTest) -> None:
    response = portal.client.get(portal.link())
    assert response.headers["referrer-policy"] == "same-origin" and response.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"] and "script-src" not in response.headers["content-security-policy"]
    assert "<script" not in response.text


def test_uploads_and_decisions_are_in_the_audit_trail_with_who_when_and_which_link(portal: PortalUnderTest) -> None:
    link = portal.link()
    assert portal.upload(link, "to_trinh", [("Tờ trình Lộc Thái.pdf", PDF)]).status_code == 303
    portal.admin_login()
    (document,) = _documents(portal)
    page = portal.client.get(f"/admin/{PLAN}/{YEAR}/{UNIT}").text
    action = f"/admin/{PLAN}/{YEAR}/{UNIT}/quyet-dinh"
    response = portal.client.post(action, data={"bao_ve": portal.guard(page, action), "tai_lieu": str(document.id), "quyet_dinh": "chap-nhan"}, follow_redirects=False)
    assert response.status_code == 303
    with Session(portal.engine) as session:
        trail = [(e.action, e.actor, e.link, e.at) for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]
        (upload_ip,) = session.exec(select(AuditEntry.ip).where(AuditEntry.action == "upload")).all()
    assert upload_ip == "testclient"  # the address the upload came from
    assert [(a, actor, link) for a, actor, link, _ in trail] == [
        ("upload", f"đơn vị {UNIT} (đường dẫn riêng)", f"{PLAN}/{YEAR}/{UNIT}#0"),
        ("accept", "quản trị viên hoa", None),
    ]
    assert all(at == portal.clock() for *_, at in trail)


def test_the_admin_side_is_off_without_accounts(portal: PortalUnderTest, monkeypatch) -> None:
    monkeypatch.setattr(portal.client.app.state.portal.admins, "_users", {})
    for path in ("/admin", "/admin/dang-nhap", f"/admin/{PLAN}/{YEAR}"):
        response = portal.client.get(path)
        assert response.status_code == 503 and "Trang quản trị chưa bật" in response.text and "THIDUA_ADMIN_USERS" in response.text
