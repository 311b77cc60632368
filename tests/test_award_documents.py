"""The documents of an appraisal read back with python-docx and openpyxl: what the tờ trình says (and never says),
the quyết định per grantor with its list, the certificates, and the XLSX a council works from."""

from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.shared import Pt
from openpyxl import load_workbook
from test_council_appraisal import (
    AS_OF,
    CQ,
    DEADLINE,
    choose,
    dong_thap_units,
    loc_ninh_units,
    mo_lao_units,
    person,
    plan,
    unit,
)

from documents.appraisal_files import write_appraisal_files
from documents.award_decision import write_certificates, write_decisions
from documents.proposal_letter import write_proposal_docx
from documents.proposal_list import write_proposal_xlsx
from thidua.appraisal.engine import appraise
from thidua.appraisal.export import council_rows
from thidua.appraisal.model import Action, AppraisalResult, Decision, NomineeRef
from thidua.plan.schema import Discipline, NomineeKind

MO_LAO_LEAD = ("Văn phòng UBND phường Mộ Lao kính trình Chủ tịch UBND phường Mộ Lao xem xét, tặng Giấy khen của Chủ "
               "tịch UBND phường cho các tập thể, cá nhân có thành tích xuất sắc trong phong trào thi đua cải cách hành "
               "chính năm 2023 (có danh sách kèm theo)")  # fmt: skip


def text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def cells(table) -> list[list[str]]:  # noqa: ANN001
    return [[c.text for c in row.cells] for row in table.rows]


def mo_lao() -> AppraisalResult:
    return appraise(plan("mo-lao-2023"), 2023, AS_OF, DEADLINE, mo_lao_units())


def test_nothing_to_propose_is_said_plainly_with_no_list_and_no_decision(tmp_path: Path) -> None:
    units = [unit("a", "Phòng Nội vụ", CQ, par=85), unit("b", "Phòng Y tế", CQ, par=95, discipline=Discipline.canh_cao)]
    result = appraise(plan("loc-ninh-2024-2025"), 2025, AS_OF, DEADLINE, units)
    paths = write_appraisal_files(result, tmp_path)
    assert [p.name for p in paths] == ["de-nghi-khen-thuong-loc-ninh-2024-2025-2025.xlsx", "to-trinh-loc-ninh-2024-2025-2025.docx"]
    body = text(paths[1])
    title = "Về việc kết quả thẩm định hồ sơ đề nghị khen thưởng phong trào thi đua cải cách hành chính năm 2025"
    assert title in body.replace("\n", " ")  # the title is set in balanced lines
    assert ("Qua thẩm định, không có tập thể nào đạt đủ tiêu chuẩn và điều kiện để đề nghị khen thưởng theo Kế hoạch "
            "trong phong trào thi đua cải cách hành chính năm 2025. Phòng Nội vụ kính báo cáo Chủ tịch UBND huyện Lộc "
            "Ninh để biết.") in body  # fmt: skip
    assert "danh sách kèm theo" not in body and "DANH SÁCH" not in body and "cá nhân" not in body
    assert len(Document(str(paths[1])).tables) == 2  # the header and the closing: no empty list


def test_the_letter_names_the_councils_order_and_lists_collectives_and_individuals_apart(tmp_path: Path) -> None:
    letter = write_proposal_docx(mo_lao(), tmp_path)
    body = text(letter)
    assert "và kết quả bình xét, xếp thứ tự của Hội đồng Thi đua - Khen thưởng," in body
    assert f"{MO_LAO_LEAD}: 2 tập thể; 2 cá nhân; 2 cá nhân đồng hạng ở vị trí cuối, chờ Hội đồng quyết định chọn 1." in body
    assert ("Giấy khen của Chủ tịch UBND phường, toàn kế hoạch: chọn 1 trong 2 — Cao Thị Mai, Lý Thị Oanh (cùng thứ tự "
            "bình xét của Hội đồng)") in body  # fmt: skip
    assert "I. Tập thể (2)" in body and "II. Cá nhân (3)" in body
    document = Document(str(letter))
    collectives, individuals = cells(document.tables[2]), cells(document.tables[3])
    assert collectives[0] == ["STT", "Tên tập thể", "Hạng", "Hình thức khen thưởng"]  # no PAR INDEX: none was used
    assert [row[1] for row in collectives[1:]] == ["Tư pháp - Hộ tịch", "Văn phòng - Thống kê"]
    assert individuals[0] == ["STT", "Họ và tên", "Chức vụ, đơn vị", "Sáng kiến", "Hạng", "Hình thức khen thưởng"]
    assert individuals[1:] == [
        ["1", "Đinh Văn Nam", "Chuyên viên, Tư pháp - Hộ tịch", "1", "1", "Giấy khen của Chủ tịch UBND phường"],
        ["2", "Cao Thị Mai *", "Chuyên viên, Văn phòng - Thống kê", "1", "2", "Giấy khen của Chủ tịch UBND phường"],
        ["3", "Lý Thị Oanh *", "Chuyên viên, Tư pháp - Hộ tịch", "1", "2", "Giấy khen của Chủ tịch UBND phường"],
    ]
    assert "Chỉ số CCHC" not in body + "".join(c for t in document.tables for row in cells(t) for c in row)
    # no quyết định while the tie is open
    assert write_decisions(mo_lao(), tmp_path) == [] and write_certificates(mo_lao(), tmp_path) is None


