"""`thidua doctor`: each part of an installation checked as the morning run would use it, nothing sent or changed."""

import asyncio
import os
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from config import Settings
from imports.plans import scan_plans
from models.db import make_engine
from models.migrate import alembic_config
from models.queries.units import directory
from models.types import utcnow
from notifications.channels import build_channels
from notifications.channels.base import Health, Transport
from thidua.channels import REGISTRY
from thidua.dates import TIMEZONE, TZ, local_day
from thidua.doctor import Check, clock_problems, directory_problems, local_zone_note, timezone_problems, utc_offset
from thidua.plan.schema import Plan
from thidua.words import long_date

FIX_CLOCK = "đồng bộ đồng hồ máy (NTP: timedatectl set-ntp true)"
FIX_TIMEZONE = (
    "cài lại cơ sở dữ liệu múi giờ của hệ điều hành (Debian/Ubuntu: sudo apt-get install --reinstall tzdata), "
    "hoặc, trên máy không có /usr/share/zoneinfo, gói Python tzdata: .venv/bin/pip install tzdata; rồi chạy lại thidua doctor"
)
FIX_CHANNEL = {
    "email": "kiểm tra THIDUA_SMTP_HOST, THIDUA_SMTP_PORT, THIDUA_SMTP_TLS, THIDUA_SMTP_USERNAME, THIDUA_SMTP_PASSWORD, "
    "THIDUA_SMTP_CA_FILE và THIDUA_MAIL_FROM trong .env; thử gửi: thidua notify test --channel email --to <email>",
    "zalo": "cấp quyền OA và lưu token: thidua notify zalo-token; kiểm tra THIDUA_ZALO_OA_ID, THIDUA_ZALO_APP_ID, "
    "THIDUA_ZALO_APP_SECRET, THIDUA_ZALO_ZNS_TEMPLATE_ID; thử gửi: thidua notify test --channel zalo --to <số điện thoại>",
}


def shown_url(url: str) -> str:
    """The database URL without its password."""
    return make_url(url).render_as_string(hide_password=True)


def check_database(engine: Engine, url: str) -> Check:
    """The database answers and its schema is the one this code expects (Alembic head)."""
    title = "Cơ sở dữ liệu"
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    sqlite_file = make_url(url).database if engine.dialect.name == "sqlite" else None
    if sqlite_file and not Path(sqlite_file).exists():
        return Check(title, (f"chưa có cơ sở dữ liệu {sqlite_file}",), "tạo cơ sở dữ liệu: thidua db upgrade")
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as error:
        reason = str(error.orig if hasattr(error, "orig") else error).splitlines()[0]
        return Check(title, (f"không kết nối được {shown_url(url)}: {reason}",), "kiểm tra THIDUA_DATABASE_URL (máy chủ, cổng, tên, quyền)")
    if current == head:
        return Check(title, detail=f"{shown_url(url)}, lược đồ bản {head} (mới nhất)")
    known = {script.revision for script in ScriptDirectory.from_config(alembic_config(engine)).walk_revisions()}
    if current is not None and current not in known:
        return Check(title, (f"lược đồ bản {current} mới hơn mã nguồn (bản {head})",), "cập nhật thidua lên bản đã tạo cơ sở dữ liệu này")
    state = "chưa khởi tạo" if current is None else f"ở bản {current}, mã nguồn cần bản {head}"
    return Check(title, (f"cơ sở dữ liệu {shown_url(url)} {state}",), "chạy thidua db upgrade (sao lưu trước khi nâng cấp)")


def check_plans(folder: Path) -> tuple[Check, dict[str, Plan]]:
    """Every plan file of the folder is valid; the plans that are."""
    title = "Tệp kế hoạch"
    if not folder.is_dir():
        return Check(title, (f"không có thư mục kế hoạch {folder}",), "đặt THIDUA_PLANS_DIR đến thư mục chứa các tệp *.yaml"), {}
    plans, errors = scan_plans(folder)
    if errors:
        return Check(title, tuple(str(e) for e in errors), f"sửa các tệp rồi kiểm tra: thidua plan check {folder}/*.yaml"), plans
    if not plans:
        return Check(title, (f"thư mục {folder} không có tệp kế hoạch *.yaml nào",), "chép kế hoạch vào thư mục (xem thidua init)"), plans
    return Check(title, detail=f"{len(plans)} kế hoạch hợp lệ trong {folder}: {', '.join(sorted(plans))}"), plans


def running(plans: dict[str, Plan], day: date) -> list[Plan]:
    """The plans that still have steps to run: their period, and the review in the year after it."""
    return [plan for code, plan in sorted(plans.items()) if day.year <= plan.period.end.year + 1]


def check_directories(engine: Engine, plans: list[Plan], day: date) -> Check:
    """Every running plan has a directory, and every unit, head and the standing agency can be reached."""
    title = "Danh mục đơn vị"
    try:
        with Session(engine) as session:
            problems = [p for plan in plans for p in directory_problems(plan, directory(session, plan.code), day)]
    except SQLAlchemyError:
        return Check(title, ("không đọc được danh mục: cơ sở dữ liệu chưa sẵn sàng (xem mục trên)",))
    if problems:
        fix = "bổ sung email, số điện thoại hoặc Zalo user_id vào tệp danh mục rồi nhập lại: thidua units import <tệp>"
        return Check(title, tuple(problems), fix)
    return Check(title, detail=f"liên lạc được mọi đơn vị của {len(plans)} kế hoạch đang chạy")


