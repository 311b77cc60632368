"""`thidua appraise`, `thidua scores import`, `thidua individuals import`, `thidua nominees import`,
`thidua report annual|phase`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.frame import Typer
from cli.options import OutOption, PlanOption, YearOption, option_date, writable_folder
from thidua.dates import end_of_day
from thidua.words import BASIS, OUTCOME, ddmmyyyy
from thidua.words import NOMINEE as KIND_WORDS

if TYPE_CHECKING:
    from thidua.appraisal.model import AppraisalResult

scores_app = Typer(no_args_is_help=True, help="Số liệu thẩm định của đơn vị: Chỉ số CCHC, sáng kiến, kỷ luật, nhóm xuất sắc, điểm hoặc thứ tự bình xét.")
individuals_app = Typer(no_args_is_help=True, help="Hồ sơ cá nhân: chức vụ, sáng kiến, kỷ luật, điểm hoặc thứ tự bình xét.")
nominees_app = Typer(no_args_is_help=True, help="Danh sách tập thể, cá nhân được đề nghị trong hồ sơ.")
report_app = Typer(no_args_is_help=True, help="Báo cáo tổng kết năm và sơ kết giai đoạn (HTML).")

FileArgument = Annotated[Path, typer.Argument(metavar="TỆP", help="Tệp .csv (UTF-8) hoặc .xlsx, dòng đầu là tên cột.")]


def _as_of(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    return end_of_day(option_date("--as-of", text))


def _print_result(result: AppraisalResult) -> None:
    from thidua.appraisal.counts import eligibility_words, summary_lines

    deadline = ddmmyyyy(result.deadline.date) if result.deadline.date else "chưa xác định"
    typer.echo(f"Thẩm định {result.plan.code} năm {result.year} — hạn nộp hồ sơ: {deadline} ({result.deadline.rule})")
    typer.echo(f"Xếp hạng theo {BASIS[result.basis]}. {eligibility_words(result)}")
    for c in result.ineligible:
        typer.echo(f"  ✗ {KIND_WORDS[c.kind]} {c.name} ({c.unit.code}): {'; '.join(c.failed)}")
    typer.echo("Đề nghị khen thưởng:")
    for line in result.proposals:
        mark = " [đồng hạng — Hội đồng quyết định]" if line.tie else ""
        mark += f" [{OUTCOME[line.outcome]}]" if line.decision else ""
        typer.echo(f"  • {line.award.name}: {KIND_WORDS[line.candidate.kind]} {line.candidate.name} — {line.place}{mark}")
    for text in summary_lines(result)[1:]:
        typer.echo(text)


def appraise(
    plan: PlanOption,
    year: YearOption,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Thẩm định theo hồ sơ nhận đến hết ngày này.")] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="THƯ_MỤC", help="Ghi danh sách (.xlsx), dự thảo tờ trình và, khi danh sách đã chốt, dự thảo quyết định và giấy khen (.docx) vào thư mục này."),
    ] = None,
) -> None:
    """Thẩm định hồ sơ, xếp hạng Chỉ số CCHC và đề xuất khen thưởng trong chỉ tiêu của kế hoạch."""
    from models.db import session_scope
    from models.queries.appraisal import appraise_cycle
    from services.plans import cycle_plan
    from thidua.appraisal.counts import facts_warning
    from thidua.appraisal.export import result_json

    the_plan, instant = cycle_plan(plan, year), _as_of(as_of)
    folder = writable_folder("--out", out) if out is not None else None
    with session_scope() as session:
        result = appraise_cycle(session, the_plan, year, instant)
    if result.awaiting and len(result.awaiting) == len(result.plan.awards_of(year)):
        for awaiting in result.awaiting:
            typer.echo(f"Không đề xuất khen thưởng: {awaiting}.", err=True)
        raise typer.Exit(2)
    if as_json:
        typer.echo(json.dumps(result_json(result), ensure_ascii=False, indent=2))
        if warning := facts_warning(result):
            typer.echo(warning, err=True)
    else:
        _print_result(result)  # the warning among the summary lines
    if folder is not None:
        from documents.appraisal_files import write_appraisal_files

        for path in write_appraisal_files(result, folder):
            typer.echo(f"Đã ghi {path}", err=as_json)


@scores_app.command("import")
def import_scores_command(
    file: FileArgument,
    plan: PlanOption,
    year: YearOption,
    fractions: Annotated[bool, typer.Option("--fractions", help="Chỉ số CCHC trong tệp ghi dạng phân số 0–1 (0,955 = 95,5%).")] = False,
) -> None:
    """Nhập số liệu của năm (unit_code và các cột kế hoạch cần: par_index, initiatives_recognized, discipline,
    excellent_group, council_score, council_rank): cả tệp hoặc không gì."""
    from models.db import session_scope
    from services.imports import import_scores
    from services.plans import find_plan

    the_plan = find_plan(plan)
    with session_scope() as session:
        report = import_scores(session, file, the_plan, year, fractions=fractions)
    typer.echo(f"Đã nhập số liệu năm {year} của {len(report.added) + len(report.updated)} đơn vị: "
               f"{len(report.added)} thêm mới, {len(report.updated)} cập nhật.")  # fmt: skip


@individuals_app.command("import")
def import_individuals_command(file: FileArgument, plan: PlanOption, year: YearOption) -> None:
    """Nhập hồ sơ cá nhân của năm (unit_code, name, position, initiatives_recognized, discipline; tùy chọn council_score,
    council_rank): cả tệp hoặc không gì."""
    from models.db import session_scope
    from services.imports import import_individuals
    from services.plans import find_plan

    the_plan = find_plan(plan)
    with session_scope() as session:
        report = import_individuals(session, file, the_plan, year)
    typer.echo(f"Đã nhập hồ sơ năm {year} của {len(report.added) + len(report.updated)} cá nhân: "
               f"{len(report.added)} thêm mới, {len(report.updated)} cập nhật.")  # fmt: skip


@nominees_app.command("import")
def import_nominees_command(file: FileArgument, plan: PlanOption, year: YearOption) -> None:
    """Nhập danh sách đề nghị (unit_code, kind, name) vào hồ sơ của từng đơn vị: cả tệp hoặc không gì."""
    from models.db import session_scope
    from services.imports import import_nominees
    from services.plans import find_plan

    the_plan = find_plan(plan)
    with session_scope() as session:
        added = import_nominees(session, file, the_plan, year, datetime.now(UTC))
    typer.echo(f"Đã nhập {sum(map(len, added.values()))} người/tập thể được đề nghị của {len(added)} đơn vị.")


@report_app.command("annual")
def annual_command(plan: PlanOption, year: YearOption, out: OutOption) -> None:
    """Báo cáo tổng kết năm (HTML, biểu đồ nhúng trong tệp)."""
    from models.db import session_scope
    from services.plans import cycle_plan
    from services.reports import annual_report

    the_plan, folder = cycle_plan(plan, year), writable_folder("--out", out)
    with session_scope() as session:
        path = annual_report(session, the_plan, year, folder)
    typer.echo(f"Đã ghi {path}")


@report_app.command("phase")
def phase_command(plan: PlanOption, out: OutOption) -> None:
    """Báo cáo sơ kết giai đoạn: mọi năm của kế hoạch (HTML, biểu đồ nhúng trong tệp)."""
    from models.db import session_scope
    from services.plans import find_plan
    from services.reports import phase_report

    the_plan, folder = find_plan(plan), writable_folder("--out", out)
    with session_scope() as session:
        path = phase_report(session, the_plan, folder)
    typer.echo(f"Đã ghi {path}")
