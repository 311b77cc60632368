"""One Lộc Ninh cycle through the database and the CLI: `appraise --json`, the XLSX, the HTML report and the DOCX
agree on every rank and count, before and after the council decides a tie, which is carried into the quyết
định and the certificates and kept in the audit trail.

The cycle, worked out by hand from plans/loc-ninh-2024-2025.yaml (Giấy khen, at most 6 collectives; PAR ≥ 90,
an initiative, no key leader disciplined, complete and on time; deadline 30/11/2024, a Saturday → Mon 02/12/2024):

    code  unit                          group  PAR      dossier              → outcome
    u1    Phòng Nội vụ                  CQ     95       25/11                → rank 1
    u9    Phòng Y tế                    CQ     94       25/11                → rank 2 (equal with u10, both seated)
    u10   UBND xã Lộc Tấn               XA     94       25/11                → rank 2
    u2    Phòng Tư pháp                 CQ     93       03/12 (late)         → not eligible: late
    u3    UBND xã Lộc Thái              XA     92       25/11                → rank 4
    u5    UBND xã Lộc Hưng              XA     91.504   25/11                → rank 5 ("91,504%": beside 91,501%)
    u6    Phòng Văn hóa và Thông tin    CQ     91.501   25/11                → rank 6, tied with u7 for the 6th seat
    u7    Phòng Tài chính - Kế hoạch    CQ     91.501   25/11                → rank 6, tied with u6
    u8    UBND xã Lộc Hòa               XA     89.999   25/11                → not eligible: "89,999%, dưới mức 90%"
    u4    UBND xã Lộc Điền              XA     99       —  merged into u5 on 01/10/2024 → not ranked at all

So the tờ trình asks for "6 tập thể; 2 tập thể đồng hạng ở vị trí cuối, chờ Hội đồng quyết định chọn 1". Group
rankings (every existing unit with a PAR INDEX, eligible or not): CQ u1 1, u9 2, u2 3, u6 4, u7 4; XA u10 1,
u3 2, u5 3, u8 4 (u4's 99 would have been first: it is not there). The council then chooses u7: the list is
u1, u9, u10, u3, u5, u7 — 6 collectives, one quyết định, six Giấy khen.
"""

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from cli import app
from imports.plans import load_plan
from models import CouncilDecision, Score, Unit
from models.db import session_scope
from models.queries.appraisal import last_appraisal
from services.receipts import record_receipt
from thidua.appraisal.export import par_values
from thidua.dates import TZ

PLANS = Path(__file__).parents[1] / "plans"
LOC_NINH = load_plan(PLANS / "loc-ninh-2024-2025.yaml")
DOCS = ("to_trinh", "bien_ban", "bao_cao_thanh_tich")
CQ, XA = "co-quan-chuyen-mon", "ubnd-xa"
CQ_NAME, XA_NAME = "Cơ quan chuyên môn thuộc UBND huyện", "UBND các xã, thị trấn"
UNITS = [
    ("u1", "Phòng Nội vụ", CQ, 95.0), ("u2", "Phòng Tư pháp", CQ, 93.0), ("u3", "UBND xã Lộc Thái", XA, 92.0),
    ("u4", "UBND xã Lộc Điền", XA, 99.0), ("u5", "UBND xã Lộc Hưng", XA, 91.504),
    ("u6", "Phòng Văn hóa và Thông tin", CQ, 91.501), ("u7", "Phòng Tài chính - Kế hoạch", CQ, 91.501),
    ("u8", "UBND xã Lộc Hòa", XA, 89.999), ("u9", "Phòng Y tế", CQ, 94.0), ("u10", "UBND xã Lộc Tấn", XA, 94.0),
]  # fmt: skip
NAMES = {code: name for code, name, _, _ in UNITS}
BASE = ["--plan", LOC_NINH.code, "--year", "2024"]
REASON = "Phòng có sáng kiến số hóa hồ sơ được áp dụng toàn huyện"
BY = "Trần Thị Bình, thư ký Hội đồng"

