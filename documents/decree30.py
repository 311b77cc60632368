"""Vietnamese administrative documents laid out after Decree 30/2020/NĐ-CP, Phụ lục I, with python-docx.

`AdminDocument` writes a tờ trình or a quyết định piece by piece (header, title, "Kính gửi", "Căn cứ", body,
articles, tables, "Nơi nhận" and signature, annex); `certificates` writes Giấy khen or Bằng khen, one landscape
page each. Rules are paragraph borders sized from Times New Roman's advance widths, so Word and LibreOffice
draw them alike. Text from callers is written as plain text: control characters are dropped, nothing is markup.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import NamedTuple

from docx import Document
from docx.blkcntnr import BlockItemContainer
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Length, Pt, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

FONT = "Times New Roman"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


class Margins(NamedTuple):
    """Page margins in cm."""

    top: float
    bottom: float
    left: float
    right: float


MARGINS = Margins(top=2.0, bottom=2.0, left=3.0, right=1.5)  # Phụ lục I: 20–25, 20–25, 30–35, 15–20 mm
CERTIFICATE_MARGINS = Margins(top=3.0, bottom=2.0, left=3.0, right=3.0)  # inside the form's printed frame
HEADER_CM = (6.5, 10.0)  # agency | motto: 39 % and 61 % of the 16.5 cm text width, the motto fits one line
CLOSING_CM = (7.5, 9.0)  # "Nơi nhận" | signature
BODY_PT = 14
INDENT_CM = 1.27
RULE_SHARE = 0.4  # a short rule is 1/3 to 1/2 of the line above it

Container = DocxDocument | BlockItemContainer

# Advance widths in 1/2048 em of Times New Roman (the same in Liberation Serif, its metric twin) for ASCII 32–126
# and the horned letters; the other Vietnamese letters are as wide as their base letter.
_MEASURED = "".join(map(chr, range(32, 127))) + "ơƠưƯ"
_REGULAR = (
    "512 682 836 1024 1024 1706 1593 369 682 682 1024 1155 512 682 512 569 1024 1024 1024 1024 1024 1024 1024 1024 "
    "1024 1024 569 569 1155 1155 1155 909 1886 1479 1366 1366 1479 1251 1139 1479 1479 682 797 1479 1251 1821 1479 "
    "1479 1139 1479 1366 1139 1251 1479 1479 1933 1479 1479 1251 682 569 682 961 1024 682 909 1024 909 1024 909 682 "
    "1024 1024 569 569 1024 569 1593 1024 1024 1024 1024 682 797 569 1024 1024 1479 1024 1024 909 983 410 983 1108 "
    "1083 1479 1110 1589"
)
_BOLD = (
    "512 682 1137 1024 1024 2048 1706 569 682 682 1024 1167 512 682 512 569 1024 1024 1024 1024 1024 1024 1024 1024 "
    "1024 1024 682 682 1167 1167 1167 1024 1905 1479 1366 1479 1479 1366 1251 1593 1593 797 1024 1593 1366 1933 1479 "
    "1593 1251 1593 1479 1139 1366 1479 1479 2048 1479 1479 1366 682 569 682 1190 1024 682 1024 1139 909 1139 909 682 "
    "1024 1139 569 682 1139 569 1706 1139 1024 1139 1139 909 797 682 1139 1024 1479 1024 1024 909 807 451 807 1065 "
    "1134 1593 1229 1630"
)
_WIDTHS = {
    bold: dict(zip(_MEASURED, map(int, table.split()), strict=True)) for bold, table in ((False, _REGULAR), (True, _BOLD))
}
_HORN = "\u031b"
_BREAK = re.compile(r"(?<! ) (?! )")
FIT = 0.97  # a line is set on one line when the estimate leaves this margin, for rounding in Word and LibreOffice

# Children that must follow a new element, in the order of the WordprocessingML schema.
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr")
_AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
_AFTER_TBLCELLMAR = ("w:tblLook",)
_AFTER_PGNUMTYPE = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:docGrid")


def clean(text: str) -> str:
    """`text` in NFC with tabs and line or paragraph breaks made spaces and other control characters removed."""
    kept = (" " if char in "\t\n\r\v\f\x85\u2028\u2029" else char for char in unicodedata.normalize("NFC", text))
    return "".join(c for c in kept if unicodedata.category(c) not in ("Cc", "Cs") and c not in "\ufffe\uffff")


def day_text(day: date | None) -> str:
    """`ngày 05 tháng 01 năm 2026`: a leading 0 for days below 10 and months 1 and 2; blanks to fill by hand."""
    if day is None:
        return "ngày      tháng      năm      "
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def number_text(number: int | None, symbol: str) -> str:
    """`05/TTr-PNV` (a leading 0 below 10), or a blank number for the văn thư to fill."""
    return f"{number:02d}/{symbol}" if number is not None else f"      /{symbol}"


def text_width_cm(text: str, size: float, *, bold: bool = False) -> float:
    """Width of `text` set on one line in Times New Roman at `size` points."""
    widths, units = _WIDTHS[bold], 0
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", parts[0] + _HORN) if _HORN in parts else parts[0]
        units += widths.get({"đ": "d", "Đ": "D"}.get(base, base), 1024)
    return units / 2048 * size / 72 * 2.54


def _balanced(text: str, size: float, bold: bool, width_cm: float) -> list[str]:
    """`text` in the fewest lines that fit `width_cm`, broken where its widest line is narrowest.

    Lines break at single spaces only, so a run of spaces left blank for a number or a day stays whole."""
    words = _BREAK.split(text)

    def width(start: int, end: int) -> float:
        return text_width_cm(" ".join(words[start:end]), size, bold=bold)

    @cache
    def best(start: int, count: int) -> tuple[float, tuple[int, ...]]:
        """The widest line of `words[start:]` set in `count` lines at best, and where those lines end."""
        if count == 1:
            return width(start, len(words)), (len(words),)
        return min(
            (max(width(start, end), best(end, count - 1)[0]), (end, *best(end, count - 1)[1]))
            for end in range(start + 1, len(words) - count + 2)
        )

    for count in range(1, len(words) + 1):
        widest, ends = best(0, count)
        if widest <= FIT * width_cm:
            break
    return [" ".join(words[a:b]) for a, b in zip((0, *ends[:-1]), ends, strict=True)]


def _twips(cm: float) -> int:
    return round(cm * 1440 / 2.54)


def _child(parent: etree._Element, tag: str, successors: Sequence[str] = (), **attrs: str) -> etree._Element:
    """The `tag` child of `parent` with `attrs` set, added before its first `successors` when missing."""
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        after = {qn(name) for name in successors}
        following = next((child for child in parent if child.tag in after), None)
        if following is None:
            parent.append(element)
        else:
            following.addprevious(element)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _paragraph(
    container: Container, *lines: str, size: float = BODY_PT, bold: bool = False, italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER, before: float = 0, after: float = 0,
) -> Paragraph:  # fmt: skip
    """A paragraph of plain text, `lines` separated by line breaks; the untouched empty paragraph of a new cell
    is used rather than left blank."""
    existing = container.paragraphs
    pristine = len(existing) == 1 and len(existing[0]._p) == 0
    paragraph = existing[0] if pristine else container.add_paragraph()
    fmt = paragraph.paragraph_format
    paragraph.alignment, fmt.space_before, fmt.space_after = align, Pt(before), Pt(after)
    for i, line in enumerate(lines):
        run = _run(paragraph, line, size=size, bold=bold, italic=italic)
        if i < len(lines) - 1:
            run.add_break()
    return paragraph


def _run(paragraph: Paragraph, text: str, *, size: float, bold: bool = False, italic: bool = False) -> Run:
    run = paragraph.add_run(clean(text))
    run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    return run


def _centred(
    container: Container, text: str, width_cm: float, *, size: float = BODY_PT, bold: bool = False,
    italic: bool = False, before: float = 0, after: float = 0, rule: bool = False,
) -> None:  # fmt: skip
    """`text` centred in balanced lines within `width_cm`; with `rule`, a short rule under it (1/3 to 1/2 of its
    widest line, here 0.4) takes the space after."""
    lines = _balanced(clean(text), size, bold, width_cm)
    _paragraph(container, *lines, size=size, bold=bold, italic=italic, before=before, after=0 if rule else after)
    if rule:
        widest = max(text_width_cm(line, size, bold=bold) for line in lines)
        _rule(container, RULE_SHARE * widest, width_cm).paragraph_format.space_after = Pt(after)


def _body_format(paragraph: Paragraph) -> Paragraph:
    """Justified, first line indented 1.27 cm, 6 pt after, 1.15 lines."""
    fmt = paragraph.paragraph_format
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent, fmt.space_after, fmt.line_spacing = Cm(INDENT_CM), Pt(6), 1.15
    return paragraph


def _rule(container: Container, length_cm: float, width_cm: float) -> Paragraph:
    """A solid horizontal rule `length_cm` long, centred in `width_cm`, 3 pt under the line above: the top border
    of a 1 pt high paragraph."""
    paragraph = _paragraph(container, before=3)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Cm((width_cm - length_cm) / 2)
    fmt.line_spacing = Pt(1)
    borders = _child(paragraph._p.get_or_add_pPr(), "w:pBdr", _AFTER_PBDR)
    _child(borders, "w:top", val="single", sz="6", space="0", color="000000")
    return paragraph


def _text_width(section: Section) -> Length:
    return Length(section.page_width - section.left_margin - section.right_margin)


def _table(container: Container, width: Length, widths_cm: Sequence[float], rows: int, *, grid: bool) -> Table:
    """A fixed-layout table whose `w:gridCol` and cell widths are `widths_cm`, the last column taking the rounding
    so the table is exactly `width`; `grid` draws all borders, otherwise none and no side cell margins."""
    if abs(sum(widths_cm) - width.cm) > 0.01:
        raise ValueError(f"tổng độ rộng các cột {sum(widths_cm):.2f} cm khác độ rộng vùng văn bản {width.cm:.2f} cm")
    twips = [_twips(cm) for cm in widths_cm[:-1]]
    twips.append(width.twips - sum(twips))
    table = container.add_table(rows=rows, cols=len(widths_cm))
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    _child(tbl_pr, "w:tblW", type="dxa", w=str(width.twips))
    for col, w in zip(table._tbl.tblGrid.gridCol_lst, twips, strict=True):
        col.w = Twips(w)
    for row in table.rows:
        for cell, w in zip(row.cells, twips, strict=True):
            cell.width = Twips(w)
    borders = _child(tbl_pr, "w:tblBorders", _AFTER_TBLBORDERS)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _child(borders, f"w:{side}", val="single" if grid else "nil", sz="4", space="0", color="000000")
    if not grid:
        margins = _child(tbl_pr, "w:tblCellMar", _AFTER_TBLCELLMAR)
        for side in ("left", "right"):
            _child(margins, f"w:{side}", w="0", type="dxa")
    return table


def _signature(cell: _Cell, width_cm: float, authority: Sequence[str], signer: str, *, before: float) -> None:
    """Authority lines in bold capitals, room to sign, and the signer's name in bold."""
    for i, line in enumerate(authority):
        _centred(cell, line.upper(), width_cm, bold=True, before=before if i == 0 else 0)
    _centred(cell, signer, width_cm, bold=True, before=84)


