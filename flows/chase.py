"""Chase: the reminder ladder before the submission deadline and the escalation ladder after it."""

from datetime import date
from typing import Any

from prefect import flow

from tasks.cycle import run_day


@flow(name="chase", flow_run_name="{plan} · {year} · hạn nộp hồ sơ")
def chase(plan: str, year: int, as_of: date | None = None) -> dict[str, Any]:
    """Nhắc các đơn vị chưa đủ hồ sơ trước hạn; báo cáo lên trên khi quá hạn."""
    return run_day(plan, year, as_of, "chase")