def test_individuals_get_their_own_record_in_the_decision_and_on_their_certificate(tmp_path: Path) -> None:
    oanh, mai = NomineeRef("m2", "Lý Thị Oanh"), NomineeRef("m1", "Cao Thị Mai")
    decided = appraise(plan("mo-lao-2023"), 2023, AS_OF, DEADLINE, mo_lao_units(),
                       [choose("giay_khen", NomineeKind.individual, oanh, tie=(mai, oanh))])  # fmt: skip
    [decision] = write_decisions(decided, tmp_path)
    body = text(decision)
    assert ("Điều 1. Tặng Giấy khen của Chủ tịch UBND phường cho 2 tập thể và 2 cá nhân đã có thành tích xuất sắc trong "
            "phong trào thi đua cải cách hành chính năm 2023 (có danh sách kèm theo).") in body  # fmt: skip
    assert "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017" in body
    annex = Document(str(decision)).tables[-1]
    assert cells(annex)[1:] == [
        ["1", "Đinh Văn Nam", "Chuyên viên, Tư pháp - Hộ tịch", "1", "Giấy khen của Chủ tịch UBND phường"],
        ["2", "Lý Thị Oanh", "Chuyên viên, Tư pháp - Hộ tịch", "1", "Giấy khen của Chủ tịch UBND phường"],
    ]
    certificates = Document(str(write_certificates(decided, tmp_path)))
    paragraphs = [p.text for p in certificates.paragraphs]
    starts = [i for i, t in enumerate(paragraphs) if t == "GIẤY KHEN"]
    assert [paragraphs[i + 1] for i in starts] == ["Tư pháp - Hộ tịch", "Văn phòng - Thống kê", "Đinh Văn Nam", "Lý Thị Oanh"]
    assert paragraphs[starts[3] + 2] == "Chuyên viên, Tư pháp - Hộ tịch"
    assert paragraphs[starts[0] + 2] == "UBND phường Mộ Lao"
    assert "Đã có thành tích xuất sắc trong phong trào thi đua cải cách hành chính năm 2023" in paragraphs


def test_the_annex_section_break_takes_no_room_of_its_own(tmp_path: Path) -> None:
    # A closing that ends at the foot of page 1 must not push the break onto an empty page before the annex.
    oanh, mai = NomineeRef("m2", "Lý Thị Oanh"), NomineeRef("m1", "Cao Thị Mai")
    decided = appraise(plan("mo-lao-2023"), 2023, AS_OF, DEADLINE, mo_lao_units(),
                       [choose("giay_khen", NomineeKind.individual, oanh, tie=(mai, oanh))])  # fmt: skip
    [decision] = write_decisions(decided, tmp_path)
    document = Document(str(decision))
    [carrier] = [p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.sectPr is not None]
    assert carrier.text == "" and carrier.paragraph_format.line_spacing == Pt(1)
    assert len(document.sections) == 2 and document.sections[1].start_type == WD_SECTION.NEW_PAGE


def test_one_decision_per_grantor_and_no_certificate_for_a_flag(tmp_path: Path) -> None:
    h1, h2 = NomineeRef("h1"), NomineeRef("h2")
    result = appraise(plan("dong-thap-2021-2025"), 2025, AS_OF, DEADLINE, dong_thap_units(),
                      [choose("co_thi_dua", NomineeKind.collective, h2, tie=(h1, h2))])  # fmt: skip
    flags, certificates_of_merit = write_decisions(result, tmp_path)
    assert flags.name == "quyet-dinh-dong-thap-2021-2025-2025.docx"
    assert "Điều 1. Tặng Cờ thi đua của UBND Tỉnh cho 2 tập thể đã có thành tích" in text(flags)
    assert "Bằng khen" not in text(flags)
    assert "Điều 1. Tặng Bằng khen Chủ tịch UBND Tỉnh cho 4 tập thể đã có thành tích" in text(certificates_of_merit)
    pages = [p.text for p in Document(str(write_certificates(result, tmp_path))).paragraphs]
    assert pages.count("BẰNG KHEN") == 4 and "CỜ THI ĐUA" not in pages