def _new_document(margins: Margins, *, landscape: bool) -> DocxDocument:
    """An A4 document in Times New Roman 14, Vietnamese, single-spaced, with no space after paragraphs."""
    document = Document()
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _child(defaults, "w:lang", val="vi-VN")
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    _child(normal.element.rPr, "w:rFonts", eastAsia=FONT, cs=FONT)
    normal.paragraph_format.space_after, normal.paragraph_format.line_spacing = Pt(0), 1.0
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(29.7), Cm(21)) if landscape else (Cm(21), Cm(29.7))
    section.top_margin, section.bottom_margin = Cm(margins.top), Cm(margins.bottom)
    section.left_margin, section.right_margin = Cm(margins.left), Cm(margins.right)
    section.header_distance = Cm(1)
    return document


class Column(NamedTuple):
    """A table column: its heading, its width in cm, and whether its cells are centred."""

    title: str
    width_cm: float
    center: bool = False


class AdminDocument:
    """A tờ trình, quyết định or other administrative document, written in the order of its parts."""

    def __init__(
        self, *, agency_parent: str, agency: str, number: int | None, symbol: str, place: str, day: date | None,
        kind: str, title: str, recipients: Sequence[str] = (),
    ) -> None:  # fmt: skip
        """`agency_parent` may be empty; `symbol` is the part after the number (`TTr-PNV`), `kind` the document
        type in sentence case (`Tờ trình`), `title` the trích yếu (`Về việc …`); `number` and `day` are None
        in a draft."""
        self.agency_parent, self.agency, self.place, self.day = agency_parent, agency, place, day
        self.kind, self.title, self.recipients = kind, title, tuple(recipients)
        self.number_text = number_text(number, symbol)
        self.docx = _new_document(MARGINS, landscape=False)
        section = self.docx.sections[0]
        section.different_first_page_header_footer = True  # page numbers from page 2, top centre
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        page = section.header.paragraphs[0]
        page.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field.append(_run(page, "2", size=13)._r)
        page._p.append(field)

    @property
    def text_width(self) -> Length:
        """The width between the margins."""
        return _text_width(self.docx.sections[-1])

    def add_header(self) -> None:
        """Agency name and number (left), national name, motto and place and date (right), with their rules."""
        table = _table(self.docx, self.text_width, HEADER_CM, 2, grid=False)
        (left, right), (number, dated) = (row.cells for row in table.rows)
        if self.agency_parent:
            _centred(left, self.agency_parent.upper(), HEADER_CM[0], size=13)
        _centred(left, self.agency.upper(), HEADER_CM[0], size=13, bold=True, rule=True)
        _paragraph(right, NATION, size=13, bold=True)
        _paragraph(right, MOTTO, bold=True)
        _rule(right, text_width_cm(MOTTO, BODY_PT, bold=True), HEADER_CM[1])
        _paragraph(number, f"Số: {self.number_text}", size=13, before=6)
        _paragraph(dated, f"{self.place}, {day_text(self.day)}", italic=True, before=6)

    def add_title(self) -> None:
        """The document type in bold capitals and the trích yếu in bold, with a short rule under them."""
        _paragraph(self.docx, self.kind.upper(), bold=True, before=18)
        _centred(self.docx, self.title, self.text_width.cm, bold=True, rule=True)

    def add_recipients(self) -> None:
        """`Kính gửi: X.` centred, or one recipient a line after `Kính gửi:`."""
        if len(self.recipients) == 1:
            _centred(self.docx, f"Kính gửi: {self.recipients[0]}.", self.text_width.cm, before=12, after=12)
            return
        last = len(self.recipients) - 1
        for i, name in enumerate(self.recipients):
            paragraph = _paragraph(
                self.docx, align=WD_ALIGN_PARAGRAPH.LEFT, before=12 if i == 0 else 0, after=12 if i == last else 0
            )
            paragraph.paragraph_format.left_indent = Cm(5)
            if i == 0:
                paragraph.paragraph_format.first_line_indent = Cm(-2.5)
                _run(paragraph, "Kính gửi:", size=BODY_PT).add_tab()
            _run(paragraph, f"- {name}{'.' if i == last else ';'}", size=BODY_PT)

    def add_heading(self, text: str) -> None:
        """A centred line in bold capitals: the issuing authority of a quyết định, or `QUYẾT ĐỊNH:`."""
        _centred(self.docx, text.upper(), self.text_width.cm, bold=True, before=6, after=6)

    def add_basis(self, lines: Sequence[str]) -> None:
        """The legal bases (`Căn cứ …;`), one italic paragraph each."""
        for line in lines:
            _body_format(_paragraph(self.docx, line, italic=True))

    def add_paragraph(self, text: str) -> None:
        """A body paragraph."""
        _body_format(_paragraph(self.docx, text))

    def add_article(self, number: int, text: str) -> None:
        """`Điều 1.` in bold followed by the article's text."""
        paragraph = _body_format(_paragraph(self.docx, f"Điều {number}.", bold=True))
        _run(paragraph, f" {text}", size=BODY_PT)

    def add_table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
        """A bordered table in 13 pt whose column widths add up to the text width; the heading row repeats."""
        for i, row in enumerate(rows, start=1):
            if len(row) != len(columns):
                raise ValueError(f"dòng {i} của bảng có {len(row)} ô, bảng có {len(columns)} cột")
        table = _table(self.docx, self.text_width, [c.width_cm for c in columns], len(rows) + 1, grid=True)
        _child(table.rows[0]._tr.get_or_add_trPr(), "w:tblHeader")
        for r, values in enumerate([[c.title for c in columns], *rows]):
            for column, cell, value in zip(columns, table.rows[r].cells, values, strict=True):
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                align = WD_ALIGN_PARAGRAPH.CENTER if r == 0 or column.center else WD_ALIGN_PARAGRAPH.LEFT
                _paragraph(cell, value, size=13, bold=r == 0, align=align, before=3, after=3)
        _paragraph(self.docx).paragraph_format.line_spacing = Pt(6)  # a gap under the grid

    def add_closing(self, copies: Sequence[str], archive: str, authority: Sequence[str], signer: str) -> None:
        """`Nơi nhận:` with `- copy;` lines and `- Lưu: archive.` (left) beside the signature block (right), kept
        on one page with the paragraph above. `authority` is the signing capacity, a line each (`KT. Chủ tịch`,
        `Phó Chủ tịch`)."""
        self.docx.paragraphs[-1].paragraph_format.keep_with_next = True
        table = _table(self.docx, self.text_width, CLOSING_CM, 1, grid=False)
        _child(table.rows[0]._tr.get_or_add_trPr(), "w:cantSplit")
        left, right = table.rows[0].cells
        _paragraph(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, before=12)
        dash = Cm(text_width_cm("- ", 11))
        for line in [f"- {c};" for c in copies] + [f"- Lưu: {archive}."]:
            fmt = _paragraph(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT).paragraph_format
            fmt.left_indent, fmt.first_line_indent = dash, -dash  # a wrapped line starts under the text
        _signature(right, CLOSING_CM[1], authority, signer, before=12)

    def add_annex(self, title: str, subtitle: str, issuer: str) -> None:
        """A new page, numbered from 1, headed `TITLE`, `subtitle` and
        `(Kèm theo <kind> số <number> ngày … của <issuer>)` with a short rule under it."""
        section = self.docx.add_section(WD_SECTION.NEW_PAGE)
        _child(section._sectPr, "w:pgNumType", _AFTER_PGNUMTYPE, start="1")
        # The section break sits in a paragraph of its own after the closing table: 1 pt high, so that a signature
        # block ending at the foot of the page does not push it onto an empty page of its own.
        self.docx.paragraphs[-1].paragraph_format.line_spacing = Pt(1)
        width = self.text_width.cm
        _centred(self.docx, title.upper(), width, bold=True)
        if subtitle:
            _centred(self.docx, subtitle, width, bold=True)
        reference = f"(Kèm theo {self.kind} số {self.number_text} {day_text(self.day)} của {issuer})"
        _centred(self.docx, reference, width, italic=True, rule=True, after=12)

    def save(self, path: Path) -> Path:
        """Write the .docx to `path` and return it."""
        self.docx.save(str(path))
        return path


