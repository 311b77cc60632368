"""`thidua plan check` and `thidua calendar`: validate plan files and show a year's milestones."""

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cli.frame import Typer
from cli.options import YearOption, option_date
from thidua.errors import InputError, InvalidInput
from thidua.words import MILESTONE_STATUS, ddmmyyyy, long_date

plan_app = Typer(no_args_is_help=True, help="Kế hoạch thi đua: kiểm tra tệp kế hoạch.")


@plan_app.command("check")
def check(files: Annotated[list[Path], typer.Argument(metavar="TỆP...", help="Các tệp kế hoạch YAML")]) -> None:
    """Kiểm tra tệp kế hoạch; báo mọi lỗi cùng lúc (mã thoát 2 nếu có lỗi)."""
    from imports.plans import load_plan

    errors: list[InputError] = []
    for path in files:
        try:
            plan = load_plan(path)
        except InvalidInput as exc:
            errors += exc.errors
            continue
        typer.echo(
            f"{path}: hợp lệ — {plan.code} · {plan.issuer} · "
            f"{ddmmyyyy(plan.period.start)}–{ddmmyyyy(plan.period.end)} · "
            f"{len(plan.groups)} nhóm đơn vị, {len(plan.milestones)} mốc, {len(plan.awards)} hình thức khen thưởng"
        )
    if errors:
        raise InvalidInput(errors)


def calendar(
    file: Annotated[Path, typer.Argument(metavar="TỆP", help="Tệp kế hoạch YAML")],
    year: YearOption,
    par_announcement: Annotated[
        str | None, typer.Option("--par-announcement", help="Ngày công bố Chỉ số CCHC (YYYY-MM-DD)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON")] = False,
) -> None:
    """Các mốc của một năm: ngày danh nghĩa, ngày hiệu lực, thứ, trạng thái và quy tắc áp dụng."""
    from imports.plans import load_plan
    from thidua.cycle.state import occurrences
    from thidua.cycle.status import deliverables_json
    from thidua.plan.milestones import milestones_for_year

    plan = load_plan(file)
    admin = {"par_announcement": option_date("--par-announcement", par_announcement)} if par_announcement else {}
    if year not in plan.cycle_years:
        raise InvalidInput([InputError(str(file), "--year", year, f"kế hoạch chỉ có các năm {plan.cycle_years[0]}–{plan.cycle_years[-1]}")])
    milestones = milestones_for_year(plan, year, admin_dates=admin)
    owed = deliverables_json(occurrences(plan, {m.kind: m for m in milestones}))
    if as_json:
        document = {"plan": plan.code, "year": year, "milestones": [m.as_json() for m in milestones], "deliverables": owed}
        typer.echo(json.dumps(document, ensure_ascii=False))
        return
    typer.echo(f"{plan.title}\nChu kỳ năm {year} — {plan.issuer}\n")
    for m in milestones:
        when = long_date(m.date) if m.date else "chưa xác định"
        typer.echo(f"• {m.label} [{m.kind}] — {when} ({MILESTONE_STATUS[m.status]})")
        typer.echo(f"    {m.rule}")
    typer.echo("\nViệc phải nộp:")
    for d in owed:
        when = ", ".join(ddmmyyyy(date.fromisoformat(day)) if day else "chưa xác định" for day in d["deadlines"])
        chased = "nhắc hạn" if d["chased"] else "chưa nhắc"
        typer.echo(f"• {d['name']} [{d['code']}] — hạn {when} ({MILESTONE_STATUS[d['status']]}; {chased})")