def check_channels(settings: Settings, engine: Engine, plans: list[Plan]) -> list[Check]:
    """Each channel the running plans use, connected and authenticated as a send would, without sending."""
    names = [name for name in REGISTRY if any(name in plan.channels for plan in plans)]
    transports = build_channels(settings, engine, names)

    async def one(name: str, transport: Transport) -> Check:
        try:
            health = await transport.check()
        except SQLAlchemyError:  # a channel that keeps its credentials in the database (Zalo's tokens)
            health = Health("không đọc được thông tin đã lưu của kênh: cơ sở dữ liệu chưa sẵn sàng (xem mục trên)")
        problems = (health.problem,) if health.problem else ()
        return Check(f"Kênh {REGISTRY[name].label}", problems, FIX_CHANNEL.get(name, ""), health.detail)

    async def all_checks() -> list[Check]:
        return [await one(name, transport) for name, transport in transports.items()]

    return asyncio.run(all_checks())


def vietnam_offset(instant: datetime) -> tuple[timedelta | None, str]:
    """The offset the time-zone database gives Asia/Ho_Chi_Minh at `instant`, read afresh from it; or why it cannot."""
    try:
        zone = ZoneInfo.no_cache(TIMEZONE)
    except ZoneInfoNotFoundError:
        return None, f"không có {TIMEZONE}: thiếu gói tzdata"
    except (OSError, ValueError):  # a truncated file, or not a time-zone file, where the zone should be
        return None, f"tệp của {TIMEZONE} hỏng, không đọc được"
    return instant.astimezone(zone).utcoffset(), ""


def _machine_zone(instant: datetime) -> tuple[str, timedelta | None]:
    """This machine's own timezone (TZ, else /etc/localtime) and its offset at `instant`."""
    local = instant.astimezone()
    name = os.environ.get("TZ", "").removeprefix(":")
    if not name:
        link = os.path.realpath("/etc/localtime")
        name = link.partition("zoneinfo/")[2] or local.tzname() or "?"
    return name, local.utcoffset()


def _database_now(engine: Engine) -> datetime | None:
    """The database server's clock (PostgreSQL; SQLite runs on this machine)."""
    if engine.dialect.name != "postgresql":
        return None
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT now()")).scalar_one()
    except SQLAlchemyError:
        return None


def check_clock(engine: Engine) -> Check:
    """This machine's clock (against the database server's), and the timezone every date is computed in: the
    time-zone database must give Asia/Ho_Chi_Minh as +07:00; the machine's own timezone is shown, never judged."""
    title = "Đồng hồ và múi giờ"
    here = utcnow()
    offset, why = vietnam_offset(here)
    clock, zone = clock_problems(here, _database_now(engine)), timezone_problems(offset, why)
    fix = "; ".join(text for text, problems in ((FIX_CLOCK, clock), (FIX_TIMEZONE, zone)) if problems)
    local = here.astimezone(TZ)
    detail = f"bây giờ là {local:%H:%M} {long_date(local.date())} giờ Việt Nam; mọi thời hạn tính theo múi giờ {TIMEZONE}"
    if offset is not None:
        detail += f" ({utc_offset(offset)}, theo cơ sở dữ liệu múi giờ)"
    if note := local_zone_note(*_machine_zone(here)):
        detail += f"; {note}"
    return Check(title, (*clock, *zone), fix, detail)


def _writable(folder: Path) -> str | None:
    """Why `folder` cannot hold thidua's files (created if missing), or None."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".thidua-doctor-"):
            pass
    except OSError as error:
        return f"không ghi được vào {folder}: {error.strerror or error}"
    return None


def check_data_dir(settings: Settings) -> Check:
    """The data folder (SQLite database, documents written) and its outputs folder accept new files."""
    folders = [settings.data_dir, settings.data_dir / "outputs"]
    problems = tuple(problem for folder in folders if (problem := _writable(folder)))
    fix = f"cấp quyền ghi cho người dùng chạy thidua: chown -R $(whoami) {settings.data_dir}, hoặc đặt THIDUA_DATA_DIR"
    return Check("Thư mục dữ liệu", problems, fix, f"ghi được vào {settings.data_dir.resolve()}")


def _existing_only(url: str) -> str:
    """The URL, opening a SQLite file only if it exists (the check must not create an empty database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return url
    return parsed.set(database=f"file:{parsed.database}", query={"mode": "rw", "uri": "true"}).render_as_string(hide_password=False)


def run_checks(settings: Settings) -> list[Check]:
    """Every check of the installation, in the order the morning run needs them."""
    day = local_day(utcnow())
    data = check_data_dir(settings)
    url = settings.resolved_database_url()
    engine = make_engine(_existing_only(url))
    try:
        database = check_database(engine, url)
        plans_check, plans = check_plans(settings.plans_dir)
        active = running(plans, day)
        checks = [data, database, plans_check, check_clock(engine)]
        checks.append(check_directories(engine, active, day) if database.ok else Check("Danh mục đơn vị", ("bỏ qua: cơ sở dữ liệu chưa sẵn sàng",)))
        return checks + check_channels(settings, engine, active)
    finally:
        engine.dispose()
