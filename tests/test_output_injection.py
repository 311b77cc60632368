"""User text neutralised at every output (issue 11, Deliver 5): spreadsheet formulas, Markdown and HTML in Prefect
artifacts, encoded words in mail headers."""

import csv
import io
import re
from dataclasses import replace
from email import policy
from email.parser import BytesParser
from pathlib import Path

from openpyxl import Workbook, load_workbook
from test_appraisal import AS_OF, DEADLINE, LN, plan, unit

from documents.cells import csv_row, set_value
from documents.proposal_list import write_proposal_xlsx
from notifications.channels.base import Outgoing
from notifications.channels.email import EmailChannel
from thidua.appraisal.engine import appraise
from thidua.appraisal.export import decision_rows, summary_markdown
from thidua.markdown import md, md_rows

FORMULA = '=HYPERLINK("http://evil.example/x","Bấm vào")'
MARKUP = ["<script>alert(1)</script>", "[Bấm vào](javascript:alert(1))", '<img src=x onerror="alert(1)">', "**đậm** _nghiêng_ `mã`"]


def test_formula_like_text_is_written_as_text_in_csv_following_owasp() -> None:
    row = csv_row([FORMULA, "+84 912", "-1", "@SUM(A1)", "\tx", "\rx", -1, 2.5, "Phòng Nội vụ"])
    assert row == [f"'{FORMULA}", "'+84 912", "'-1", "'@SUM(A1)", "'\tx", "'\rx", -1, 2.5, "Phòng Nội vụ"]
    out = io.StringIO()
    csv.writer(out).writerow(row)
    assert next(csv.reader(io.StringIO(out.getvalue())))[0] == f"'{FORMULA}"


def test_formula_like_text_is_a_text_cell_in_xlsx(tmp_path: Path) -> None:
    book = Workbook()
    for column, value in enumerate([FORMULA, "=1+1", -3, "Tên\x07lạ", "Phòng Nội vụ"], start=1):
        set_value(book.active.cell(1, column), value)
    book.save(tmp_path / "x.xlsx")
    cells = list(load_workbook(tmp_path / "x.xlsx").active[1])
    assert [(c.value, c.data_type) for c in cells] == [(FORMULA, "s"), ("=1+1", "s"), (-3, "n"), ("Tên\ufffdlạ", "s"), ("Phòng Nội vụ", "s")]
    assert [c.quotePrefix for c in cells] == [True, True, False, False, False]


def test_no_sheet_of_the_proposal_list_holds_a_formula(tmp_path: Path) -> None:
    units = [replace(unit("a", LN, 98), name=FORMULA), unit("b", LN, 97, individuals=("@Nguyễn Văn A",))]
    result = appraise(plan("loc-ninh-2024-2025"), 2025, AS_OF, DEADLINE, units)
    book = load_workbook(write_proposal_xlsx(result, tmp_path))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert FORMULA in [cell.value for cell in cells]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


def test_markdown_shows_user_text_as_written_and_keeps_dates_searchable() -> None:
    assert md("<script>alert(1)</script>") == r"\<script\>alert(1)\</script\>"
    assert md("[Bấm vào](javascript:alert(1))") == r"\[Bấm vào\](javascript:alert(1))"
    assert md('<img src=x onerror="alert(1)">') == r'\<img src=x onerror="alert(1)"\>'
    assert md("- 1. # tiêu đề\n<b>") == r"\- 1. \# tiêu đề \<b\>"
    assert md("1. Phòng Nội vụ, hạn 01/12/2025") == r"1\. Phòng Nội vụ, hạn 01/12/2025"
    assert md_rows([{"Tên": "<b>x</b>", "Hạng": 1}]) == [{"Tên": r"\<b\>x\</b\>", "Hạng": 1}]


def test_appraisal_artifacts_escape_every_name() -> None:
    units = [replace(unit(code, LN, 98 - i), name=name) for i, (code, name) in enumerate(zip("abcd", MARKUP, strict=True))]
    result = appraise(plan("loc-ninh-2024-2025"), 2025, AS_OF, DEADLINE, units)
    text = summary_markdown(result) + "\n".join(str(row) for row in md_rows(decision_rows(result)))
    assert not re.findall(r"(?<!\\)[<\[`]|(?<!\\)\*(?!\*)", text.replace("**", ""))  # no markup but the summary's own bold
    assert r"\<script\>alert(1)\</script\>" in text


def _parsed(raw: bytes) -> object:
    return BytesParser(policy=policy.default).parsebytes(raw)


def test_a_display_name_written_as_an_encoded_word_displays_as_written() -> None:
    spoof = "=?utf-8?b?QWRtaW4gSVQ=?="  # decodes to "Admin IT"
    channel = EmailChannel(host="127.0.0.1", port=1, mail_from=f"{spoof} <thidua@example.vn>")
    message = Outgoing(id=1, recipient="a@example.vn", recipient_name=spoof, subject=f"{spoof} nhắc hạn", text="x", html="", key="k")
    mail = _parsed(channel.build(message))
    assert mail["To"].addresses[0].display_name == spoof
    assert mail["From"].addresses[0].display_name == spoof
    assert str(mail["Subject"]) == f"{spoof} nhắc hạn"
    plain = EmailChannel(host="127.0.0.1", port=1, mail_from="Thi dua <thidua@example.vn>")
    assert b"To: Nguyen Van A <a@example.vn>" in plain.build(Outgoing(id=2, recipient="a@example.vn", recipient_name="Nguyen Van A", subject="s", text="x", html="", key="k2"))
