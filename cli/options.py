"""Options several commands share, checked where they are read: the plan, the year, a date, an output folder."""

import tempfile
from datetime import date
from errno import errorcode
from pathlib import Path
from typing import Annotated

import typer

from thidua.dates import PLAN_YEARS, parse_date
from thidua.errors import InputError, InvalidInput
from thidua.words import os_error

COMMAND_LINE = "(dòng lệnh)"
FIRST_YEAR, LAST_YEAR = PLAN_YEARS

PlanOption = Annotated[str, typer.Option("--plan", metavar="MÃ_KẾ_HOẠCH", help="Mã kế hoạch, ví dụ loc-ninh-2024-2025.")]
YearOption = Annotated[int, typer.Option("--year", min=FIRST_YEAR, max=LAST_YEAR, metavar="NĂM", help="Năm của chu kỳ.")]
OutOption = Annotated[Path, typer.Option("--out", metavar="THƯ_MỤC", help="Thư mục ghi tệp kết quả.")]


def option_date(option: str, text: str) -> date:
    """A date given on the command line (`dd/mm/yyyy` or `yyyy-mm-dd`); InvalidInput names the option."""
    try:
        return parse_date(text)
    except ValueError as exc:
        raise InvalidInput([InputError(COMMAND_LINE, option, text, str(exc))]) from None


def writable_folder(option: str, folder: Path) -> Path:
    """`folder`, created if needed, once a file could be written in it; InvalidInput names the option otherwise."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        reason = f"không ghi được vào thư mục này: {os_error(errorcode.get(exc.errno or 0), exc.strerror or str(exc))}"
        raise InvalidInput([InputError(COMMAND_LINE, option, str(folder), reason)]) from None
    return folder
