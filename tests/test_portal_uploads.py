"""Uploads through a unit's link: checked from content, size-limited, stored under content names, recorded as
receipts (late ones as late), confirmed on the page and by message; the last document completes the
deliverable; a rejection sends the reason and the link and makes the document missing again."""

import hashlib
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from portal_fixture import PLAN, UNIT, YEAR, PortalUnderTest, portal_under_test  # noqa: F401
from sqlmodel import Session, select

from documents.samples import sample_docx, sample_pdf, sample_png, sample_xlsx
from models import DocumentFile, OutboxMessage, Registrant, SubmittedDocument
from models.queries.cycle import load_state
from services.plans import find_plan
from thidua.dates import TZ
from web.sniff import sniff

PDF = sample_pdf("To trinh")


def _sniffed(tmp_path: Path, content: bytes) -> str | None:
    path = tmp_path / "f"
    path.write_bytes(content)
    return sniff(path).kind


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"wordprocessingml.document.main+xml")
        archive.writestr("word/document.xml", b"0" * (210 * 1024 * 1024))
    return buffer.getvalue()


def test_types_are_read_from_content_docx_and_xlsx_told_apart_bombs_and_impostors_refused(tmp_path: Path) -> None:
    assert [_sniffed(tmp_path, c) for c in (PDF, sample_docx("Biên bản"), sample_xlsx("Bảng"), sample_png(), b"\xff\xd8\xff\xe0jpeg")] == [
        "pdf", "docx", "xlsx", "png", "jpeg",
    ]  # fmt: skip
    only_part = io.BytesIO()
    with zipfile.ZipFile(only_part, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    for bad in (b"MZ\x90\x00exe", b"<html><script>", PDF[:-10], b"\xd0\xcf\x11\xe0old doc", only_part.getvalue(), _bomb()):
        assert _sniffed(tmp_path, bad) is None


def test_an_upload_is_stored_under_its_content_name_and_keeps_its_vietnamese_name(portal: PortalUnderTest) -> None:
    response = portal.upload(portal.link(), "to_trinh", [("C:\\Users\\An\\../../Tờ trình Lộc Thái.pdf", PDF)])
    assert response.status_code == 303
    page = portal.client.get(response.headers["location"]).text
    assert "Đã nhận «Tờ trình đề nghị khen thưởng của cơ quan, đơn vị» lúc 14:05, Thứ Năm, 20/11/2025" in page
    assert "Tờ trình Lộc Thái.pdf" in page
    with Session(portal.engine) as session:
        (stored,) = session.exec(select(DocumentFile)).all()
    digest = hashlib.sha256(PDF).hexdigest()
    assert (stored.stored_name, stored.original_name, stored.content_type) == (f"{digest}.pdf", "Tờ trình Lộc Thái.pdf", "pdf")
    assert (portal.plans.parent / "data" / "uploads" / digest[:2] / f"{digest}.pdf").read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "content", "status", "says"),
    [
        ("Tờ trình.pdf", b"MZ\x90\x00 not a pdf", 415, "Tệp «Tờ trình.pdf» không được nhận"),
        ("lớn.pdf", sample_pdf("x", size=250_000), 413, "Tệp «lớn.pdf» vượt quá 200 KB"),
        ("rỗng.pdf", b"", 400, "Tệp «rỗng.pdf» rỗng"),
    ],
)
def test_a_refused_file_refuses_the_whole_upload_and_names_the_file(portal: PortalUnderTest, name: str, content: bytes, status: int, says: str) -> None:
    response = portal.upload(portal.link(), "to_trinh", [("tốt.pdf", PDF), (name, content)])
    assert response.status_code == status and says in response.text
    with Session(portal.engine) as session:
        assert session.exec(select(SubmittedDocument)).all() == [] and session.exec(select(DocumentFile)).all() == []
    assert not any(p.is_file() for p in (portal.plans.parent / "data" / "uploads").rglob("*"))


