"""`thidua serve`: Prefect serves the dispatcher on its schedule and the administrator actions."""

import os

from prefect import serve
from prefect.schedules import Cron

from deployments.schedule import DailySchedule

NO_SERVER = (
    "Chưa cấu hình máy chủ Prefect (PREFECT_API_URL). Máy chủ tạm thời không lập lịch được.\n"
    "  1. prefect server start      (PostgreSQL cho cơ sở dữ liệu của Prefect khi triển khai thật)\n"
    "  2. export PREFECT_API_URL=http://127.0.0.1:4200/api\n"
    "  3. thidua serve\n"
    "Không có máy chủ Prefect? Dùng: thidua serve --embedded"
)


DAILY_DEPLOYMENT = "thidua-daily"  # the dispatcher's deployment, under the flow "Điều phối hằng ngày"
ADMIN_TAGS = ["thidua", "quản trị"]


def has_server() -> bool:
    return bool(os.environ.get("PREFECT_API_URL"))


def serve_with_prefect(schedule: DailySchedule) -> None:
    """Serve every deployment from this process; missed runs survive a shutdown (pause_on_shutdown=False)."""
    from flows.admin import council_decide, record_dossier, register_unit, rerun_step, set_announcement
    from flows.daily import daily

    deployments = [
        daily.to_deployment(
            DAILY_DEPLOYMENT,
            schedule=Cron(schedule.cron, timezone=schedule.timezone, slug=schedule.slug),
            tags=["thidua"],
            description="Điều phối hằng ngày: chạy mọi việc đến hạn của các kế hoạch đang hoạt động.",
        ),
        record_dossier.to_deployment("ghi-nhan-ho-so", tags=ADMIN_TAGS),
        register_unit.to_deployment("dang-ky-thi-dua", tags=ADMIN_TAGS),
        set_announcement.to_deployment("ngay-cong-bo-chi-so", tags=ADMIN_TAGS),
        rerun_step.to_deployment("chay-lai-buoc", tags=ADMIN_TAGS),
        council_decide.to_deployment("hoi-dong-quyet-dinh", tags=ADMIN_TAGS),
    ]
    serve(*deployments, pause_on_shutdown=False)
