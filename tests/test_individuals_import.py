"""People's own records (`thidua individuals import`) and a Cần Thơ cycle judged on them, through the database.

By hand, from plans/can-tho-vpub-2019.yaml: departments need an initiative and a place in the council's order
(no PAR INDEX column at all); each person needs their own initiative and no discipline of their own from khiển
trách. Phòng Kinh tế's key leader was reprimanded (Cảnh cáo): the plan does not exclude its people for that, so
Lâm Văn Hải (own initiative, no discipline of his own) is proposed; Ngô Văn Khải has no initiative of his own.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from cli import app
from imports.plans import load_plan
from models import IndividualRecord, Unit
from models.db import session_scope
from models.queries.appraisal import appraise_cycle, people_records
from services.imports import import_individuals, import_nominees, import_scores
from services.receipts import record_receipt
from thidua.appraisal.model import Outcome
from thidua.dates import TZ
from thidua.errors import InvalidInput

PLANS = Path(__file__).parents[1] / "plans"
CAN_THO = load_plan(PLANS / "can-tho-vpub-2019.yaml")
AT = datetime(2019, 12, 2, 2, tzinfo=UTC)
HEADER = "unit_code,name,position,initiatives_recognized,discipline,council_rank\n"


def seed(session: Session, tmp_path: Path) -> None:
    for code, name in (("p1", "Phòng Kinh tế"), ("p2", "Phòng Văn xã"), ("p3", "Phòng Nội chính")):
        session.add(Unit(plan=CAN_THO.code, code=code, name=name, group="phong-ban"))
    session.flush()
    nominees = tmp_path / "nominees.csv"
    nominees.write_text("unit_code,kind,name\np1,individual,Lâm Văn Hải\np2,individual,Đỗ Thị Hoa\np2,individual,Ngô Văn Khải\n", encoding="utf-8")
    import_nominees(session, nominees, CAN_THO, 2019, AT)
    for code in ("p1", "p2", "p3"):
        record_receipt(session, CAN_THO, 2019, code, ("to_trinh", "bien_ban", "bao_cao_thanh_tich"),
                       datetime.combine(date(2019, 12, 5), time(9), tzinfo=TZ))  # fmt: skip


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_file_names_every_row_column_and_value_and_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        seed(session, tmp_path)
    bad = write(tmp_path / "bad.csv", HEADER + "p1,Lâm Văn Hải,Chuyên viên,1,none,1\n"
                "p9,Lê Văn Tám,,x,phe_binh,0\n" "p1,lâm  văn hải,Chuyên viên,1,none,2\n")  # fmt: skip
    with pytest.raises(InvalidInput) as caught, session_scope(engine) as session:
        import_individuals(session, bad, CAN_THO, 2019)
    assert [(e.field, e.value) for e in caught.value.errors] == [
        ("dòng 3, cột initiatives_recognized", "x"),
        ("dòng 3, cột discipline", "phe_binh"),
        ("dòng 3, cột council_rank", "0"),
        ("dòng 3, cột unit_code", "p9"),
        ("dòng 4, cột name", "lâm  văn hải"),
    ]
    assert caught.value.errors[-1].reason == "trùng với dòng 2"
    assert all(e.file == str(bad) for e in caught.value.errors)
    with Session(engine) as session:
        assert session.exec(select(IndividualRecord)).all() == []


def test_can_tho_people_are_judged_on_their_own_record(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        seed(session, tmp_path)
        # no par_index column: the plan ranks on the council's order and has no PAR INDEX criterion
        facts = write(tmp_path / "facts.csv", "unit_code,initiatives_recognized,discipline,council_rank\n"
                      "p1,1,canh_cao,1\np2,2,none,2\np3,1,none,3\n")  # fmt: skip
        import_scores(session, facts, CAN_THO, 2019)
        people = write(tmp_path / "people.csv", HEADER + "p1,Lâm Văn Hải,Chuyên viên,1,none,1\n"
                       "p2,Đỗ Thị Hoa,Phó Trưởng phòng,1,none,1\np2,Ngô Văn Khải,Chuyên viên,0,none,2\n")  # fmt: skip
        report = import_individuals(session, people, CAN_THO, 2019)
        assert report.added == ("p1:Lâm Văn Hải", "p2:Đỗ Thị Hoa", "p2:Ngô Văn Khải")
        records = people_records(session, CAN_THO.code, 2019)
        assert {key: (r.position, r.council_rank) for key, r in records.items()} == {
            ("p1", "lâm văn hải"): ("Chuyên viên", 1),
            ("p2", "đỗ thị hoa"): ("Phó Trưởng phòng", 1),
            ("p2", "ngô văn khải"): ("Chuyên viên", 2),
        }
        result = appraise_cycle(session, CAN_THO, 2019, datetime(2019, 12, 15, tzinfo=UTC))
    assert [(line.candidate.unit.code, line.outcome, line.rank) for line in result.lines if line.candidate.kind == "collective"] == [
        ("p1", Outcome.proposed, 1), ("p2", Outcome.proposed, 2), ("p3", Outcome.proposed, 3),
    ]  # fmt: skip
    people_lines = [(line.candidate.name, line.outcome) for line in result.lines if line.candidate.kind == "individual"]
    assert people_lines == [("Lâm Văn Hải", Outcome.proposed), ("Đỗ Thị Hoa", Outcome.proposed)]
    [khai] = [c for c in result.candidates if c.name == "Ngô Văn Khải"]
    assert khai.failed == ("có 0 sáng kiến được công nhận, chưa đủ 1",)


def test_the_plan_decides_which_fact_columns_are_required(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        seed(session, tmp_path)
    no_rank = write(tmp_path / "facts.csv", "unit_code,initiatives_recognized,discipline\np1,1,none\n")
    with pytest.raises(InvalidInput) as caught, session_scope(engine) as session:
        import_scores(session, no_rank, CAN_THO, 2019)
    assert [(e.field, e.reason) for e in caught.value.errors] == [("dòng 1, cột council_rank", "thiếu cột bắt buộc")]
    blank = write(tmp_path / "blank.csv", "unit_code,initiatives_recognized,discipline,council_rank\np1,1,none,\n")
    with pytest.raises(InvalidInput) as caught, session_scope(engine) as session:
        import_scores(session, blank, CAN_THO, 2019)
    assert [(e.field, e.reason) for e in caught.value.errors] == [
        ("dòng 2, cột council_rank", "không được để trống: kế hoạch xét theo cột này")
    ]


def test_cli_imports_an_xlsx_of_people(sqlite_engine: Engine, point_app: Callable[..., None], tmp_path: Path) -> None:
    point_app(sqlite_engine, THIDUA_PLANS_DIR=str(PLANS))
    with session_scope(sqlite_engine) as session:
        seed(session, tmp_path)
    book = openpyxl.Workbook()
    book.active.append(["unit_code", "name", "position", "initiatives_recognized", "discipline", "council_rank"])
    book.active.append(["p1", "Lâm Văn Hải", "Chuyên viên", 1, "none", 1])
    book.save(tmp_path / "people.xlsx")
    result = CliRunner().invoke(app, ["individuals", "import", str(tmp_path / "people.xlsx"), "--plan", CAN_THO.code, "--year", "2019"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Đã nhập hồ sơ năm 2019 của 1 cá nhân: 1 thêm mới, 0 cập nhật.\n"
    with Session(sqlite_engine) as session:
        [record] = session.exec(select(IndividualRecord)).all()
    assert (record.unit_code, record.name, record.initiatives_recognized, record.council_rank) == (
        "p1", "Lâm Văn Hải", 1, 1,
    )  # fmt: skip
