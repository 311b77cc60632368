"""The proposal list as an XLSX workbook a council works from: the proposals, every decision with its reasons, the
ranking, the pools left short ("Thiếu chỉ tiêu") and what the council has to decide ("Hội đồng quyết định").

Every sheet opens with a title block (plan, year, as-of date, deadline, ranking basis) and has an autofilter on its
table. Numbers are numbers with a number format showing the decimals `thidua.words` shows; text that a spreadsheet
would take for a formula (`=`, `+`, `-`, `@` first) is stored as text.
"""

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from documents.cells import set_value
from thidua.appraisal.export import (
    COUNCIL_COLUMNS,
    QUOTA_COLUMNS,
    Number,
    basis_cell,
    basis_column,
    council_rows,
    decision_columns,
    decision_rows,
    quota_rows,
    ranking_columns,
    ranking_rows,
)
from thidua.appraisal.model import AppraisalResult
from thidua.dates import local_day
from thidua.words import BASIS, long_date
from thidua.words import NOMINEE as KIND_WORDS
from thidua.words import OUTCOME as OUTCOME_WORDS

RANKING_SHEET = {"par_index": "Xếp hạng Chỉ số CCHC", "council_score": "Xếp hạng điểm bình xét", "council_order": "Xếp hạng thứ tự bình xét"}
WIDTHS = {"Lý do": 90, "Tên": 30, "Đơn vị": 34, "Hình thức": 34, "Nhóm": 30, "Ghi chú": 44, "Vị trí xếp hạng": 44,
          "Kết quả": 26, "Các đối tượng": 44, "Phạm vi": 30, "Tình trạng": 22}  # fmt: skip


def _number_format(number: Number) -> str:
    digits = "0" + ("." + "0" * number.decimals if number.decimals else "")
    return digits + "%" if number.percent else digits


def _write(cell: Cell, value: object) -> None:
    """A value into a cell: a `Number` as a number with its format, text never read as a formula (documents.cells)."""
    if isinstance(value, Number):
        cell.value = float(Decimal(repr(value.value)) / 100) if value.percent else value.value  # 91.504 → 0.91504
        cell.number_format = _number_format(value)
        return
    set_value(cell, value)


def _title_block(result: AppraisalResult, title: str) -> list[str]:
    deadline = long_date(result.deadline.date) if result.deadline.date else "chưa xác định"
    return [
        title,
        f"Kế hoạch: {result.plan.title} ({result.plan.code})",
        f"Năm: {result.year}",
        f"Số liệu tính đến: {long_date(local_day(result.as_of))}",
        f"Hạn nộp hồ sơ: {deadline} — {result.deadline.rule}",
        f"Xếp hạng theo: {BASIS[result.basis]}",
    ]


def _sheet(sheet: Worksheet, result: AppraisalResult, title: str, rows: Sequence[dict[str, object]], columns: Sequence[str]) -> None:
    block = _title_block(result, title)
    for line in block:
        sheet.append([None])
        _write(sheet.cell(sheet.max_row, 1), line)
    sheet["A1"].font = Font(bold=True, size=13)
    head = len(block) + 2
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(head, index, column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = WIDTHS.get(column, 14)
    for r, row in enumerate(rows, start=head + 1):
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(r, index)
            _write(cell, row[column])
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    last = sheet.cell(head + max(len(rows), 1), len(columns)).coordinate
    sheet.auto_filter.ref = f"A{head}:{last}"
    sheet.freeze_panes = f"A{head + 1}"


def _proposal_rows(result: AppraisalResult) -> list[dict[str, object]]:
    column = basis_column(result.basis)
    return [
        {
            "STT": i,
            "Hình thức": line.award.name,
            "Đối tượng": KIND_WORDS[line.candidate.kind],
            "Tên": line.candidate.name,
            "Chức vụ": line.candidate.person.position if line.candidate.person else "",
            "Đơn vị": line.candidate.unit.name,
            column: basis_cell(result, line.candidate),
            "Hạng": line.rank if line.rank is not None else "",
            "Vị trí xếp hạng": line.place,
            "Kết quả": OUTCOME_WORDS[line.outcome],
            "Ghi chú": line.decision.reason if line.decision else "",
        }
        for i, line in enumerate(result.proposals, start=1)
    ]


def write_proposal_xlsx(result: AppraisalResult, out_dir: Path) -> Path:
    """Write `de-nghi-khen-thuong-<plan>-<year>.xlsx` into `out_dir` and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"de-nghi-khen-thuong-{result.plan.code}-{result.year}.xlsx"
    column = basis_column(result.basis)
    proposal_columns = ("STT", "Hình thức", "Đối tượng", "Tên", "Chức vụ", "Đơn vị", column, "Hạng", "Vị trí xếp hạng",
                        "Kết quả", "Ghi chú")  # fmt: skip
    book = Workbook()
    sheets = [
        ("Đề nghị khen thưởng", "Danh sách đề nghị khen thưởng", _proposal_rows(result), proposal_columns),
        ("Quyết định và lý do", "Kết quả thẩm định và lý do", decision_rows(result), decision_columns(result)),
        (RANKING_SHEET[result.basis], f"Xếp hạng theo {BASIS[result.basis]}, từng nhóm", ranking_rows(result), ranking_columns(result)),
        ("Thiếu chỉ tiêu", "Chỉ tiêu chưa dùng hết và số tối thiểu chưa đạt", quota_rows(result), QUOTA_COLUMNS),
        ("Hội đồng quyết định", "Việc Hội đồng Thi đua - Khen thưởng quyết định", council_rows(result), COUNCIL_COLUMNS),
    ]
    book.active.title = sheets[0][0]
    for i, (name, title, rows, columns) in enumerate(sheets):
        sheet = book.active if i == 0 else book.create_sheet(name)
        _sheet(sheet, result, title, rows, columns)
    book.save(path)
    return path
