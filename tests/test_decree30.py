"""Layout of administrative documents after Decree 30/2020/NĐ-CP, Phụ lục I, read back from the .docx XML."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from documents.decree30 import (
    FONT,
    MOTTO,
    NATION,
    AdminDocument,
    Certificate,
    Column,
    certificates,
    clean,
    day_text,
    number_text,
    text_width_cm,
)

PLACE, DAY = "Lộc Ninh", date(2024, 12, 9)
TITLE = "Về việc đề nghị tặng Giấy khen cho các tập thể có thành tích xuất sắc trong phong trào thi đua năm 2024"
COLUMNS = [Column("STT", 1.4, center=True), Column("Tên tập thể", 8.1), Column("Chỉ số CCHC", 3.0, center=True),
           Column("Hình thức", 4.0, center=True)]  # fmt: skip
ROWS = [("1", "Phòng Tài chính - Kế hoạch", "96,40%", "Giấy khen"), ("2", "Phòng Tư pháp", "94,10%", "Giấy khen")]


def letter(**changes: object) -> AdminDocument:
    """A complete tờ trình, saved and read back."""
    fields: dict = dict(
        agency_parent="UBND huyện Lộc Ninh", agency="Phòng Nội vụ", number=5, symbol="TTr-PNV", place=PLACE, day=DAY,
        kind="Tờ trình", title=TITLE, recipients=["Chủ tịch Ủy ban nhân dân huyện Lộc Ninh"],
    )  # fmt: skip
    document = AdminDocument(**{**fields, **changes})
    document.add_header()
    document.add_title()
    document.add_recipients()
    document.add_paragraph("Căn cứ Kế hoạch số 158/KH-UBND ngày 19 tháng 7 năm 2024 của Ủy ban nhân dân huyện Lộc Ninh;")
    document.add_paragraph("Phòng Nội vụ kính trình Chủ tịch Ủy ban nhân dân huyện xem xét, tặng Giấy khen như sau:")
    document.add_table(COLUMNS, ROWS)
    document.add_closing(["Như trên"], "VT, NV", ["Trưởng phòng"], "Trần Thị Bình")
    return document


def reread(document: DocxDocument) -> DocxDocument:
    buffer = BytesIO()
    document.save(buffer)
    return Document(BytesIO(buffer.getvalue()))


def cm(twips: str | int) -> float:
    return int(twips) * 2.54 / 1440


def grid_cm(table: Table) -> list[float]:
    return [cm(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def borders(table: Table) -> set[str]:
    return {side.get(qn("w:val")) for side in table._tbl.tblPr.find(qn("w:tblBorders"))}


def text_width(docx: DocxDocument) -> float:
    section = docx.sections[0]
    return Length(section.page_width - section.left_margin - section.right_margin).cm


def has_rule(paragraph: Paragraph) -> bool:
    """Whether the paragraph draws a solid line as its top border."""
    top = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:top')}")
    return top is not None and top.get(qn("w:val")) == "single"


def rule_cm(paragraph: Paragraph, width_cm: float) -> float:
    """The length of the rule `paragraph` draws across `width_cm` less its indents."""
    assert has_rule(paragraph)
    fmt = paragraph.paragraph_format
    return width_cm - fmt.left_indent.cm - fmt.right_indent.cm


def next_paragraph(paragraphs: list[Paragraph], paragraph: Paragraph) -> Paragraph:
    return paragraphs[[p._p for p in paragraphs].index(paragraph._p) + 1]


def widest_line(paragraph: Paragraph, size: float, bold: bool) -> float:
    return max(text_width_cm(line, size, bold=bold) for line in paragraph.text.split("\n"))


def test_a4_portrait_with_the_decree_margins() -> None:
    section = reread(letter().docx).sections[0]
    assert (round(section.page_width.cm, 2), round(section.page_height.cm, 2)) == (21.0, 29.7)
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert 2.0 <= round(section.top_margin.cm, 2) <= 2.5 and 2.0 <= round(section.bottom_margin.cm, 2) <= 2.5
    assert 3.0 <= round(section.left_margin.cm, 2) <= 3.5 and 1.5 <= round(section.right_margin.cm, 2) <= 2.0


def test_header_columns_are_unequal_and_fill_the_text_width() -> None:
    docx = reread(letter().docx)
    left, right = grid_cm(docx.tables[0])
    assert left + right == pytest.approx(text_width(docx), abs=0.002)
    assert 0.35 <= left / (left + right) <= 0.45 and right >= 9.5
    assert borders(docx.tables[0]) == {"nil"}  # a layout grid, not a drawn one
    for row in docx.tables[0].rows:
        assert [round(cm(c._tc.tcPr.tcW.get(qn("w:w"))), 3) for c in row.cells] == [round(left, 3), round(right, 3)]


def test_national_name_and_motto_each_fit_one_line_in_their_cell() -> None:
    docx = reread(letter().docx)
    cell = docx.tables[0].rows[0].cells[1]
    width = grid_cm(docx.tables[0])[1]
    nation, motto = cell.paragraphs[:2]
    assert nation.text == NATION and motto.text == MOTTO == "Độc lập - Tự do - Hạnh phúc"
    assert [r.font.size for r in nation.runs] == [Pt(13)] and all(r.font.bold for r in nation.runs)
    assert 13 <= motto.runs[0].font.size.pt <= 14 and motto.runs[0].font.bold
    assert text_width_cm(NATION, 13, bold=True) <= width  # cell margins are 0 in the header
    assert text_width_cm(MOTTO, motto.runs[0].font.size.pt, bold=True) <= width
    assert text_width_cm(NATION, 13, bold=True) == pytest.approx(9.50, abs=0.1)  # Liberation Serif Bold, measured


def test_solid_rules_under_the_agency_name_the_motto_and_the_title() -> None:
    docx = reread(letter().docx)
    left_width, right_width = grid_cm(docx.tables[0])
    left, right = docx.tables[0].rows[0].cells
    agency, agency_rule = left.paragraphs[1], left.paragraphs[2]
    assert agency.text == "PHÒNG NỘI VỤ" and agency.runs[0].font.bold
    assert 1 / 3 <= rule_cm(agency_rule, left_width) / widest_line(agency, 13, True) <= 1 / 2
    assert rule_cm(right.paragraphs[2], right_width) == pytest.approx(text_width_cm(MOTTO, 14, bold=True), abs=0.02)
    title = next(p for p in docx.paragraphs if p.text.replace("\n", " ") == TITLE)
    assert "\n" in title.text and all(r.font.bold for r in title.runs)
    title_rule = next_paragraph(docx.paragraphs, title)
    assert 1 / 3 <= rule_cm(title_rule, text_width(docx)) / widest_line(title, 14, True) <= 1 / 2
    assert not any("_" in p.text for p in docx.paragraphs)  # rules are borders, not underscores


def test_a_long_agency_name_breaks_into_balanced_lines_under_one_rule() -> None:
    left = reread(letter(agency_parent="", agency="Ủy ban nhân dân huyện Lộc Ninh").docx).tables[0].rows[0].cells[0]
    assert left.paragraphs[0].text == "ỦY BAN NHÂN DÂN\nHUYỆN LỘC NINH"
    assert has_rule(left.paragraphs[1])


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
        (date(2025, 10, 1), "ngày 01 tháng 10 năm 2025"),
        (date(2025, 12, 15), "ngày 15 tháng 12 năm 2025"),
    ],
)
def test_day_has_a_leading_zero_below_10_and_in_months_1_and_2(day: date, expected: str) -> None:
    assert day_text(day) == expected


def test_number_and_italic_date_line_on_the_same_row() -> None:
    number, dated = reread(letter().docx).tables[0].rows[1].cells
    assert number.text == "Số: 05/TTr-PNV" and number.paragraphs[0].runs[0].font.size == Pt(13)
    assert dated.text == "Lộc Ninh, ngày 09 tháng 12 năm 2024"
    assert all(r.font.italic and 13 <= r.font.size.pt <= 14 for r in dated.paragraphs[0].runs)
    draft = reread(letter(number=None, day=None).docx).tables[0].rows[1].cells
    assert draft[0].text == "Số:       /TTr-PNV" and draft[1].text == "Lộc Ninh, ngày      tháng      năm      "
    assert number_text(123, "QĐ-UBND") == "123/QĐ-UBND"


def test_body_is_times_new_roman_13_to_14_justified_indented_and_spaced() -> None:
    docx = reread(letter().docx)
    normal = docx.styles["Normal"]
    assert normal.font.name == FONT and normal.element.rPr.rFonts.get(qn("w:eastAsia")) == FONT
    assert 13 <= normal.font.size.pt <= 14
    runs = [r for p in docx.paragraphs for r in p.runs] + [
        r for t in docx.tables for c in t._cells for p in c.paragraphs for r in p.runs
    ]
    assert all(r.font.name in (None, FONT) for r in runs)  # nothing overrides the style's font
    body = [p for p in docx.paragraphs if p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY]
    assert len(body) == 2
    for paragraph in body:
        fmt = paragraph.paragraph_format
        assert 1.0 <= fmt.first_line_indent.cm <= 1.27 and fmt.space_after.pt >= 6 and 1.0 <= fmt.line_spacing <= 1.5
        assert all(13 <= r.font.size.pt <= 14 for r in paragraph.runs)
    kind = next(p for p in docx.paragraphs if p.text == "TỜ TRÌNH")
    assert kind.alignment == WD_ALIGN_PARAGRAPH.CENTER and kind.runs[0].font.bold
    recipients = next(p for p in docx.paragraphs if p.text.startswith("Kính gửi:"))
    assert recipients.text == "Kính gửi: Chủ tịch Ủy ban nhân dân huyện Lộc Ninh." and recipients.runs[0].font.size == Pt(14)


def test_page_numbers_top_centre_from_page_2() -> None:
    section = reread(letter().docx).sections[0]
    assert section.different_first_page_header_footer
    field = section.header.paragraphs[0]._p.find(qn("w:fldSimple"))
    assert field.get(qn("w:instr")) == "PAGE" and section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_table_grid_matches_its_cells_and_the_text_width() -> None:
    docx = reread(letter().docx)
    table = docx.tables[1]
    grid = grid_cm(table)
    assert grid == pytest.approx([c.width_cm for c in COLUMNS], abs=0.002)
    assert sum(grid) == pytest.approx(text_width(docx), abs=0.002)
    for row in table.rows:
        assert [round(cm(c._tc.tcPr.tcW.get(qn("w:w"))), 4) for c in row.cells] == [round(w, 4) for w in grid]
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed" and borders(table) == {"single"}
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in table.rows[0].cells] == [c.title for c in COLUMNS]
    assert table.rows[1].cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_table_widths_must_add_up_and_rows_must_match_the_columns() -> None:
    document = letter()
    with pytest.raises(ValueError, match="khác độ rộng vùng văn bản 16.50 cm"):
        document.add_table([Column("STT", 1.0), Column("Tên", 10.0)], [])
    with pytest.raises(ValueError, match="dòng 1 của bảng có 2 ô, bảng có 4 cột"):
        document.add_table(COLUMNS, [("1", "Phòng Tư pháp")])


def test_closing_lists_copies_beside_the_signature_block() -> None:
    docx = reread(letter().docx)
    closing = docx.tables[-1]
    left, right = closing.rows[0].cells
    assert closing.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    heading, *copies = left.paragraphs
    assert heading.text == "Nơi nhận:" and heading.runs[0].font.size == Pt(12)
    assert heading.runs[0].font.bold and heading.runs[0].font.italic
    assert [p.text for p in copies] == ["- Như trên;", "- Lưu: VT, NV."]
    assert all(p.runs[0].font.size == Pt(11) and not p.runs[0].font.bold for p in copies)
    authority, signer = right.paragraphs
    assert authority.text == "TRƯỞNG PHÒNG" and authority.runs[0].font.bold and authority.runs[0].font.size == Pt(14)
    assert signer.text == "Trần Thị Bình" and signer.runs[0].font.bold and signer.paragraph_format.space_before.pt >= 60
    assert sum(grid_cm(closing)) == pytest.approx(text_width(docx), abs=0.002)


def test_decision_has_italic_bases_bold_article_numbers_and_an_annex_on_its_own_numbered_pages() -> None:
    document = AdminDocument(
        agency_parent="", agency="Ủy ban nhân dân huyện Lộc Ninh", number=12, symbol="QĐ-UBND", place=PLACE,
        day=date(2025, 1, 6), kind="Quyết định", title="Về việc tặng Giấy khen",
    )  # fmt: skip
    document.add_header()
    document.add_title()
    document.add_recipients()
    document.add_heading("Chủ tịch Ủy ban nhân dân huyện Lộc Ninh")
    document.add_basis(["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"])
    document.add_heading("Quyết định:")
    document.add_article(1, "Tặng Giấy khen cho 02 tập thể (có danh sách kèm theo).")
    document.add_closing(["Như Điều 3"], "VT, NV", ["KT. Chủ tịch", "Phó Chủ tịch"], "Lê Văn Cường")
    document.add_annex("Danh sách", "Tập thể được tặng Giấy khen", "Chủ tịch Ủy ban nhân dân huyện Lộc Ninh")
    document.add_table([Column("STT", 1.4, center=True), Column("Tên tập thể", 15.1)], [("1", "Phòng Tư pháp")])
    docx = reread(document.docx)
    texts = [p.text for p in docx.paragraphs]
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN LỘC NINH" in texts and "QUYẾT ĐỊNH:" in texts
    assert not any(t.startswith("Kính gửi") for t in texts)
    basis = next(p for p in docx.paragraphs if p.text.startswith("Căn cứ"))
    assert all(r.font.italic for r in basis.runs)
    article = next(p for p in docx.paragraphs if p.text.startswith("Điều 1."))
    assert [(r.text, bool(r.font.bold)) for r in article.runs] == [
        ("Điều 1.", True), (" Tặng Giấy khen cho 02 tập thể (có danh sách kèm theo).", False)
    ]  # fmt: skip
    assert [p.text for p in docx.tables[1].rows[0].cells[1].paragraphs] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Cường"]
    annex = docx.sections[1]
    assert len(docx.sections) == 2 and annex.start_type == 2  # WD_SECTION.NEW_PAGE
    assert annex._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    reference = next(p for p in docx.paragraphs if p.text.startswith("(Kèm theo"))
    assert reference.text.replace("\n", " ") == (
        "(Kèm theo Quyết định số 12/QĐ-UBND ngày 06 tháng 01 năm 2025 của Chủ tịch Ủy ban nhân dân huyện Lộc Ninh)"
    )
    assert all(r.font.italic for r in reference.runs) and "DANH SÁCH" in texts
    assert has_rule(next_paragraph(docx.paragraphs, reference))


def test_recipients_one_a_line_when_several() -> None:
    docx = reread(letter(recipients=["Sở Nội vụ", "Ủy ban nhân dân huyện"]).docx)
    lines = [p.text for p in docx.paragraphs if p.text.startswith(("Kính gửi", "- "))]
    assert lines == ["Kính gửi:\t- Sở Nội vụ;", "- Ủy ban nhân dân huyện."]


def test_user_text_is_plain_text_without_control_characters() -> None:
    hostile = "Phòng\x00 Nội\x07 vụ\n<w:br/> {{ x }}\u2028**đậm**\tcuối"
    assert clean(hostile) == "Phòng Nội vụ <w:br/> {{ x }} **đậm** cuối"
    assert clean("Nghi\u0323 đi\u0323nh") == "Nghị định"  # decomposed diacritics are composed (NFC)
    document = letter(agency="Phòng\x0bNội vụ", title=hostile)
    document.add_paragraph(hostile)
    docx = reread(document.docx)
    paragraph = docx.paragraphs[-1]
    assert paragraph.text == "Phòng Nội vụ <w:br/> {{ x }} **đậm** cuối"
    assert paragraph._p.find(f".//{qn('w:br')}") is None and paragraph._p.find(f".//{qn('w:tab')}") is None
    assert docx.tables[0].rows[0].cells[0].paragraphs[1].text == "PHÒNG NỘI VỤ"


def test_certificates_are_one_landscape_page_each_and_keep_their_place_on_a_printed_form() -> None:
    item = Certificate(
        grantor="Chủ tịch Ủy ban nhân dân huyện Lộc Ninh", kind="Giấy khen", awardee="Phòng Tư pháp",
        details=["Huyện Lộc Ninh, tỉnh Bình Phước"], achievement="Đã có thành tích xuất sắc năm 2024",
        decision="12/QĐ-UBND", place=PLACE, day=date(2025, 1, 6), authority=["Chủ tịch"], signer="Nguyễn Văn An",
        register="121",
    )  # fmt: skip
    docx = reread(certificates([item, item, item]))
    section = docx.sections[0]
    assert len(docx.sections) == 1 and section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.cm, 2), round(section.page_height.cm, 2)) == (29.7, 21.0)
    starts = [p for p in docx.paragraphs if p.text == NATION]
    assert len(starts) == 3 and [bool(p.paragraph_format.page_break_before) for p in starts] == [False, True, True]
    texts = [p.text for p in docx.paragraphs]
    assert texts.count("GIẤY KHEN") == 3 and texts.count("Phòng Tư pháp") == 3 and "TẶNG" in texts
    assert [c.text for c in docx.tables[0].rows[0].cells] == [
        "Quyết định số 12/QĐ-UBND\nSố vào sổ: 121", "Lộc Ninh, ngày 06 tháng 01 năm 2025\nCHỦ TỊCH\nNguyễn Văn An"
    ]  # fmt: skip
    form = reread(certificates([item], preprinted=True))
    plain = reread(certificates([item]))
    assert NATION not in [p.text for p in form.paragraphs] and "GIẤY KHEN" not in [p.text for p in form.paragraphs]
    heights = [(p.paragraph_format.line_spacing, p.paragraph_format.space_before) for p in form.paragraphs]
    assert heights == [(p.paragraph_format.line_spacing, p.paragraph_format.space_before) for p in plain.paragraphs]
    assert not any(map(has_rule, form.paragraphs)) and any(map(has_rule, plain.paragraphs))