# What every output must show, by hand (see the module docstring).
RANKING = [
    (CQ_NAME, 1, "u1", "95%", True), (CQ_NAME, 2, "u9", "94%", True), (CQ_NAME, 3, "u2", "93%", False),
    (CQ_NAME, 4, "u6", "91,501%", True), (CQ_NAME, 4, "u7", "91,501%", True),
    (XA_NAME, 1, "u10", "94%", True), (XA_NAME, 2, "u3", "92%", True), (XA_NAME, 3, "u5", "91,504%", True),
    (XA_NAME, 4, "u8", "89,999%", False),
]  # fmt: skip
BEFORE = [("u1", 1, "proposed"), ("u9", 2, "proposed"), ("u10", 2, "proposed"), ("u3", 4, "proposed"),
          ("u5", 5, "proposed"), ("u6", 6, "tie"), ("u7", 6, "tie")]  # fmt: skip
AFTER = [("u1", 1, "proposed"), ("u9", 2, "proposed"), ("u10", 2, "proposed"), ("u3", 4, "proposed"),
         ("u5", 5, "proposed"), ("u7", 6, "chosen")]  # fmt: skip
COUNT_BEFORE = "6 tập thể; 2 tập thể đồng hạng ở vị trí cuối, chờ Hội đồng quyết định chọn 1"
OUTCOME_WORDS = {"proposed": "đề nghị khen thưởng", "tie": "đồng hạng tại ranh giới chỉ tiêu — Hội đồng quyết định",
                 "chosen": "đồng hạng, được Hội đồng chọn"}  # fmt: skip


def seed(session: Session) -> None:
    for code, name, group, par in UNITS:
        validity = {"u4": {"valid_to": date(2024, 9, 30), "merged_into": "u5"}, "u5": {"valid_from": date(2024, 10, 1)}}
        session.add(Unit(plan=LOC_NINH.code, code=code, name=name, group=group, **validity.get(code, {})))
        session.add(Score(plan=LOC_NINH.code, year=2024, unit_code=code, par_index=par, initiatives_recognized=1))
    session.flush()
    for code, *_ in UNITS:
        day = date(2024, 12, 3) if code == "u2" else date(2024, 11, 25)
        if code != "u4":
            record_receipt(session, LOC_NINH, 2024, code, DOCS, datetime.combine(day, time(9), tzinfo=TZ))


@pytest.fixture
def cli(sqlite_engine: Engine, point_app: Callable[..., None]) -> Callable[..., str]:
    """Run `thidua …` on a seeded database; returns stdout, fails the test on a non-zero exit."""
    point_app(sqlite_engine, THIDUA_PLANS_DIR=str(PLANS))
    with session_scope(sqlite_engine) as session:
        seed(session)
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> str:
        result = runner.invoke(app, list(args), input=input)
        assert result.exit_code == 0, result.output
        return result.stdout

    return run


def appraise(cli: Callable[..., str], out: Path) -> dict:
    return json.loads(cli("appraise", *BASE, "--as-of", "2024-12-15", "--json", "--out", str(out)))


def header_row(sheet) -> int:  # noqa: ANN001
    """The row of a sheet's column titles: where its autofilter starts."""
    return int(re.match(r"[A-Z]+(\d+):", sheet.auto_filter.ref).group(1))


def sheet_rows(path: Path, name: str) -> list[dict[str, object]]:
    sheet = load_workbook(path)[name]
    head = header_row(sheet)
    titles = [c.value for c in sheet[head]]
    return [dict(zip(titles, row, strict=True)) for row in sheet.iter_rows(min_row=head + 1, values_only=True)]


def html_section(html: str, title: str) -> list[list[str]]:
    """The table rows of the report section whose heading starts with `title`."""
    [section] = [s for s in re.findall(r"<section>(.*?)</section>", html, re.S) if re.search(rf"<h2>\d+\. {re.escape(title)}", s)]
    rows = [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)]
    return [row for row in rows if row]


