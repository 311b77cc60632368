"""Administrator commands of a cycle: record a dossier, set dates, see the status, run a tick."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from cli.frame import Typer
from cli.options import COMMAND_LINE, PlanOption, YearOption, option_date
from thidua.dates import TZ, local_day, parse_date
from thidua.errors import InputError, InvalidInput
from thidua.words import DELIVERY, long_date, result_heading

dossier_app = Typer(no_args_is_help=True, help="Hồ sơ đề nghị khen thưởng và các việc phải nộp.")
register_app = Typer(no_args_is_help=True, help="Đăng ký thi đua: đơn vị và cá nhân đăng ký.")
cycle_app = Typer(no_args_is_help=True, help="Chu kỳ hằng năm: các ngày do quản trị viên đặt.")
UnitOption = Annotated[str, typer.Option("--unit", metavar="MÃ_ĐƠN_VỊ", help="Mã đơn vị")]


def _instant(text: str | None) -> datetime | None:
    """`--at`: ISO datetime, local (Asia/Ho_Chi_Minh) unless it carries an offset."""
    if text is None:
        return None
    try:
        at = datetime.fromisoformat(text)
        parse_date(at)  # within the years a date may have
    except ValueError:
        try:
            parse_date(text[:10])  # a real date with a wrong time, or an impossible date: say which
            reason = "thời điểm phải viết dạng YYYY-MM-DDTHH:MM (giờ Việt Nam)"
        except ValueError as exc:
            reason = str(exc)
        raise InvalidInput([InputError(COMMAND_LINE, "--at", text, reason)]) from None
    at = at if at.tzinfo else at.replace(tzinfo=TZ)
    if at > datetime.now(UTC):
        raise InvalidInput([InputError(COMMAND_LINE, "--at", text, "thời điểm nhận hồ sơ chưa tới (ở tương lai)")])
    return at


def _nominee(text: str) -> tuple[str, str]:
    kind, sep, name = text.partition(":")
    if not sep or not name.strip():
        raise InvalidInput([InputError(COMMAND_LINE, "--nominee", text, "viết dạng collective:MÃ_ĐƠN_VỊ hoặc individual:Họ Tên")])
    return kind.strip(), name.strip()


@dossier_app.command("receive")
def receive(
    plan: PlanOption,
    year: YearOption,
    unit: UnitOption,
    doc: Annotated[list[str], typer.Option("--doc", help="Mã tài liệu đã nhận (lặp lại được)")] = [],  # noqa: B006
    nominee: Annotated[list[str], typer.Option("--nominee", help="collective:MÃ hoặc individual:Họ Tên")] = [],  # noqa: B006
    at: Annotated[str | None, typer.Option("--at", help="Thời điểm nhận, mặc định bây giờ")] = None,
    deliverable: Annotated[
        str | None, typer.Option("--deliverable", help="Mã việc phải nộp (mặc định: hồ sơ đề nghị khen thưởng)")
    ] = None,
    due: Annotated[str | None, typer.Option("--due", help="Loại mốc hạn, khi việc có nhiều hạn trong năm")] = None,
) -> None:
    """Ghi nhận tài liệu một đơn vị đã nộp cho một việc phải nộp (nộp muộn vẫn được ghi, đánh dấu trễ hạn)."""
    from models.db import session_scope
    from services.plans import cycle_plan
    from services.receipts import record_receipt
    from services.runtime import message_renderer

    the_plan, when, nominees = cycle_plan(plan, year), _instant(at), [_nominee(n) for n in nominee]
    with session_scope() as session:
        receipt = record_receipt(
            session, the_plan, year, unit, doc, when, nominees, message_renderer(session), deliverable=deliverable, due=due,
            source="quản trị viên (dòng lệnh)",
        )  # fmt: skip
    state, occurrence = receipt.state, receipt.occurrence
    words = DELIVERY[state.status] + (" — trễ hạn" if state.late else "")
    typer.echo(f"{receipt.unit.name}: {occurrence.name} {words}.")
    if state.missing:
        labels = {d.code: d.name for d in occurrence.deliverable.document_list}
        typer.echo("Còn thiếu: " + "; ".join(labels[c] for c in state.missing))
    typer.echo(f"Đã ghi {receipt.confirmations} tin xác nhận vào hộp thư đi.")


def _person(text: str) -> tuple[str, str]:
    name, _, position = text.partition(":")
    return name.strip(), position.strip()


@register_app.command("unit")
def register_unit(
    plan: PlanOption,
    year: YearOption,
    unit: UnitOption,
    person: Annotated[list[str], typer.Option("--person", help="Cá nhân đăng ký: \"Họ Tên:Chức vụ\" (lặp lại được)")] = [],  # noqa: B006
    at: Annotated[str | None, typer.Option("--at", help="Thời điểm đăng ký, mặc định bây giờ")] = None,
) -> None:
    """Ghi nhận một đơn vị đăng ký thi đua, cùng các cá nhân đơn vị đăng ký."""
    from models.db import session_scope
    from services.plans import cycle_plan
    from services.receipts import record_registration

    the_plan, when = cycle_plan(plan, year), _instant(at)
    with session_scope() as session:
        added = record_registration(session, the_plan, year, unit, [_person(p) for p in person], when)
    typer.echo(f"{unit}: đã đăng ký thi đua năm {year}; thêm {added} cá nhân.")


@register_app.command("import")
def register_import(
    file: Annotated[Path, typer.Argument(metavar="TỆP", help="Tệp .csv (UTF-8) hoặc .xlsx: unit_code, name, position (name trống: chỉ tập thể).")],
    plan: PlanOption,
    year: YearOption,
) -> None:
    """Nhập danh sách đăng ký thi đua từ tệp: cả tệp hoặc không gì."""
    from models.db import session_scope
    from services.imports import import_registrations
    from services.plans import cycle_plan

    the_plan = cycle_plan(plan, year)
    with session_scope() as session:
        added = import_registrations(session, file, the_plan, year, datetime.now(UTC))
    typer.echo(f"Đã ghi đăng ký của {len(added)} đơn vị, {sum(added.values())} cá nhân mới.")


@cycle_app.command("set-announcement")
def set_announcement(
    plan: PlanOption, year: YearOption, day: Annotated[str, typer.Option("--date", help="Ngày công bố (YYYY-MM-DD)")]
) -> None:
    """Đặt ngày Hội nghị công bố Chỉ số CCHC của năm; hạn thẩm định tính lại từ ngày này."""
    set_date(plan, year, "par_announcement", day)


@cycle_app.command("set-date")
def set_date(
    plan: PlanOption,
    year: YearOption,
    milestone: Annotated[str, typer.Option("--milestone", help="Loại mốc (ví dụ annual_review)")],
    day: Annotated[str, typer.Option("--date", help="Ngày (YYYY-MM-DD hoặc dd/mm/yyyy)")],
) -> None:
    """Đặt ngày cho một mốc do quản trị viên quyết định hoặc chọn ngày trong một khoảng (ví dụ quý I)."""
    from models.db import session_scope
    from models.queries.cycle import load_dates, set_admin_date
    from services.plans import cycle_plan

    the_plan, chosen = cycle_plan(plan, year), option_date("--date", day)
    with session_scope() as session:
        set_admin_date(session, the_plan, year, milestone, chosen)
        session.flush()
        effective = load_dates(session, the_plan, year, chosen).milestones[milestone].date
    label = the_plan.milestone(milestone).label  # type: ignore[union-attr]
    rolled = f" (ngày nghỉ: tính là {long_date(effective)})" if effective and effective != chosen else ""
    typer.echo(f"{the_plan.code} · {year}: {label} — {long_date(chosen)}{rolled}.")


def status(
    plan: PlanOption,
    year: YearOption,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Xem tại ngày (mặc định hôm nay)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON")] = False,
) -> None:
    """Trạng thái hồ sơ từng đơn vị của một chu kỳ."""
    from models.db import session_scope
    from models.queries.cycle import load_state
    from services.plans import cycle_plan
    from thidua.cycle.status import status_record, status_rows, summary_markdown

    the_plan = cycle_plan(plan, year)
    day = option_date("--as-of", as_of) if as_of else local_day(datetime.now(UTC))
    with session_scope() as session:
        state = load_state(session, the_plan, year, day)
    if as_json:
        units = [status_record(state, s) for s in state.units]
        typer.echo(json.dumps({"plan": plan, "year": year, "as_of": day.isoformat(), "units": units}, ensure_ascii=False))
        return
    typer.echo(summary_markdown(state, text=str))
    typer.echo("")
    for row in status_rows(state):
        details = "; ".join(f"{k.lower()}: {v}" for k, v in row.items() if v and k not in ("Mã", "Đơn vị", "Nhóm"))
        typer.echo(f"• {row['Đơn vị']} ({row['Mã']}) — {details}")


def tick(as_of: Annotated[str | None, typer.Option("--as-of", help="Ngày chạy (mặc định hôm nay)")] = None) -> None:
    """Chạy bộ điều phối một lần: mọi việc đến hạn trong ngày. Mã thoát 1 nếu gặp sự cố (kênh gửi, kế hoạch lỗi)."""
    day = option_date("--as-of", as_of) if as_of else None
    from deployments.prefect_env import console_without_tracebacks
    from flows.daily import DispatchProblems, daily

    console_without_tracebacks()

    try:
        results, problems = daily(as_of=day), None
    except DispatchProblems as exc:
        results, problems = exc.results, exc
    for result in results:
        for line in result.get("lines", []):
            typer.echo(f"{result_heading(result)}: {line}")
    if problems:
        typer.echo(str(problems), err=True)
        raise typer.Exit(1)


def serve(
    embedded: Annotated[bool, typer.Option("--embedded", help="Dùng APScheduler, không cần máy chủ Prefect")] = False,
) -> None:
    """Chạy theo lịch: Prefect serve (cần máy chủ Prefect) hoặc bộ lập lịch nhúng."""
    from config import get_settings
    from deployments.schedule import daily_schedule

    schedule = daily_schedule(get_settings())
    if embedded:
        from deployments.embedded import SchedulerAlreadyRunning, serve_embedded
        from models.db import default_engine

        typer.echo(f"Bộ lập lịch nhúng: điều phối hằng ngày lúc {schedule.hour:02d}:{schedule.minute:02d} ({schedule.timezone}).")
        try:
            serve_embedded(default_engine(), schedule)
        except SchedulerAlreadyRunning as exc:
            typer.echo(f"Không khởi động: {exc}.", err=True)
            raise typer.Exit(1) from None
        return
    from deployments.prefect_serve import NO_SERVER, has_server, serve_with_prefect

    if not has_server():
        typer.echo(NO_SERVER, err=True)
        raise typer.Exit(2)
    serve_with_prefect(schedule)
