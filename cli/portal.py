"""`thidua web` (the unit portal) and `thidua portal …`: a unit's link, revoking it, an administrator's password hash."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.frame import Typer
from cli.options import PlanOption, YearOption

portal_app = Typer(no_args_is_help=True, help="Cổng thông tin đơn vị: đường dẫn riêng, thu hồi, mật khẩu quản trị.")

UnitOpt = Annotated[str, typer.Option("--unit", metavar="MÃ_ĐƠN_VỊ", help="Mã đơn vị")]


def web(
    host: Annotated[str | None, typer.Option("--host", help="Địa chỉ lắng nghe (mặc định THIDUA_WEB_HOST)")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Cổng (mặc định THIDUA_WEB_PORT)")] = None,
    replay_clock: Annotated[
        Path | None, typer.Option("--replay-clock", hidden=True, help="Chỉ để chạy thử: thời điểm hiện tại đọc từ tệp này (ISO)")
    ] = None,
) -> None:
    """Chạy cổng thông tin đơn vị (trang riêng của đơn vị và trang quản trị) trên cùng cơ sở dữ liệu."""
    import uvicorn

    from config import get_settings
    from models.db import default_engine
    from models.types import utcnow
    from web.app import ConfigurationError, create_app
    from web.replay import file_clock

    settings = get_settings()
    host, port = host or settings.web_host, port or settings.web_port
    try:
        app = create_app(settings, default_engine(), clock=file_clock(replay_clock) if replay_clock else utcnow)
    except ConfigurationError as exc:
        typer.echo(f"Không khởi động: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Cổng thông tin đơn vị: http://{host}:{port}", err=True)
    if settings.public_url:
        typer.echo(f"Đường dẫn gửi cho đơn vị: {settings.public_url.rstrip('/')}/u/…", err=True)
    else:
        typer.echo("Chưa đặt THIDUA_PUBLIC_URL: tin nhắn chưa có đường dẫn riêng của đơn vị.", err=True)
    if not settings.admin_users:
        typer.echo("Chưa cấu hình tài khoản quản trị (THIDUA_ADMIN_USERS): trang quản trị tắt.", err=True)
    uvicorn.run(app, host=host, port=port, proxy_headers=True, forwarded_allow_ips="127.0.0.1", log_level="warning", access_log=False)


@portal_app.command("link")
def link(plan: PlanOption, year: YearOption, unit: UnitOpt) -> None:
    """In đường dẫn riêng hiện hành của một đơn vị (không in khi đợt thi đua đã kết thúc)."""
    from models.db import session_scope
    from models.types import utcnow
    from services.links import current_link
    from services.plans import cycle_plan

    with session_scope() as session:
        typer.echo(current_link(session, cycle_plan(plan, year), year, unit, now=utcnow()))


@portal_app.command("revoke")
def revoke(plan: PlanOption, year: YearOption, unit: UnitOpt) -> None:
    """Thu hồi đường dẫn riêng của một đơn vị (đường dẫn cũ báo «đã được thay thế») và in đường dẫn mới."""
    from models.db import session_scope
    from models.types import utcnow
    from services.links import closed_on, closed_words, current_link, revoke
    from services.plans import cycle_plan

    the_plan = cycle_plan(plan, year)
    now = utcnow()
    with session_scope() as session:
        generation = revoke(session, the_plan, year, unit, "quản trị viên (dòng lệnh)", now)
    with session_scope() as session:
        closed = closed_on(session, the_plan, year, now)
        new = current_link(session, the_plan, year, unit) if _public_url() and closed is None else None
    typer.echo(f"{unit}: đã thu hồi đường dẫn cũ (thế hệ {generation}).")
    if closed is not None:
        typer.echo(f"Không in đường dẫn mới: {closed_words(closed)}.")
    if new:
        typer.echo(new)


def _public_url() -> str | None:
    from config import get_settings

    return get_settings().public_url


@portal_app.command("hash-password")
def hash_password() -> None:
    """Đọc mật khẩu từ đầu vào chuẩn (một dòng), in mã băm Argon2 để đặt vào THIDUA_ADMIN_USERS."""
    from web.auth import hash_password as argon2_hash

    password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < 12:
        typer.echo("Mật khẩu phải dài ít nhất 12 ký tự.", err=True)
        raise typer.Exit(2)
    typer.echo(argon2_hash(password))
