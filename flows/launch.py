"""Launch: send the launch notice of a cycle to every participating unit, once."""

from datetime import date
from typing import Any

from prefect import flow

from tasks.cycle import run_day


@flow(name="launch", flow_run_name="{plan} · {year} · phát động", log_prints=False)
def launch(plan: str, year: int, as_of: date | None = None) -> dict[str, Any]:
    """Thông báo phát động tới các đơn vị tham gia (mỗi đơn vị một lần)."""
    return run_day(plan, year, as_of, "launch")
