"""`thidua deploy`: the deployments on a work pool of the Prefect server, for workers on any number of machines."""

from pathlib import Path

import typer

MARK = {"đã tạo": "+", "đã cập nhật": "~", "không đổi": "="}


def deploy() -> None:
    """Đăng ký mọi deployment (điều phối hằng ngày và lịch, bước của chu kỳ, các thao tác quản trị) lên work pool
    của máy chủ Prefect ở PREFECT_API_URL; chạy lại không thay đổi gì. Worker chạy từ thư mục hiện tại."""
    from config import get_settings
    from deployments.prefect_serve import NO_SERVER, has_server

    if not has_server():
        typer.echo(NO_SERVER.replace("thidua serve\n", "thidua deploy\n"), err=True)
        raise typer.Exit(2)
    from prefect.client.orchestration import get_client

    from deployments.pool import deploy as register
    from deployments.schedule import daily_schedule

    settings = get_settings()
    with get_client(sync_client=True) as client:
        done = register(client, daily_schedule(settings), settings.work_pool, Path.cwd())
    for item in done:
        typer.echo(f"{MARK[item.outcome]} {item.kind} {item.name}: {item.outcome}")
    typer.echo(
        f"Khởi động worker trên mỗi máy chạy (cùng thư mục {Path.cwd()}, cùng .env): prefect worker start --pool {settings.work_pool}"
    )
