"""The appraisal against the database (SQLite and PostgreSQL): Lộc Ninh 2024 from its plan file."""

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import Session, select

from documents.proposal_letter import write_proposal_docx
from documents.proposal_list import write_proposal_xlsx
from imports.plans import load_plan
from models import AwardProposal, Nominee, Score, Unit
from models.db import session_scope
from models.queries.appraisal import appraise_cycle
from services.imports import import_nominees, import_scores
from services.receipts import record_receipt
from thidua.appraisal.model import Outcome
from thidua.dates import TZ
from thidua.errors import InvalidInput

PLANS = Path(__file__).parents[1] / "plans"
LOC_NINH = load_plan(PLANS / "loc-ninh-2024-2025.yaml")
DOCS = ("to_trinh", "bien_ban", "bao_cao_thanh_tich")
AS_OF = datetime(2024, 12, 15, 5, tzinfo=UTC)
CQ, XA = "co-quan-chuyen-mon", "ubnd-xa"


def vn(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def seed_loc_ninh(session: Session) -> None:
    """Six units of Lộc Ninh with their 2024 facts and dossiers (deadline 30/11/2024, a Saturday → 02/12/2024)."""
    session.add_all(
        [
            Unit(plan=LOC_NINH.code, code="u1", name="Phòng Nội vụ", group=CQ),
            Unit(plan=LOC_NINH.code, code="u2", name="Phòng Tư pháp", group=CQ),
            Unit(plan=LOC_NINH.code, code="u3", name="UBND xã Lộc Thái", group=XA),
            Unit(plan=LOC_NINH.code, code="u4", name="UBND xã Lộc Điền", group=XA, valid_to=date(2024, 9, 30), merged_into="u5"),
            Unit(plan=LOC_NINH.code, code="u5", name="UBND xã Lộc Hưng", group=XA, valid_from=date(2024, 10, 1)),
            Unit(plan=LOC_NINH.code, code="u6", name="Phòng Văn hóa và Thông tin", group=CQ),
        ]
    )
    for code, par in {"u1": 95, "u2": 93, "u3": 92, "u4": 99, "u5": 91, "u6": 91}.items():
        session.add(Score(plan=LOC_NINH.code, year=2024, unit_code=code, par_index=par, initiatives_recognized=1))
    session.flush()
    record_receipt(session, LOC_NINH, 2024, "u1", DOCS, vn(date(2024, 11, 25)))
    record_receipt(session, LOC_NINH, 2024, "u2", DOCS[:2], vn(date(2024, 11, 25)))
    record_receipt(session, LOC_NINH, 2024, "u2", DOCS[2:], vn(date(2024, 12, 3)))  # completed a day after the deadline
    record_receipt(session, LOC_NINH, 2024, "u3", DOCS, vn(date(2024, 12, 2), 23))  # the last evening of the rolled deadline
    record_receipt(session, LOC_NINH, 2024, "u5", DOCS, vn(date(2024, 11, 29)))
    record_receipt(session, LOC_NINH, 2024, "u6", DOCS, vn(date(2024, 11, 29)))


def test_loc_ninh_2024_from_the_database_is_saved_and_a_rerun_gives_the_same_rows(engine: Engine) -> None:
    with session_scope(engine) as session:
        seed_loc_ninh(session)
    for _ in range(2):
        with session_scope(engine) as session:
            result = appraise_cycle(session, LOC_NINH, 2024, AS_OF)
    assert result.deadline.date == date(2024, 12, 2)
    assert [c.unit.code for c in result.ineligible] == ["u2", "u4"]
    assert result.ineligible[0].failed == (
        "nộp muộn: đủ hồ sơ ngày Thứ Ba, 03/12/2024, sau hạn Thứ Hai, 02/12/2024",
    )
    assert result.ineligible[1].failed == (
        "đã sáp nhập vào UBND xã Lộc Hưng (u5) từ 01/10/2024; không xếp hạng riêng",
    )
    assert [r.unit.code for r in result.ranking[XA]] == ["u3", "u5"]
    with Session(engine) as session:
        rows = session.exec(select(AwardProposal).order_by(AwardProposal.id)).all()
    assert [(r.unit_code, r.form, r.rank, r.tie) for r in rows] == [
        ("u1", "giay_khen", 1, False),
        ("u3", "giay_khen", 2, False),
        ("u6", "giay_khen", 3, False),  # equal standing, both within the quota: plan group order, then code
        ("u5", "giay_khen", 3, False),
    ]
    assert rows[0].reasons[0] == "Chỉ số CCHC 95% — hạng 1 trong toàn kế hoạch; trong chỉ tiêu tối đa 6 tập thể"


def test_the_proposal_files_carry_the_list_and_the_administrative_layout(sqlite_engine: Engine, tmp_path: Path) -> None:
    # issue 12 changes the layout: a title block above each table, five sheets, and the Decree 30 tờ trình
    # (documents/decree30.py) with its list annexed; tests/test_award_documents.py checks them in detail.
    with session_scope(sqlite_engine) as session:
        seed_loc_ninh(session)
        result = appraise_cycle(session, LOC_NINH, 2024, AS_OF)
    book = load_workbook(write_proposal_xlsx(result, tmp_path))
    assert book.sheetnames == ["Đề nghị khen thưởng", "Quyết định và lý do", "Xếp hạng Chỉ số CCHC", "Thiếu chỉ tiêu", "Hội đồng quyết định"]
    sheet = book["Đề nghị khen thưởng"]
    header = sheet.auto_filter.ref.split(":")[0][1:]
    names = [row[3] for row in sheet.iter_rows(min_row=int(header) + 1, values_only=True)]
    assert names == ["Phòng Nội vụ", "UBND xã Lộc Thái", "Phòng Văn hóa và Thông tin", "UBND xã Lộc Hưng"]
    decisions = book["Quyết định và lý do"]
    reasons = {row[2]: row[9] for row in decisions.iter_rows(min_row=int(header) + 1, values_only=True)}
    assert reasons["Phòng Tư pháp"].startswith("nộp muộn")
    letter = Document(str(write_proposal_docx(result, tmp_path)))
    left, right = (cell.text for cell in letter.tables[0].rows[0].cells)
    assert left.splitlines() == ["UBND HUYỆN LỘC NINH", "PHÒNG NỘI VỤ"]
    assert right.splitlines() == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert letter.tables[0].rows[1].cells[1].text == "Lộc Ninh, ngày 15 tháng 12 năm 2024"
    text = [p.text for p in letter.paragraphs]
    assert "TỜ TRÌNH" in text and "Kính gửi: Chủ tịch UBND huyện Lộc Ninh." in text
    table = [[c.text for c in row.cells] for row in letter.tables[2].rows]
    assert table[0] == ["STT", "Tên tập thể", "Chỉ số CCHC", "Hạng", "Hình thức khen thưởng"]
    assert table[1] == ["1", "Phòng Nội vụ", "95%", "1", "Giấy khen của Chủ tịch UBND huyện"]
    assert letter.tables[1].rows[0].cells[0].text.startswith("Nơi nhận:")
    assert letter.styles["Normal"].font.name == "Times New Roman"


# --- imports ------------------------------------------------------------------------------------


def test_scores_import_is_all_or_nothing_and_names_row_and_column(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        session.add(Unit(plan=LOC_NINH.code, code="u1", name="Phòng Nội vụ", group=CQ))
        session.add(Unit(plan=LOC_NINH.code, code="u2", name="Phòng Tư pháp", group=CQ))
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "unit_code,par_index,initiatives_recognized,discipline,excellent_group\n"
        "u1,92.5,1,none,0\n"
        "u2,120,x,phe_binh,2\n"
        "u9,90,1,none,0\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as caught, session_scope(engine) as session:
        import_scores(session, bad, LOC_NINH, 2024)
    assert [(e.field, e.value) for e in caught.value.errors] == [
        ("dòng 3, cột par_index", "120"),
        ("dòng 3, cột initiatives_recognized", "x"),
        ("dòng 3, cột discipline", "phe_binh"),
        ("dòng 3, cột excellent_group", "2"),
        ("dòng 4, cột unit_code", "u9"),
    ]
    assert caught.value.errors[0].file == str(bad)
    with Session(engine) as session:
        assert session.exec(select(Score)).all() == []
    good = tmp_path / "good.csv"
    good.write_text(
        "unit_code,par_index,initiatives_recognized,discipline,excellent_group\nu1,\"92,5\",2,canh_cao,1\n",
        encoding="utf-8",
    )
    with session_scope(engine) as session:
        report = import_scores(session, good, LOC_NINH, 2024)
    with Session(engine) as session:
        score = session.exec(select(Score)).one()
    assert report.added == ("u1",)
    assert (score.par_index, score.initiatives_recognized, score.discipline, score.excellent_group) == (92.5, 2, "canh_cao", True)


def test_nominees_import_adds_to_each_dossier_in_file_order(sqlite_engine: Engine, tmp_path: Path) -> None:
    dong_thap = load_plan(PLANS / "dong-thap-2021-2025.yaml")
    with session_scope(sqlite_engine) as session:
        session.add(Unit(plan=dong_thap.code, code="s1", name="Sở Nội vụ", group="so-nganh"))
        session.add(Unit(plan=dong_thap.code, code="x1", name="UBND xã Mỹ An", group="ubnd-xa"))
    bad = tmp_path / "bad.csv"
    bad.write_text("unit_code,kind,name\nx1,individual,Lê Văn Cường\ns1,nhom,Sở Nội vụ\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught, session_scope(sqlite_engine) as session:
        import_nominees(session, bad, dong_thap, 2025, AS_OF)
    assert [(e.field, e.value) for e in caught.value.errors] == [("dòng 2, cột kind", "individual"), ("dòng 3, cột kind", "nhom")]
    good = tmp_path / "good.csv"
    good.write_text("unit_code,kind,name\ns1,individual,Trần Thị Bình\ns1,individual,Nguyễn Văn An\n", encoding="utf-8")
    with session_scope(sqlite_engine) as session:
        assert import_nominees(session, good, dong_thap, 2025, AS_OF) == {"s1": ["Trần Thị Bình", "Nguyễn Văn An"]}
    with Session(sqlite_engine) as session:
        assert [n.name for n in session.exec(select(Nominee).order_by(Nominee.id))] == ["Trần Thị Bình", "Nguyễn Văn An"]


def test_outcome_words_cover_every_outcome() -> None:
    from thidua.words import OUTCOME as OUTCOME_WORDS

    assert set(OUTCOME_WORDS) == set(Outcome)