def test_the_xlsx_reads_as_a_council_worksheet(tmp_path: Path) -> None:
    units = [
        unit("m1", "=HYPERLINK(\"http://x\")", "ban-nganh", rank=1, people=(person("+84 Nguyễn Văn An", rank=1),)),
        unit("m2", "@SUM(A1)", "ban-nganh", facts=False),
    ]
    result = appraise(plan("mo-lao-2023"), 2023, AS_OF, DEADLINE, units)
    book = load_workbook(write_proposal_xlsx(result, tmp_path))
    assert book.sheetnames == ["Đề nghị khen thưởng", "Quyết định và lý do", "Xếp hạng thứ tự bình xét", "Thiếu chỉ tiêu", "Hội đồng quyết định"]
    for sheet in book:
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A8:"), sheet.title
        assert [sheet.cell(r, 1).value for r in range(2, 7)] == [
            "Kế hoạch: Kế hoạch tổ chức phong trào thi đua đẩy mạnh Cải cách hành chính năm 2023 (mo-lao-2023)",
            "Năm: 2023",
            "Số liệu tính đến: Thứ Bảy, 20/12/2025",
            "Hạn nộp hồ sơ: Thứ Hai, 01/12/2025 — hết ngày 01/12/2025",
            "Xếp hạng theo: thứ tự bình xét của Hội đồng",
        ]
    # text that a spreadsheet would take for a formula is stored as text
    names = [book["Quyết định và lý do"].cell(r, 3) for r in range(9, 12)]
    assert [(c.value, c.data_type) for c in names] == [
        ("=HYPERLINK(\"http://x\")", "s"), ("+84 Nguyễn Văn An", "s"), ("@SUM(A1)", "s"),
    ]  # fmt: skip
    # pools left short: one collective for 1–2 seats; one individual for 1–2
    short = [[c.value for c in row] for row in book["Thiếu chỉ tiêu"].iter_rows(min_row=9)]
    assert short == [
        ["Giấy khen của Chủ tịch UBND phường", "tập thể", "toàn kế hoạch", 2, 1, 1, 0, "còn 1 suất: không đủ đối tượng đủ điều kiện"],
        ["Giấy khen của Chủ tịch UBND phường", "cá nhân", "toàn kế hoạch", 2, 1, 1, 0, "còn 1 suất: không đủ đối tượng đủ điều kiện"],
    ]


def test_par_cells_are_numbers_and_ranks_are_worded_as_they_are(tmp_path: Path) -> None:
    result = appraise(plan("dong-thap-2021-2025"), 2025, AS_OF, DEADLINE, dong_thap_units())
    sheet = load_workbook(write_proposal_xlsx(result, tmp_path))["Quyết định và lý do"]
    rows = {(r[0], r[2]): r for r in sheet.iter_rows(min_row=9, values_only=True)}
    s2 = rows[("Bằng khen Chủ tịch UBND Tỉnh", "Sở Tư pháp")]
    assert (s2[5], s2[6], s2[7]) == (0.93, 2, "hạng 2 trong nhóm Sở, ngành tỉnh; hạng 1 nhận Cờ thi đua của UBND Tỉnh")
    formats = {c.number_format for row in sheet.iter_rows(min_row=9, min_col=6, max_col=6) for c in row if c.value != ""}
    assert formats == {"0%"}  # PAR INDEX values given without decimals: a number shown as "93%"


def test_the_council_sheet_keeps_every_decision_with_its_standing(tmp_path: Path) -> None:
    # Lộc Ninh, 2 seats: a withdrawn (in force); e added at 09:00 then withdrawn at 10:00 (the addition is
    # superseded, the withdrawal in force, e is off the list); a choice in a tie that no longer exists (stale).
    two = plan("loc-ninh-2024-2025", ("quota: {max: 6}", "quota: {max: 2}"))
    at = [datetime(2025, 12, 22, hour, tzinfo=UTC) for hour in (1, 2, 3, 4)]
    decisions = [
        Decision(Action.withdraw, "giay_khen", NomineeKind.collective, (NomineeRef("a"),), "đang bị thanh tra", "Thư ký", at[0]),
        Decision(Action.add, "giay_khen", NomineeKind.collective, (NomineeRef("e"),), "đề nghị của tổ", "Thư ký", at[1]),
        Decision(Action.withdraw, "giay_khen", NomineeKind.collective, (NomineeRef("e"),), "chưa có sáng kiến", "Thư ký", at[2]),
        Decision(Action.choose, "giay_khen", NomineeKind.collective, (NomineeRef("b"),), "cũ", "Thư ký", at[3],
                 (NomineeRef("b"), NomineeRef("x"))),
    ]  # fmt: skip
    result = appraise(two, 2025, AS_OF, DEADLINE, loc_ninh_units(), decisions)
    assert [line.candidate.unit.code for line in result.listed] == ["b", "c"]
    assert result.stale == (decisions[3],)
    rows = [(r["Việc"], r["Các đối tượng"], r["Tình trạng"], r["Lý do"]) for r in council_rows(result)]
    assert rows == [
        ("rút khỏi danh sách", "a", "đang áp dụng", "đang bị thanh tra"),
        ("bổ sung vào danh sách", "e", "đã được thay bằng quyết định sau", "đề nghị của tổ"),
        ("rút khỏi danh sách", "e", "đang áp dụng", "chưa có sáng kiến"),
        ("chọn khi đồng hạng", "b, x", "không còn áp dụng", "cũ"),
    ]
    body = text(write_proposal_docx(result, tmp_path))
    assert ("Theo quyết định của Hội đồng Thi đua - Khen thưởng: Giấy khen của Chủ tịch UBND huyện: rút khỏi danh sách "
            "Phòng Nội vụ (đang bị thanh tra); Giấy khen của Chủ tịch UBND huyện: rút khỏi danh sách Phòng Y tế (chưa có "
            "sáng kiến).") in body  # fmt: skip
