"""Spreadsheet cells that stay text: the one rule every XLSX and CSV writer applies (CSV injection, OWASP).

A text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by
Excel and LibreOffice: a unit named `=HYPERLINK("http://evil.example/x","Bấm vào")` would become a
live link in every sheet. Following OWASP's advice on CSV injection, such text is written as text:
in a CSV file with a leading apostrophe (`'=HYPERLINK(…)`), in an XLSX file as a string cell marked
"quote prefix" (Excel's own mark for text typed after an apostrophe: the cell shows the text as
written, without the apostrophe, and stays text when edited). Numbers are left alone (a negative
number is a number); characters XML cannot hold become U+FFFD instead of failing the whole file.
"""

from collections.abc import Iterable

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: object) -> bool:
    """Whether `value` is text a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_row(values: Iterable[object]) -> list[object]:
    """A CSV row whose formula-like text cells begin with an apostrophe."""
    return [f"'{value}" if formula_like(value) else value for value in values]


def set_value(cell: Cell, value: object) -> None:
    """Write `value` into an XLSX cell, text always as text (never a formula)."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value
    if formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