def docx_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_appraise_xlsx_html_and_docx_agree_on_every_rank_and_count(
    cli: Callable[..., str], sqlite_engine: Engine, tmp_path: Path
) -> None:
    data = appraise(cli, tmp_path)
    # appraise --json
    json_ranking = [(r["rank"], r["unit"], r["eligible"]) for g in (CQ, XA) for r in data["ranking"][g]]
    assert json_ranking == [(rank, code, ok) for _, rank, code, _, ok in RANKING]
    assert [(a["unit"], a["rank"], a["outcome"]) for a in data["awards"]] == BEFORE
    assert [c["words"] for c in data["counts"]] == [COUNT_BEFORE]
    assert {c["unit"]: c["reasons"] for c in data["ineligible"]} == {
        "u2": ["nộp muộn: đủ hồ sơ ngày Thứ Ba, 03/12/2024, sau hạn Thứ Hai, 02/12/2024"],
        "u4": ["đã sáp nhập vào UBND xã Lộc Hưng (u5) từ 01/10/2024; không xếp hạng riêng"],
        "u8": ["Chỉ số CCHC 89,999%, dưới mức 90%"],
    }
    # the XLSX: the same ranks; PAR INDEX a number formatted with the decimals the words show
    xlsx = tmp_path / "de-nghi-khen-thuong-loc-ninh-2024-2025-2024.xlsx"
    ranking = sheet_rows(xlsx, "Xếp hạng Chỉ số CCHC")
    assert [(r["Nhóm"], r["Hạng"], r["Mã đơn vị"], r["Đủ điều kiện"] == "có") for r in ranking] == [
        (group, rank, code, ok) for group, rank, code, _, ok in RANKING
    ]
    assert [r["Chỉ số CCHC"] for r in ranking][3:5] == [0.91501, 0.91501]
    proposals = sheet_rows(xlsx, "Đề nghị khen thưởng")
    by_name = {name: code for code, name in NAMES.items()}
    assert [(by_name[r["Tên"]], r["Hạng"], r["Kết quả"]) for r in proposals] == [(c, r, OUTCOME_WORDS[o]) for c, r, o in BEFORE]
    # the HTML report: the appraisal's ranking row for row, its PAR histogram without the merged unit, its proposals
    with session_scope(sqlite_engine) as session:
        histogram = par_values(last_appraisal(session, LOC_NINH, 2024, datetime.now(UTC)))
    assert sorted(histogram) == [89.999, 91.501, 91.501, 91.504, 92, 93, 94, 94, 95]  # no 99: u4 merged into u5
    cli("report", "annual", *BASE, "--out", str(tmp_path))
    html = (tmp_path / "tong-ket-loc-ninh-2024-2025-2024.html").read_text(encoding="utf-8")
    assert html_section(html, "Xếp hạng theo Chỉ số CCHC") == [
        [group, str(rank), code, NAMES[code], par, "có" if ok else "không"] for group, rank, code, par, ok in RANKING
    ]
    assert [(row[3], row[4], row[5]) for row in html_section(html, "Khen thưởng đề nghị")] == [
        (code, str(rank), OUTCOME_WORDS[o]) for code, rank, o in BEFORE
    ]
    # the DOCX tờ trình: the count in words, the annexed list with the same ranks, and no quyết định yet
    letter = tmp_path / "to-trinh-loc-ninh-2024-2025-2024.docx"
    assert f"(có danh sách kèm theo): {COUNT_BEFORE}." in docx_text(letter)
    annex = [[c.text for c in row.cells] for row in Document(str(letter)).tables[2].rows[1:]]
    assert [(row[1], row[2], row[3]) for row in annex] == [
        (NAMES[code] + (" *" if o == "tie" else ""), par, str(rank))
        for (code, rank, o), par in zip(BEFORE, ["95%", "94%", "94%", "92%", "91,504%", "91,501%", "91,501%"], strict=True)
    ]
    assert "cá nhân" not in docx_text(letter).lower()  # the plan awards no individuals
    assert not (tmp_path / "quyet-dinh-loc-ninh-2024-2025-2024.docx").exists()


