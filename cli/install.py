"""Setting up an installation: `thidua init` (a working directory), `thidua doctor` (a checklist of the
configuration), `thidua db upgrade` (the schema brought up to date)."""

from pathlib import Path
from typing import Annotated

import typer

from cli.frame import Typer

db_app = Typer(no_args_is_help=True, help="Cơ sở dữ liệu của thidua.")


NEXT_STEPS = """Bước tiếp theo:
  1. cd {dir}
  2. Sửa .env: máy chủ thư (THIDUA_SMTP_*), Zalo (THIDUA_ZALO_*), PREFECT_API_URL nếu có máy chủ Prefect.
  3. Sửa kế hoạch mẫu theo văn bản của cơ quan, rồi kiểm tra: thidua plan check plans/*.yaml
  4. Tạo cơ sở dữ liệu và nhập danh mục đơn vị: thidua db upgrade && thidua units import plans/units/vi-du-tinh-2026-2027.csv
  5. Kiểm tra toàn bộ cấu hình: thidua doctor
  6. Chạy hằng ngày: thidua serve (có máy chủ Prefect) hoặc thidua serve --embedded"""


def init(directory: Annotated[Path, typer.Argument(metavar="THƯ_MỤC", help="Thư mục làm việc (tạo mới nếu chưa có)")]) -> None:
    """Tạo thư mục làm việc: tệp .env có chú thích, kế hoạch mẫu và danh mục đơn vị mẫu; không ghi đè tệp nào."""
    from services.workspace import create_workspace

    written = create_workspace(directory)
    typer.echo(f"Đã tạo thư mục làm việc {directory}:")
    for path in written:
        typer.echo(f"  {path.relative_to(directory)}")
    typer.echo(NEXT_STEPS.format(dir=directory))


def doctor() -> None:
    """Kiểm tra cấu hình từ đầu đến cuối (không gửi tin, không sửa dữ liệu): mã thoát 0 khi mọi mục đạt."""
    from config import get_settings
    from deployments.health import check_prefect
    from services.doctor import run_checks

    checks = [*run_checks(get_settings()), check_prefect()]
    typer.echo("Kiểm tra cấu hình thidua")
    for check in checks:
        if check.ok:
            typer.echo(f"✔ {check.title}" + (f": {check.detail}" if check.detail else ""))
            continue
        typer.echo(f"✘ {check.title}")
        for problem in check.problems:
            typer.echo(f"    - {problem}")
        if check.fix:
            typer.echo(f"    Cách sửa: {check.fix}")
    failed = [check.title for check in checks if not check.ok]
    if failed:
        typer.echo(f"Cần sửa {len(failed)}/{len(checks)} mục: {', '.join(failed)}. Sửa xong, chạy lại: thidua doctor")
        raise typer.Exit(1)
    typer.echo(f"Đạt cả {len(checks)}/{len(checks)} mục: sẵn sàng cho lần điều phối sáng mai.")


@db_app.command("upgrade")
def upgrade() -> None:
    """Tạo hoặc nâng cấp lược đồ cơ sở dữ liệu lên bản mới nhất (sao lưu trước khi nâng cấp)."""
    from alembic.runtime.migration import MigrationContext

    from models.db import default_engine

    engine = default_engine()  # migrates to the latest schema
    with engine.connect() as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
    typer.echo(f"Cơ sở dữ liệu {engine.url.render_as_string(hide_password=True)} ở bản {revision} (mới nhất).")
