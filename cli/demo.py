"""`thidua demo`: a year of the Lộc Ninh plan replayed in a couple of minutes."""

import json
from pathlib import Path
from typing import Annotated

import typer

from cli.options import writable_folder


def demo(
    as_json: Annotated[bool, typer.Option("--json", help="Kết thúc bằng một dòng JSON tóm tắt")] = False,
    out: Annotated[Path, typer.Option("--out", help="Thư mục dữ liệu và kết quả của lần chạy thử")] = Path("out/demo"),
) -> None:
    """Chạy thử một năm của kế hoạch Lộc Ninh: nhắc hạn, báo cáo, thẩm định, tổng kết."""
    from deployments.prefect_env import quiet_prefect

    quiet_prefect()  # Prefect's temporary server has a home of its own for this run (deployments/prefect_env.py)
    from cli.replay import run
    from deployments.prefect_env import console_without_tracebacks

    console_without_tracebacks()

    summary = run(writable_folder("--out", out).resolve(), typer.echo)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