def test_the_limit_per_deliverable_counts_what_was_handed_in_before(portal: PortalUnderTest) -> None:
    link = portal.link()
    big = [sample_pdf(f"tep {i}", size=190_000) for i in range(3)]
    assert portal.upload(link, "to_trinh", [("1.pdf", big[0]), ("2.pdf", big[1])]).status_code == 303
    refused = portal.upload(link, "bien_ban", [("3.pdf", big[2])])  # 380 KB + 190 KB > 500 KB
    assert refused.status_code == 413 and "phần còn lại của việc phải nộp" in refused.text
    assert portal.upload(link, "bao_cao_ket_qua", [("3.pdf", big[2])], occurrence="bao_cao_ket_qua/report_deadline").status_code == 303


def test_the_last_document_completes_the_dossier_and_stops_the_ladder(portal: PortalUnderTest) -> None:
    link = portal.link()
    assert portal.upload(link, "to_trinh", [("Tờ trình.pdf", PDF)]).status_code == 303
    page = portal.client.get(portal.upload(link, "bien_ban", [("Biên bản.docx", sample_docx("Biên bản"))]).headers["location"]).text
    assert "Còn thiếu: Báo cáo thành tích của tập thể đề nghị khen thưởng." in page
    final = portal.upload(link, "bao_cao_thanh_tich", [("Báo cáo.xlsx", sample_xlsx("Báo cáo"))])
    page = portal.client.get(final.headers["location"]).text
    assert "đã đủ" in page and "Đơn vị không còn nhận tin nhắc hạn về việc này" in page
    with Session(portal.engine) as session:
        state = load_state(session, find_plan(PLAN), YEAR, date(2025, 11, 24))
        confirmations = session.exec(select(OutboxMessage).where(OutboxMessage.unit_code == UNIT).order_by(OutboxMessage.id)).all()
    (unit,) = [s for s in state.units if s.unit.code == UNIT]
    assert not unit.behind("ho_so_khen_thuong/submission_deadline") and unit.behind("bao_cao_ket_qua/report_deadline")
    assert [m.step for m in confirmations] == [
        "receipt-missing-bien_ban-bao_cao_thanh_tich", "receipt-missing-bao_cao_thanh_tich", "receipt-complete",
    ]  # fmt: skip
    assert "đã nhận lúc 14:05, Thứ Năm, 20/11/2025" in confirmations[-1].body_text
    assert f"http://testserver{link}" in confirmations[-1].body_text and confirmations[-1].payload["link"] == f"http://testserver{link}"


def test_a_late_upload_is_recorded_as_late_not_refused(portal: PortalUnderTest) -> None:
    portal.clock.now = datetime(2025, 12, 3, 9, 30, tzinfo=TZ)  # after the deadline of Monday 01/12/2025
    link = portal.link()
    for kind in ("to_trinh", "bien_ban", "bao_cao_thanh_tich"):
        assert portal.upload(link, kind, [(f"{kind}.pdf", sample_pdf(kind))]).status_code == 303
    page = portal.client.get(link).text
    assert "đã đủ — nộp muộn" in page
    with Session(portal.engine) as session:
        state = load_state(session, find_plan(PLAN), YEAR, date(2025, 12, 3))
    (unit,) = [s for s in state.units if s.unit.code == UNIT]
    assert unit.deliveries["ho_so_khen_thuong/submission_deadline"].state.late


