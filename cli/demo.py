"""`thidua demo`: a year of the Lộc Ninh plan replayed in a couple of minutes."""

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer


def demo(
    as_json: Annotated[bool, typer.Option("--json", help="Kết thúc bằng một dòng JSON tóm tắt")] = False,
    out: Annotated[Path, typer.Option("--out", help="Thư mục dữ liệu và kết quả của lần chạy thử")] = Path("out/demo"),
) -> None:
    """Chạy thử một năm của kế hoạch Lộc Ninh: nhắc hạn, báo cáo, thẩm định, tổng kết."""
    from deployments.prefect_env import quiet_prefect

    quiet_prefect()
    if not os.environ.get("PREFECT_API_URL"):
        # Prefect's temporary server gets a database of its own for this run, not the shared
        # ~/.prefect one that every earlier ephemeral run has grown (and another process may hold).
        os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="thidua-demo-prefect-")
    from cli.replay import run

    summary = run(out.resolve(), typer.echo)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
