"""`thidua serve`: Prefect serves the dispatcher on its schedule and the administrator actions, from this process."""

import os

from prefect import serve

from deployments.catalog import catalog
from deployments.schedule import DailySchedule

NO_SERVER = (
    "Chưa cấu hình máy chủ Prefect (PREFECT_API_URL). Máy chủ tạm thời không lập lịch được.\n"
    "  1. prefect server start      (PostgreSQL cho cơ sở dữ liệu của Prefect khi triển khai thật)\n"
    "  2. export PREFECT_API_URL=http://127.0.0.1:4200/api\n"
    "  3. thidua serve\n"
    "Không có máy chủ Prefect? Dùng: thidua serve --embedded"
)


def has_server() -> bool:
    return bool(os.environ.get("PREFECT_API_URL"))


def serve_with_prefect(schedule: DailySchedule) -> None:
    """Serve every deployment from this process; missed runs survive a shutdown (pause_on_shutdown=False)."""
    deployments = [
        entry.flow.to_deployment(entry.name, schedule=entry.schedule, tags=list(entry.tags), description=entry.description)
        for entry in catalog(schedule)
    ]
    serve(*deployments, pause_on_shutdown=False)
