"""`thidua appraise`, `thidua scores import`, `thidua nominees import`, `thidua report annual|phase`."""

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from models.db import session_scope
from models.types import utcnow
from thidua.appraisal import AppraisalResult, appraise_cycle
from thidua.appraisal.allocation import KIND_WORDS
from thidua.appraisal.export import result_json
from thidua.appraisal.letter import write_proposal_docx
from thidua.appraisal.nominees import import_nominees
from thidua.appraisal.workbook import write_proposal_xlsx
from cli.errors import fail, option_date
from thidua.dates import end_of_day
from thidua.errors import InvalidInput
from thidua.plan import load
from thidua.plan.load import plan_by_code
from thidua.plan.schema import Plan
from thidua.reports import annual_report, phase_report
from thidua.scores import import_scores
from config import get_settings
from thidua.words import ddmmyyyy

scores_app = typer.Typer(no_args_is_help=True, help="Số liệu thẩm định: Chỉ số CCHC, sáng kiến, kỷ luật, nhóm xuất sắc.")
nominees_app = typer.Typer(no_args_is_help=True, help="Danh sách tập thể, cá nhân được đề nghị trong hồ sơ.")
report_app = typer.Typer(no_args_is_help=True, help="Báo cáo tổng kết năm và sơ kết giai đoạn (HTML).")

PlanOption = Annotated[str, typer.Option("--plan", help="Mã kế hoạch, ví dụ loc-ninh-2024-2025.")]
YearOption = Annotated[int, typer.Option("--year", help="Năm của chu kỳ.")]
FileArgument = Annotated[Path, typer.Argument(help="Tệp .csv (UTF-8) hoặc .xlsx, dòng đầu là tên cột.")]
OutOption = Annotated[Path, typer.Option("--out", help="Thư mục ghi tệp kết quả.")]


def cycle_plan(code: str, year: int) -> Plan:
    return load.cycle_plan(get_settings().plans_dir, code, year)


def _as_of(text: str | None) -> datetime:
    if text is None:
        return utcnow()
    return end_of_day(option_date("--as-of", text))


def _print_result(result: AppraisalResult) -> None:
    deadline = ddmmyyyy(result.deadline.date) if result.deadline.date else "chưa xác định"
    typer.echo(f"Thẩm định {result.plan.code} năm {result.year} — hạn nộp hồ sơ: {deadline} ({result.deadline.rule})")
    typer.echo(f"Đủ điều kiện: {len(result.eligible)}; không đủ điều kiện: {len(result.ineligible)}")
    for c in result.ineligible:
        typer.echo(f"  ✗ {KIND_WORDS[c.kind]} {c.name} ({c.unit.code}): {'; '.join(c.failed)}")
    typer.echo("Đề nghị khen thưởng:")
    for line in result.proposals:
        mark = " [đồng hạng — Hội đồng quyết định]" if line.tie else ""
        typer.echo(f"  • {line.award.name}: {KIND_WORDS[line.candidate.kind]} {line.candidate.name} — hạng {line.rank}{mark}")
    for shortfall in result.shortfalls:
        typer.echo(f"Lưu ý: {shortfall}")


def appraise(
    plan: PlanOption,
    year: YearOption,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Thẩm định theo hồ sơ nhận đến hết ngày này.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Ghi danh sách (.xlsx) và dự thảo tờ trình (.docx) vào thư mục này.")] = None,
) -> None:
    """Thẩm định hồ sơ, xếp hạng Chỉ số CCHC và đề xuất khen thưởng trong chỉ tiêu của kế hoạch."""
    try:
        the_plan, instant = cycle_plan(plan, year), _as_of(as_of)
        with session_scope() as session:
            result = appraise_cycle(session, the_plan, year, instant)
    except InvalidInput as error:
        raise fail(error) from None
    if as_json:
        typer.echo(json.dumps(result_json(result), ensure_ascii=False, indent=2))
    else:
        _print_result(result)
    if out is not None:
        for path in (write_proposal_xlsx(result, out), write_proposal_docx(result, out)):
            typer.echo(f"Đã ghi {path}", err=as_json)


@scores_app.command("import")
def import_scores_command(file: FileArgument, plan: PlanOption, year: YearOption) -> None:
    """Nhập số liệu của năm (unit_code, par_index, initiatives_recognized, discipline, excellent_group): cả tệp hoặc không gì."""
    try:
        the_plan = plan_by_code(get_settings().plans_dir, plan)
        with session_scope() as session:
            report = import_scores(session, file, the_plan, year)
    except InvalidInput as error:
        raise fail(error) from None
    typer.echo(f"Đã nhập số liệu năm {year} của {len(report.added) + len(report.updated)} đơn vị: "
               f"{len(report.added)} thêm mới, {len(report.updated)} cập nhật.")  # fmt: skip


@nominees_app.command("import")
def import_nominees_command(file: FileArgument, plan: PlanOption, year: YearOption) -> None:
    """Nhập danh sách đề nghị (unit_code, kind, name) vào hồ sơ của từng đơn vị: cả tệp hoặc không gì."""
    try:
        the_plan = plan_by_code(get_settings().plans_dir, plan)
        with session_scope() as session:
            added = import_nominees(session, file, the_plan, year, utcnow())
    except InvalidInput as error:
        raise fail(error) from None
    typer.echo(f"Đã nhập {sum(map(len, added.values()))} người/tập thể được đề nghị của {len(added)} đơn vị.")


@report_app.command("annual")
def annual_command(plan: PlanOption, year: YearOption, out: OutOption) -> None:
    """Báo cáo tổng kết năm (HTML, biểu đồ nhúng trong tệp)."""
    try:
        the_plan = cycle_plan(plan, year)
        with session_scope() as session:
            path = annual_report(session, the_plan, year, out)
    except InvalidInput as error:
        raise fail(error) from None
    typer.echo(f"Đã ghi {path}")


@report_app.command("phase")
def phase_command(plan: PlanOption, out: OutOption) -> None:
    """Báo cáo sơ kết giai đoạn: mọi năm của kế hoạch (HTML, biểu đồ nhúng trong tệp)."""
    try:
        the_plan = plan_by_code(get_settings().plans_dir, plan)
        with session_scope() as session:
            path = phase_report(session, the_plan, out)
    except InvalidInput as error:
        raise fail(error) from None
    typer.echo(f"Đã ghi {path}")