@dataclass(frozen=True)
class Certificate:
    """One awardee's Giấy khen or Bằng khen.

    `grantor` is who awards (`Chủ tịch Ủy ban nhân dân huyện Lộc Ninh`), `details` the lines under the name
    (position, unit), `decision` the number of the award decision (`05/QĐ-UBND`), `register` the number in
    the award register, if any."""

    grantor: str
    kind: str
    awardee: str
    details: Sequence[str]
    achievement: str
    decision: str
    place: str
    day: date | None
    authority: Sequence[str]
    signer: str
    register: str = ""


def certificates(items: Sequence[Certificate], *, preprinted: bool = False) -> DocxDocument:
    """One landscape A4 page per certificate. With `preprinted`, the national name, the motto and the award's
    name are left blank, at the same height, for a form that carries them."""
    document = _new_document(CERTIFICATE_MARGINS, landscape=True)
    width = _text_width(document.sections[0])

    def line(text: str, size: float, height: float, *, bold: bool = False, italic: bool = False,
             before: float = 0, printed: bool = True) -> Paragraph:  # fmt: skip
        """Centred text in balanced lines `height` points apart, or the same height left blank."""
        lines = _balanced(clean(text), size, bold, width.cm) if printed else [""]
        paragraph = _paragraph(document, *lines, size=size, bold=bold, italic=italic, before=before)
        paragraph.paragraph_format.line_spacing = Pt(height)
        return paragraph

    for n, item in enumerate(items):
        line(NATION, 14, 18, bold=True, printed=not preprinted).paragraph_format.page_break_before = n > 0
        line(MOTTO, 15, 19, bold=True, printed=not preprinted)
        rule = _rule(document, text_width_cm(MOTTO, 15, bold=True), width.cm)
        if preprinted:  # the rule's height stays, its line goes
            rule._p.pPr.remove(rule._p.pPr.find(qn("w:pBdr")))
        line(item.grantor.upper(), 16, 22, bold=True, before=30)
        line("TẶNG", 16, 22, bold=True, before=6)
        line(item.kind.upper(), 40, 50, bold=True, before=6, printed=not preprinted)
        line(item.awardee, 24, 32, bold=True, before=12)
        for detail in item.details:
            line(detail, 16, 22)
        line(item.achievement, 17, 24, italic=True, before=12)
        table = _table(document, width, (width.cm / 2, width.cm / 2), 1, grid=False)
        left, right = table.rows[0].cells
        _paragraph(left, f"Quyết định số {item.decision}", size=13, before=24)
        if item.register:
            _paragraph(left, f"Số vào sổ: {item.register}", size=13)
        _paragraph(right, f"{item.place}, {day_text(item.day)}", italic=True, before=24)
        _signature(right, width.cm / 2, item.authority, item.signer, before=0)
    return document