def test_a_tie_decided_by_the_council_is_carried_into_the_decision_and_the_certificates(
    cli: Callable[..., str], sqlite_engine: Engine, tmp_path: Path
) -> None:
    appraise(cli, tmp_path / "before")
    out = cli("council", "decide", *BASE, "--award", "giay_khen", "--choose", "u7", "--reason", REASON, "--by", BY,
              "--out", str(tmp_path))  # fmt: skip
    assert "Giấy khen của Chủ tịch UBND huyện: 6 tập thể\n" in out
    # the audit trail: who, when, what, why
    with Session(sqlite_engine) as session:
        [row] = session.exec(select(CouncilDecision)).all()
    assert (row.action, row.form, row.nominee_kind, row.nominees, row.tie, row.reason, row.decided_by) == (
        "choose", "giay_khen", "collective", ["u7"], ["u6", "u7"], REASON, BY,
    )  # fmt: skip
    assert row.decided_at.tzinfo is not None
    assert f"{BY}: chọn khi đồng hạng giay_khen (tập thể) u7 (trong số u6, u7) — lý do: {REASON}" in cli("council", "log", *BASE)
    # appraise --json now shows the decided tie and the final count; a re-run keeps it (as of its own date)
    data = appraise(cli, tmp_path)
    assert [(a["unit"], a["rank"], a["outcome"]) for a in data["awards"]] == AFTER
    assert [c["words"] for c in data["counts"]] == ["6 tập thể"]
    assert data["final"] and data["ties"][0]["decided"] and data["ties"][0]["chosen"] == ["u7"]
    # the XLSX "Hội đồng quyết định" sheet
    [council] = sheet_rows(tmp_path / "de-nghi-khen-thuong-loc-ninh-2024-2025-2024.xlsx", "Hội đồng quyết định")
    assert (council["Việc"], council["Hạng"], council["Số suất"], council["Hội đồng chọn"], council["Tình trạng"],
            council["Lý do"], council["Người ghi"]) == ("chọn khi đồng hạng", 6, 1, "u7", "đã quyết định", REASON, BY)  # fmt: skip
    # the quyết định: its count matches its annexed list, which is the final list
    decision = tmp_path / "quyet-dinh-loc-ninh-2024-2025-2024.docx"
    text = docx_text(decision)
    assert ("Điều 1. Tặng Giấy khen của Chủ tịch UBND huyện cho 6 tập thể đã có thành tích xuất sắc trong phong trào "
            "thi đua cải cách hành chính năm 2024 (có danh sách kèm theo).") in text  # fmt: skip
    assert "CHỦ TỊCH UBND HUYỆN LỘC NINH" in text and "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in text
    listed = [row.cells[1].text for row in Document(str(decision)).tables[-1].rows[1:]]
    assert listed == [NAMES[code] for code, _, _ in AFTER]
    # the certificates: one page per awardee, in the list's order
    certificates = Document(str(tmp_path / "giay-khen-loc-ninh-2024-2025-2024.docx"))
    titles = [i for i, p in enumerate(certificates.paragraphs) if p.text == "GIẤY KHEN"]
    awardees = [certificates.paragraphs[i + 1].text for i in titles]
    assert awardees == listed
    assert sum(bool(p.paragraph_format.page_break_before) for p in certificates.paragraphs) == len(listed) - 1
    # the HTML report follows the council too
    cli("report", "annual", *BASE, "--out", str(tmp_path))
    html = (tmp_path / "tong-ket-loc-ninh-2024-2025-2024.html").read_text(encoding="utf-8")
    assert [(row[3], row[4], row[5]) for row in html_section(html, "Khen thưởng đề nghị")] == [
        (code, str(rank), OUTCOME_WORDS[o]) for code, rank, o in AFTER
    ]


def test_the_council_is_asked_at_each_tie_when_no_action_is_given(cli: Callable[..., str], tmp_path: Path) -> None:
    appraise(cli, tmp_path)
    out = cli("council", "decide", *BASE, "--by", BY, input=f"3\n2\n{REASON}\n")  # 3 is not a choice: asked again
    assert "1. Phòng Văn hóa và Thông tin (u6)\n  2. Phòng Tài chính - Kế hoạch (u7)" in out
    assert "Giấy khen của Chủ tịch UBND huyện: 6 tập thể\n" in out
    assert "Không có trường hợp đồng hạng nào chờ Hội đồng quyết định." in cli("council", "decide", *BASE, "--by", BY)