def test_a_rejection_tells_the_unit_why_with_its_link_and_the_document_is_missing_again(portal: PortalUnderTest) -> None:
    link = portal.link()
    for kind in ("to_trinh", "bien_ban", "bao_cao_thanh_tich"):
        portal.upload(link, kind, [(f"{kind}.pdf", sample_pdf(kind))])
    portal.admin_login()
    with Session(portal.engine) as session:
        document = session.exec(select(SubmittedDocument).where(SubmittedDocument.kind == "bien_ban")).one()
    action = f"/admin/{PLAN}/{YEAR}/{UNIT}/quyet-dinh"
    page = portal.client.get(f"/admin/{PLAN}/{YEAR}/{UNIT}").text
    no_reason = portal.client.post(action, data={"bao_ve": portal.guard(page, action), "tai_lieu": str(document.id), "quyet_dinh": "tra-lai"})
    assert no_reason.status_code == 400 and "phải ghi rõ lý do" in no_reason.text
    reason = "Biên bản thiếu chữ ký của Chủ tịch Hội đồng"
    data = {"bao_ve": portal.guard(page, action), "tai_lieu": str(document.id), "quyet_dinh": "tra-lai", "ly_do": reason}
    assert portal.client.post(action, data=data, follow_redirects=False).status_code == 303
    with Session(portal.engine) as session:
        (notice,) = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "document_rejected")).all()
        state = load_state(session, find_plan(PLAN), YEAR, date(2025, 11, 20))
    assert notice.unit_code == UNIT and f"Lý do: {reason}" in notice.body_text and f"http://testserver{link}" in notice.body_text
    assert notice.subject.startswith("[Trả lại tài liệu] UBND xã Lộc Thái: Biên bản họp Hội đồng")
    (unit,) = [s for s in state.units if s.unit.code == UNIT]
    assert unit.deliveries["ho_so_khen_thuong/submission_deadline"].state.missing == ("bien_ban",)
    unit_page = portal.client.get(link).text
    assert f"Bị trả lại: {reason}" in unit_page and "Nộp lại" in unit_page
    # the replacement completes the dossier again, is confirmed again, and the old file is no longer current
    portal.upload(link, "bien_ban", [("Biên bản có chữ ký.pdf", sample_pdf("bien ban 2"))])
    with Session(portal.engine) as session:
        files = session.exec(select(DocumentFile.original_name, DocumentFile.current).order_by(DocumentFile.id)).all()
        steps = session.exec(select(OutboxMessage.step).where(OutboxMessage.kind == "dossier_received")).all()
    assert ("bien_ban.pdf", False) in files and ("Biên bản có chữ ký.pdf", True) in files
    assert sorted(steps) == ["receipt-complete", "receipt-complete@1"]


def test_downloads_keep_the_vietnamese_name_and_a_unit_zip_holds_every_current_file(portal: PortalUnderTest) -> None:
    link = portal.link()
    portal.upload(link, "to_trinh", [("Tờ trình Lộc Thái.pdf", PDF)])
    portal.upload(link, "bien_ban", [("Biên bản.docx", sample_docx("Biên bản"))])
    portal.admin_login()
    with Session(portal.engine) as session:
        first = session.exec(select(DocumentFile).order_by(DocumentFile.id)).first()
    assert first is not None
    download = portal.client.get(f"/admin/tep/{first.id}")
    assert download.content == PDF and download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"To trinh Loc Thai.pdf\"; filename*=UTF-8''T%E1%BB%9D%20tr%C3%ACnh%20L%E1%BB%99c%20Th%C3%A1i.pdf"
    )
    archive = zipfile.ZipFile(io.BytesIO(portal.client.get(f"/admin/{PLAN}/{YEAR}/{UNIT}/ho-so.zip").content))
    assert sorted(archive.namelist()) == [
        "Hồ sơ đề nghị khen thưởng/Biên bản họp Hội đồng Thi đua - Khen thưởng của cơ quan, đơn vị/Biên bản.docx",
        "Hồ sơ đề nghị khen thưởng/Tờ trình đề nghị khen thưởng của cơ quan, đơn vị/Tờ trình Lộc Thái.pdf",
    ]
    assert archive.read(sorted(archive.namelist())[1]) == PDF


