"""A DOCX draft of the tờ trình (proposal letter) for the standing agency to edit and sign.

Layout of an administrative document: a header table (issuing agency and number on the left, the national
motto on the right), place and date, title, recipients, body, the nominee table, "Nơi nhận" and signature.
"""

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from thidua.appraisal.model import AppraisalResult
from thidua.dates import local_day
from thidua.plan.schema import NomineeKind
from thidua.words import NOMINEE as KIND_WORDS
from thidua.words import ddmmyyyy, long_date, percent

FONT = "Times New Roman"
TIE_MARK = "*"


def _text(
    target: _Cell | DocxDocument, text: str, *, size: int = 14, bold: bool = False, italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = False,
) -> Paragraph:  # fmt: skip
    paragraph = target.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(3)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
    return paragraph


def _first(cell: _Cell, text: str, **style: object) -> None:
    """Write into the empty first paragraph of a new cell, then remove it from the layout's count."""
    _text(cell, text, **style)  # type: ignore[arg-type]
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)


def _document() -> DocxDocument:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin, section.top_margin, section.bottom_margin = Cm(3), Cm(2), Cm(2), Cm(2)
    return document


def _header(document: DocxDocument, result: AppraisalResult) -> None:
    plan = result.plan
    left, right = document.add_table(rows=1, cols=2).rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    _first(left, plan.issuer.upper(), size=13, align=center)
    _text(left, plan.standing_agency.name.upper(), size=13, bold=True, align=center)
    _text(left, "Số:      /TTr-……", size=13, align=center)
    _first(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True, align=center)
    _text(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True, align=center)
    day = local_day(result.as_of)
    place = plan.place or "……"
    _text(right, f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}", italic=True, align=center)


def _forms(result: AppraisalResult) -> list[str]:
    return list(dict.fromkeys(line.award.name for line in result.proposals)) or list(
        dict.fromkeys(a.name for a in result.plan.awards)
    )


def _body(document: DocxDocument, result: AppraisalResult, grantors: str) -> None:
    plan, proposals = result.plan, result.proposals
    issued = f" số {plan.number}" if plan.number else ""
    issued += f" ngày {ddmmyyyy(plan.issued_on)}" if plan.issued_on else ""
    _text(document, f"Căn cứ {plan.title}{issued} của {plan.issuer};", indent=True)
    deadline = f" (hạn nộp hồ sơ: {long_date(result.deadline.date)})" if result.deadline.date else ""
    _text(
        document,
        f"Căn cứ kết quả thẩm định hồ sơ đề nghị khen thưởng{deadline} và kết quả Chỉ số cải cách hành chính "
        f"năm {result.year} của các cơ quan, đơn vị,",
        indent=True,
    )
    count = {kind: sum(1 for p in proposals if p.candidate.kind is kind) for kind in NomineeKind}
    who = " và ".join(f"{n} {KIND_WORDS[kind]}" for kind, n in count.items() if n) or "các tập thể, cá nhân"
    _text(
        document,
        f"{plan.standing_agency.name} kính trình {grantors} xem xét, tặng {', '.join(_forms(result))} cho {who} "
        f"có thành tích xuất sắc trong phong trào thi đua cải cách hành chính năm {result.year} "
        "(có danh sách kèm theo).",
        indent=True,
    )
    ties = sum(1 for p in proposals if p.tie)
    if ties:
        _text(
            document,
            f"Có {ties} trường hợp đồng hạng tại ranh giới chỉ tiêu (đánh dấu {TIE_MARK} trong danh sách); "
            "kính đề nghị Hội đồng Thi đua - Khen thưởng xem xét, quyết định.",
            indent=True,
        )
    for shortfall in result.shortfalls:
        _text(document, f"Lưu ý: {shortfall}.", indent=True)


def _nominee_table(document: DocxDocument, result: AppraisalResult) -> None:
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, ("STT", "Tên tập thể/cá nhân", "Đơn vị", "Chỉ số CCHC", "Hình thức"), strict=True):
        _first(cell, title, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for i, line in enumerate(result.proposals, start=1):
        c = line.candidate
        values = (
            str(i),
            c.name + (f" {TIE_MARK}" if line.tie else ""),
            c.unit.name,
            percent(c.par_index) if c.par_index is not None else "",
            line.award.name,
        )
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _first(cell, value, size=13)
    for row in table.rows:
        for cell, width in zip(row.cells, (Cm(1.2), Cm(5), Cm(4.3), Cm(2.3), Cm(3.2)), strict=True):
            cell.width = width


def _closing(document: DocxDocument, result: AppraisalResult, grantors: str) -> None:
    _text(document, f"Kính trình {grantors} xem xét, quyết định./.", indent=True)
    left, right = document.add_table(rows=1, cols=2).rows[0].cells
    _first(left, "Nơi nhận:", size=12, bold=True, italic=True)
    for line in ("- Như trên;", f"- Hội đồng Thi đua - Khen thưởng {result.plan.issuer};", "- Lưu: VT."):
        _text(left, line, size=11)
    _first(right, "THỦ TRƯỞNG CƠ QUAN", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _text(right, "(Ký, ghi rõ họ tên và đóng dấu)", size=13, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def write_proposal_docx(result: AppraisalResult, out_dir: Path) -> Path:
    """Write `to-trinh-<plan>-<year>.docx` into `out_dir` and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"to-trinh-{result.plan.code}-{result.year}.docx"
    document = _document()
    _header(document, result)
    _text(document, "TỜ TRÌNH", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.space_before = Pt(18)
    _text(
        document,
        f"Về việc đề nghị tặng {', '.join(_forms(result))} năm {result.year}",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    grantors = "; ".join(dict.fromkeys(a.grantor for a in result.plan.awards)) or result.plan.issuer
    _text(document, f"Kính gửi: {grantors}.", align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.space_before = Pt(12)
    _body(document, result, grantors)
    _nominee_table(document, result)
    _closing(document, result, grantors)
    document.save(str(path))
    return path