def test_a_decision_that_cannot_apply_exits_2_and_records_nothing(
    cli: Callable[..., str], sqlite_engine: Engine, tmp_path: Path
) -> None:
    runner = CliRunner()
    early = runner.invoke(app, ["council", "decide", *BASE, "--award", "giay_khen", "--choose", "u7", "--reason", REASON, "--by", BY])
    assert early.exit_code == 2 and "chu kỳ chưa được thẩm định" in early.stderr
    appraise(cli, tmp_path)
    both = runner.invoke(app, ["council", "decide", *BASE, "--award", "giay_khen", "--choose", "u6", "--choose", "u7",
                               "--reason", REASON, "--by", BY])  # fmt: skip
    assert both.exit_code == 2
    assert both.stderr.strip() == (  # the option as typed, not the English action's name
        '(dòng lệnh): --choose: "u6, u7" — phải chọn đúng 1 trong 2 đối tượng đồng hạng (u6, u7); đã chọn 2'
    )
    missing = runner.invoke(app, ["council", "decide", *BASE, "--award", "giay_khen", "--withdraw", "u8", "--by", BY])
    assert missing.exit_code == 2 and missing.stderr.splitlines() == ['(dòng lệnh): --reason: "" — phải ghi lý do của Hội đồng']
    absent = runner.invoke(app, ["council", "decide", *BASE, "--award", "giay_khen", "--withdraw", "u8", "--reason", REASON, "--by", BY])
    assert absent.exit_code == 2 and absent.stderr.splitlines() == [
        '(dòng lệnh): --withdraw: "u8" — tập thể u8 không có trong danh sách đề nghị Giấy khen của Chủ tịch UBND huyện',
    ]
    unknown = runner.invoke(app, ["council", "decide", *BASE, "--award", "bang_khen", "--add", "u8", "--reason", " ", "--by", " "])
    assert unknown.exit_code == 2 and unknown.stderr.splitlines() == [
        '(dòng lệnh): --award: "bang_khen" — kế hoạch không có hình thức bang_khen cho tập thể',
        '(dòng lệnh): --reason: "" — phải ghi lý do của Hội đồng',
        '(dòng lệnh): --by: "" — phải ghi người ghi nhận quyết định',
    ]
    two = runner.invoke(app, ["council", "decide", *BASE, "--award", "giay_khen", "--choose", "u7", "--add", "u8", "--reason", REASON, "--by", BY])
    assert two.exit_code == 2 and "--choose/--add/--withdraw: \"--choose, --add\" — mỗi lần ghi một việc" in two.stderr
    with Session(sqlite_engine) as session:
        assert session.exec(select(CouncilDecision)).all() == []


def test_the_council_forms_refusals_name_its_fields_in_vietnamese(sqlite_engine: Engine) -> None:
    """The Prefect form (flows/admin.py council_decide) calls record_decision under `refusals()`: each problem is
    named by the form's field, never by an option or an English action name."""
    from flows.forms import FormRefused, refusals
    from models.queries.appraisal import appraise_cycle
    from services.council import record_decision
    from thidua.appraisal.model import Action

    def refused(action: Action, form: str, nominees: list[str], reason: str = REASON, by: str = BY) -> list[str]:
        with pytest.raises(FormRefused) as caught, refusals(), session_scope(sqlite_engine) as session:
            record_decision(session, LOC_NINH, 2024, action, form, nominees, reason, by, datetime.now(UTC), "(biểu mẫu Prefect)")
        return str(caught.value).splitlines()[1:]

    with session_scope(sqlite_engine) as session:
        seed(session)
    assert refused(Action.choose, "giay_khen", ["u7"]) == [
        "Kế hoạch, Năm: “loc-ninh-2024-2025 2024” — chu kỳ chưa được thẩm định: chạy thidua appraise trước khi ghi quyết định của Hội đồng"
    ]
    with session_scope(sqlite_engine) as session:
        appraise_cycle(session, LOC_NINH, 2024, datetime(2024, 12, 15, 5, tzinfo=UTC))
    assert refused(Action.choose, "giay_khen", ["u6", "u7"]) == [
        "Đối tượng: “u6, u7” — phải chọn đúng 1 trong 2 đối tượng đồng hạng (u6, u7); đã chọn 2"
    ]
    assert refused(Action.withdraw, "giay_khen", ["u8"]) == [
        "Đối tượng: “u8” — tập thể u8 không có trong danh sách đề nghị Giấy khen của Chủ tịch UBND huyện"
    ]
    assert refused(Action.add, "bang_khen", ["u8"], reason=" ", by=" ") == [
        "Hình thức khen thưởng: “bang_khen” — kế hoạch không có hình thức bang_khen cho tập thể",
        "Lý do: “” — phải ghi lý do của Hội đồng",
        "Người ghi nhận: “” — phải ghi người ghi nhận quyết định",
    ]
    with Session(sqlite_engine) as session:
        assert session.exec(select(CouncilDecision)).all() == []