def test_registration_and_individual_nominees_through_the_link(portal: PortalUnderTest) -> None:
    link = portal.link()
    page = portal.client.get(link).text
    data = {"bao_ve": portal.guard(page, f"{link}/dang-ky"), "ten": ["Nguyễn Văn An", "", "Trần Thị Bình"], "chuc_vu": ["Chủ tịch UBND xã", "", "Công chức"]}
    response = portal.client.post(f"{link}/dang-ky", data=data)
    assert response.status_code == 200 and "Đã ghi nhận đăng ký thi đua của đơn vị" in response.text
    assert "Nguyễn Văn An — Chủ tịch UBND xã" in response.text and "đã đăng ký — nộp muộn" in response.text
    with Session(portal.engine) as session:
        assert session.exec(select(Registrant.name, Registrant.position).order_by(Registrant.id)).all() == [
            ("Nguyễn Văn An", "Chủ tịch UBND xã"), ("Trần Thị Bình", "Công chức"),
        ]  # fmt: skip
    assert "Cá nhân đề nghị khen thưởng" not in response.text  # Lộc Ninh awards collectives only


def test_a_unit_names_individual_nominees_where_the_plan_awards_individuals_and_their_documents_are_then_owed(portal: PortalUnderTest) -> None:
    plan_file = portal.plans / "loc-ninh-2024-2025.yaml"
    text = plan_file.read_text(encoding="utf-8").replace("  individuals: []", "  individuals: [ubnd-xa]")
    individual_report = (
        "      - code: bao_cao_ca_nhan\n        name: Báo cáo thành tích của cá nhân đề nghị khen thưởng\n        for: [individual]\n"
    )
    text = text.replace("        form: Mẫu số 08, Phụ lục kèm theo Nghị định số 98/2023/NĐ-CP ngày 31/12/2023\n",
                        "        form: Mẫu số 08, Phụ lục kèm theo Nghị định số 98/2023/NĐ-CP ngày 31/12/2023\n" + individual_report, 1)  # fmt: skip
    plan_file.write_text(text, encoding="utf-8")
    portal.client.app.state.portal._plans = (-100.0, {})  # read the changed plan now
    link = portal.link()
    page = portal.client.get(link).text
    assert "Cá nhân đề nghị khen thưởng" in page and "Báo cáo thành tích của cá nhân" not in page
    action = f"{link}/de-nghi/ho_so_khen_thuong/submission_deadline"
    response = portal.client.post(action, data={"bao_ve": portal.guard(page, action), "ten": "  Trần   Thị Bình "})
    assert response.status_code == 200 and "Đã ghi nhận cá nhân đề nghị khen thưởng" in response.text
    assert "<li>Trần Thị Bình</li>" in response.text
    missing = response.text.split("Còn thiếu: ", 1)[1].split("</p>", 1)[0]
    assert missing.startswith("Tờ trình") and missing.endswith("Báo cáo thành tích của cá nhân đề nghị khen thưởng.")  # the unit's own and the nominee's


def test_an_accepted_document_takes_no_more_files_and_nothing_is_stored(portal: PortalUnderTest) -> None:
    link = portal.link()
    portal.upload(link, "to_trinh", [("a.pdf", PDF)])
    with Session(portal.engine) as session:
        document = session.exec(select(SubmittedDocument)).one()
        document.status = "accepted"
        session.add(document)
        session.commit()
    action = f"{link}/nop/ho_so_khen_thuong/submission_deadline/to_trinh"
    refused = portal.client.post(action, files=[("tep", ("b.pdf", sample_pdf("khac")))])  # refused before any byte is read
    assert refused.status_code == 409 and "đã được cơ quan thường trực chấp nhận" in refused.text
    assert 'action="' + action not in portal.client.get(link).text  # no form for it any more
    stored = [p.name for p in (portal.plans.parent / "data" / "uploads").rglob("*.pdf")]
    assert stored == [f"{hashlib.sha256(PDF).hexdigest()}.pdf"]
