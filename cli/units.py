"""`thidua units`: import a plan's unit directory from CSV/XLSX and list it."""

from __future__ import annotations

import json
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.frame import Typer
from cli.options import option_date
from thidua.errors import InputError, InvalidInput
from thidua.words import ddmmyyyy

if TYPE_CHECKING:
    from models.queries.units import ImportReport
    from models.units import Unit

units_app = Typer(no_args_is_help=True, help="Danh mục đơn vị tham gia của kế hoạch.")

PlanOption = Annotated[str | None, typer.Option("--plan", metavar="MÃ_KẾ_HOẠCH", help="Mã kế hoạch, ví dụ loc-ninh-2024-2025.")]


def plan_groups(plan_code: str) -> dict[str, str]:
    """The group codes of a plan → their Vietnamese names; raises InvalidInput for an unknown plan."""
    from services.plans import find_plan

    return find_plan(plan_code).group_names


def _plan_of(path: Path, plan: str | None) -> tuple[str, dict[str, str]]:
    """The plan code and its groups: `--plan`, or else the file's stem when it is a plan code."""
    if plan is not None:
        return plan, plan_groups(plan)
    try:
        return path.stem, plan_groups(path.stem)
    except InvalidInput:
        reason = "tên tệp không phải mã của một kế hoạch; hãy ghi rõ --plan MÃ_KẾ_HOẠCH"
        raise InvalidInput([InputError(str(path), "--plan", path.stem, reason)]) from None


def _summary(report: ImportReport) -> list[str]:
    """The Vietnamese lines that tell what an import did."""
    lines = [
        f"Đã nhập {report.total} đơn vị vào danh mục kế hoạch {report.plan}: {len(report.added)} thêm mới, "
        f"{len(report.updated)} cập nhật, {len(report.unchanged)} không đổi."
    ]
    if report.updated:
        lines.append(f"Cập nhật: {', '.join(report.updated)}.")
    if report.absent:
        absent = ", ".join(report.absent)
        lines.append(f"{len(report.absent)} đơn vị không có trong tệp (vẫn giữ trong danh mục): {absent}.")
    return lines


@units_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(metavar="TỆP", help="Tệp .csv (UTF-8) hoặc .xlsx, dòng đầu là tên cột.")],
    plan: PlanOption = None,
) -> None:
    """Nhập danh mục đơn vị từ tệp CSV/XLSX: chỉ ghi khi toàn bộ tệp hợp lệ; nhập lại cùng tệp không thay đổi gì."""
    from imports.tables import require_file
    from models.db import session_scope
    from services.imports import import_units

    require_file(file)
    code, groups = _plan_of(file, plan)
    with session_scope() as session:
        report = import_units(session, file, code, groups)
    for line in _summary(report):
        typer.echo(line)


def _as_of_date(text: str | None) -> date | None:
    """The `--as-of` date; raises InvalidInput in the CLI's error format."""
    return option_date("--as-of", text) if text is not None else None


def _validity(unit: Unit) -> str:
    """`từ 01/07/2024 đến 30/06/2025, sáp nhập vào X`, or "" for a unit valid throughout."""
    start = f"từ {ddmmyyyy(unit.valid_from)}" if unit.valid_from else ""
    end = f"đến {ddmmyyyy(unit.valid_to)}" if unit.valid_to else ""
    merge = f"sáp nhập vào {unit.merged_into}" if unit.merged_into else ""
    return ", ".join(filter(None, [" ".join(filter(None, [start, end])), merge]))


def _print_table(units: list[Unit]) -> None:
    """Units by plan, one line each: code, name, group and validity."""
    for plan, in_plan in groupby(units, key=lambda unit: unit.plan):
        rows = list(in_plan)
        typer.echo(f"Kế hoạch {plan} — {len(rows)} đơn vị")
        width = max(len(unit.code) for unit in rows)
        for unit in rows:
            validity = _validity(unit)
            typer.echo(f"  {unit.code:<{width}}  {unit.name} [{unit.group}]" + (f" ({validity})" if validity else ""))


@units_app.command("list")
def list_command(
    plan: PlanOption = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Chỉ các đơn vị còn tồn tại vào ngày này.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In một mảng JSON, ngày theo ISO.")] = False,
) -> None:
    """Liệt kê đơn vị của một kế hoạch (hoặc của mọi kế hoạch)."""
    from models.db import session_scope
    from models.queries.units import list_units, unit_json

    day = _as_of_date(as_of)
    with session_scope() as session:
        units = list_units(session, plan, day)
    if as_json:
        typer.echo(json.dumps([unit_json(unit) for unit in units], ensure_ascii=False, indent=2))
    elif units:
        _print_table(units)
    else:
        typer.echo("Không có đơn vị nào.")
