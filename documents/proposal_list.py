"""The proposal list as an XLSX workbook: proposals, every decision with its reasons, the rankings."""

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from documents.cells import append_row
from thidua.appraisal.export import DECISION_COLUMNS, RANKING_COLUMNS, decision_rows, ranking_rows
from thidua.appraisal.model import AppraisalResult
from thidua.words import NOMINEE as KIND_WORDS
from thidua.words import percent

PROPOSAL_COLUMNS = ("STT", "Hình thức", "Đối tượng", "Tên", "Đơn vị", "Chỉ số CCHC", "Hạng", "Ghi chú")
WIDTHS = {"Lý do": 90, "Tên": 30, "Đơn vị": 34, "Hình thức": 34, "Nhóm": 30, "Ghi chú": 40}


def _sheet(sheet: Worksheet, title: str, rows: Sequence[dict[str, object]], columns: Sequence[str]) -> None:
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, columns)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        append_row(sheet, [row[c] for c in columns])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(2, index).column_letter].width = WIDTHS.get(column, 14)
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A3"


def _proposal_rows(result: AppraisalResult) -> list[dict[str, object]]:
    return [
        {
            "STT": i,
            "Hình thức": line.award.name,
            "Đối tượng": KIND_WORDS[line.candidate.kind],
            "Tên": line.candidate.name,
            "Đơn vị": line.candidate.unit.name,
            "Chỉ số CCHC": percent(line.candidate.par_index) if line.candidate.par_index is not None else "",
            "Hạng": line.rank,
            "Ghi chú": "Đồng hạng tại ranh giới chỉ tiêu — Hội đồng quyết định" if line.tie else "",
        }
        for i, line in enumerate(result.proposals, start=1)
    ]


def write_proposal_xlsx(result: AppraisalResult, out_dir: Path) -> Path:
    """Write `de-nghi-khen-thuong-<plan>-<year>.xlsx` into `out_dir` and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"de-nghi-khen-thuong-{result.plan.code}-{result.year}.xlsx"
    book = Workbook()
    what = f"{result.plan.title} — năm {result.year}"
    _sheet(book.active, f"Danh sách đề nghị khen thưởng: {what}", _proposal_rows(result), PROPOSAL_COLUMNS)
    book.active.title = "Đề nghị khen thưởng"
    _sheet(book.create_sheet("Quyết định và lý do"), f"Kết quả thẩm định và lý do: {what}", decision_rows(result), DECISION_COLUMNS)
    _sheet(book.create_sheet("Xếp hạng Chỉ số CCHC"), f"Xếp hạng Chỉ số CCHC theo nhóm: {what}", ranking_rows(result), RANKING_COLUMNS)
    book.save(path)
    return path
