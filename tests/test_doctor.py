"""`thidua doctor` catches each misconfiguration of issue 13, on a real database, SMTP server and Zalo API (loopback)."""

import importlib.resources
import os
import shutil
import sys
import threading
import time
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings
from sqlalchemy import Engine
from typer.testing import CliRunner

from cli import app
from config import Settings
from deployments.health import check_prefect
from flows.registry import DAILY_DEPLOYMENT
from imports.plans import load_plan
from models.db import make_engine, session_scope
from models.migrate import upgrade
from notifications.channels.zalo import bootstrap_token
from notifications.devservers import free_port
from notifications.devservers.smtp_sink import SmtpSink
from notifications.devservers.zalo_server import ZaloServer
from notifications.render import ZNS_PARAMETERS
from services.doctor import check_clock, run_checks
from services.imports import import_units
from thidua.doctor import Check

ROOT = Path(__file__).parents[1]
GROUPS = load_plan(ROOT / "plans" / "loc-ninh-2024-2025.yaml").group_names
SECRET = "app-secret-doctor"


@dataclass
class Installation:
    """A working installation: its settings, and the servers behind them."""

    settings: Settings
    sink: SmtpSink
    zalo: ZaloServer

    def with_settings(self, **changes: object) -> Settings:
        return Settings(_env_file=None, **(self.settings.model_dump() | changes))  # type: ignore[call-arg]


@pytest.fixture
def installation(engine: Engine, tmp_path: Path) -> Iterator[Installation]:
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(ROOT / "plans" / "loc-ninh-2024-2025.yaml", plans)
    with SmtpSink() as sink, ZaloServer(app_secret=SECRET, template_ids=("1001",)) as zalo:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=tmp_path / "data", plans_dir=plans, database_url=engine.url.render_as_string(hide_password=False),
            smtp_port=sink.port, zalo_oauth_url=zalo.url, zalo_openapi_url=zalo.url, zalo_business_url=zalo.url,
            zalo_app_secret=SECRET, zalo_zns_template_id="1001",
        )  # fmt: skip
        with session_scope(engine) as session:
            import_units(session, ROOT / "plans" / "units" / "loc-ninh-2024-2025.csv", "loc-ninh-2024-2025", GROUPS)
        bootstrap_token(engine, settings, *zalo.issue_tokens(), 90000)
        yield Installation(settings, sink, zalo)


def failed(checks: list[Check]) -> dict[str, tuple[str, ...]]:
    return {check.title: check.problems for check in checks if not check.ok}


def test_a_working_installation_passes_every_check(installation: Installation) -> None:
    checks = run_checks(installation.settings)
    assert failed(checks) == {}
    titles = [check.title for check in checks]
    assert titles == ["Thư mục dữ liệu", "Cơ sở dữ liệu", "Tệp kế hoạch", "Đồng hồ và múi giờ", "Danh mục đơn vị", "Kênh email", "Kênh Zalo"]
    assert installation.sink.messages == [] and installation.zalo.messages == []  # nothing was sent


def test_smtp_that_cannot_be_reached_refuses_the_login_or_the_sender(installation: Installation) -> None:
    closed = installation.with_settings(smtp_port=free_port())
    [unreachable] = failed(run_checks(closed))["Kênh email"]
    assert "không kết nối được máy chủ SMTP" in unreachable and "máy chủ từ chối kết nối" in unreachable and "Connect call" not in unreachable
    with SmtpSink(credentials=("thidua", "đúng")) as guarded:
        wrong = installation.with_settings(smtp_port=guarded.port, smtp_username="thidua", smtp_password="sai-mat-khau")
        [problem] = failed(run_checks(wrong))["Kênh email"]
        assert "từ chối đăng nhập" in problem and "sai-mat-khau" not in problem
        right = installation.with_settings(smtp_port=guarded.port, smtp_username="thidua", smtp_password="đúng")
        assert "Kênh email" not in failed(run_checks(right))
    installation.sink.faults.sender_refused = True
    [refused] = failed(run_checks(installation.settings))["Kênh email"]
    assert "từ chối địa chỉ gửi" in refused and "553" in refused


def test_smtp_tls_that_the_server_does_not_offer_is_caught(installation: Installation) -> None:
    starttls = installation.with_settings(smtp_tls="starttls")
    [problem] = failed(run_checks(starttls))["Kênh email"]
    assert "không hỗ trợ cấu hình đã đặt" in problem


@pytest.mark.parametrize(
    ("break_it", "expected"),
    [
        (lambda i: i.with_settings(zalo_zns_template_id=None), "chưa cấu hình template ZNS"),
        (lambda i: i.with_settings(zalo_zns_template_id="9999"), "template ID không hợp lệ"),
        (lambda i: i.with_settings(zalo_oa_id="oa-khac"), "chưa có token Zalo cho OA oa-khac"),
    ],
)
def test_zalo_settings_that_would_stop_the_channel_are_caught(
    installation: Installation, break_it: Callable[[Installation], Settings], expected: str
) -> None:
    [problem] = failed(run_checks(break_it(installation)))["Kênh Zalo"]
    assert expected in problem


def test_zalo_tokens_are_refreshed_as_a_send_would_and_a_revoked_authorisation_is_caught(installation: Installation) -> None:
    installation.zalo.expire_access_tokens()
    assert "Kênh Zalo" not in failed(run_checks(installation.settings))  # refreshed with the stored refresh token
    installation.zalo.expire_access_tokens()
    installation.zalo.revoke_refresh_tokens()
    [problem] = failed(run_checks(installation.settings))["Kênh Zalo"]
    assert "cấp quyền lại" in problem or "từ chối làm mới token" in problem
    assert installation.zalo.reused_refresh_tokens() == []


def test_a_zns_template_not_approved_or_with_other_parameters_is_caught(installation: Installation) -> None:
    installation.zalo.faults.template_approved = False
    [pending] = failed(run_checks(installation.settings))["Kênh Zalo"]
    assert "PENDING_REVIEW" in pending
    installation.zalo.faults.template_approved = True
    installation.zalo.template_parameters = {"recipient_name": True, "unit_name": True, "ngay_het_han": True}
    [mismatch] = failed(run_checks(installation.settings))["Kênh Zalo"]
    assert "không khớp" in mismatch and "template thiếu: recipient_name" not in mismatch
    assert "template thiếu: plan, milestone, deadline, missing, contact" in mismatch and "template đòi thêm: ngay_het_han" in mismatch
    installation.zalo.template_parameters = {name: True for name in ZNS_PARAMETERS}  # no personal link declared
    assert "Kênh Zalo" not in failed(run_checks(installation.settings))  # fine while the portal is off
    [no_link] = failed(run_checks(installation.with_settings(public_url="https://thidua.example.vn")))["Kênh Zalo"]
    assert "template thiếu: link" in no_link


def test_plan_files_that_are_broken_or_missing_are_caught(installation: Installation) -> None:
    (installation.settings.plans_dir / "nhap.yaml").write_text("code: Sai Mã\n", encoding="utf-8")
    [*problems] = failed(run_checks(installation.settings))["Tệp kế hoạch"]
    assert problems and all("nhap.yaml" in p for p in problems)
    empty = installation.with_settings(plans_dir=installation.settings.data_dir.parent / "khong-co")
    assert "không có thư mục kế hoạch" in failed(run_checks(empty))["Tệp kế hoạch"][0]


def test_a_unit_without_any_address_is_caught(installation: Installation, engine: Engine, tmp_path: Path) -> None:
    text = (ROOT / "plans" / "units" / "loc-ninh-2024-2025.csv").read_text(encoding="utf-8")
    header, first, *rest = text.splitlines()
    cells = dict(zip(header.split(","), first.split(","), strict=True))
    cells.update(focal_email="", focal_phone="", focal_zalo_user_id="")
    silent = tmp_path / "don-vi.csv"
    silent.write_text("\n".join([header, ",".join(cells.values()), *rest]), encoding="utf-8")
    with session_scope(engine) as session:
        import_units(session, silent, "loc-ninh-2024-2025", GROUPS)
    [problem] = failed(run_checks(installation.settings))["Danh mục đơn vị"]
    assert f"({cells['code']})" in problem and "không có địa chỉ nào" in problem


def test_a_database_that_is_missing_behind_or_unreachable_is_caught(installation: Installation, tmp_path: Path) -> None:
    missing = installation.with_settings(database_url=f"sqlite:///{tmp_path / 'chua-co.db'}")
    problems = failed(run_checks(missing))
    assert "chưa có cơ sở dữ liệu" in problems["Cơ sở dữ liệu"][0] and not (tmp_path / "chua-co.db").exists()
    assert problems["Danh mục đơn vị"] == ("bỏ qua: cơ sở dữ liệu chưa sẵn sàng",)
    old_url = f"sqlite:///{tmp_path / 'cu.db'}"
    old = make_engine(old_url)
    upgrade(old, "0004")
    old.dispose()
    [behind] = failed(run_checks(installation.with_settings(database_url=old_url)))["Cơ sở dữ liệu"]
    assert "ở bản 0004, mã nguồn cần bản" in behind
    down = installation.with_settings(database_url=f"postgresql+psycopg://thidua:mat-khau-db@127.0.0.1:{free_port()}/thidua")
    [unreachable] = failed(run_checks(down))["Cơ sở dữ liệu"]
    assert "không kết nối được" in unreachable and "mat-khau-db" not in unreachable


def test_a_data_folder_that_cannot_be_written_is_caught(installation: Installation, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    [problem] = failed(run_checks(installation.with_settings(data_dir=blocker / "data")))["Thư mục dữ liệu"][:1]
    assert "không ghi được vào" in problem


@contextmanager
def zone_files(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The time-zone database as `folder` holds it: the system's folders and the Python package tzdata out of reach."""
    for name in [name for name in sys.modules if name.startswith("tzdata.")] + ["tzdata"]:
        monkeypatch.setitem(sys.modules, name, None)  # import tzdata fails, as when it is not installed
    zoneinfo.reset_tzpath(to=[str(folder)])
    try:
        yield
    finally:
        zoneinfo.reset_tzpath()


@contextmanager
def machine_timezone(name: str) -> Iterator[None]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_a_timezone_database_without_asia_ho_chi_minh_is_caught(sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with zone_files(tmp_path, monkeypatch):
        check = check_clock(sqlite_engine)
    [problem] = check.problems
    assert "không cho được múi giờ Asia/Ho_Chi_Minh (không có Asia/Ho_Chi_Minh: thiếu gói tzdata)" in problem
    assert "apt-get install --reinstall tzdata" in check.fix and "pip install tzdata" in check.fix and "timedatectl" not in check.fix


def test_a_broken_or_wrong_asia_ho_chi_minh_is_caught(sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    utc = importlib.resources.files("tzdata.zoneinfo").joinpath("UTC").read_bytes()
    (tmp_path / "Asia").mkdir()
    zone = tmp_path / "Asia" / "Ho_Chi_Minh"
    zone.write_bytes(utc)  # a time-zone file, of another zone
    with zone_files(tmp_path, monkeypatch):
        [wrong] = check_clock(sqlite_engine).problems
        zone.write_bytes(b"<html>404</html>")  # not a time-zone file at all
        broken = check_clock(sqlite_engine)
    assert "cho Asia/Ho_Chi_Minh là +00:00 thay vì +07:00: mọi thời hạn sẽ tính sai" in wrong
    assert broken.problems == ("cơ sở dữ liệu múi giờ không cho được múi giờ Asia/Ho_Chi_Minh (tệp của Asia/Ho_Chi_Minh hỏng, "
                               "không đọc được): không tính được thời hạn nào",)  # fmt: skip
    assert "tzdata" in broken.fix


def test_the_machines_own_timezone_is_shown_and_not_judged(sqlite_engine: Engine) -> None:
    with machine_timezone("Asia/Tokyo"):
        tokyo = check_clock(sqlite_engine)
    assert tokyo.ok and "(+07:00, theo cơ sở dữ liệu múi giờ)" in tokyo.detail
    assert "múi giờ của máy này là Asia/Tokyo (+09:00), khác giờ Việt Nam — không sao" in tokyo.detail
    with machine_timezone("Asia/Ho_Chi_Minh"):
        vietnam = check_clock(sqlite_engine)
    assert vietnam.ok and "múi giờ của máy này" not in vietnam.detail


class _Refusing(BaseHTTPRequestHandler):
    """What a Prefect server with an auth string answers a client without it."""

    def do_GET(self) -> None:
        self.send_response(401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_prefect_api_that_is_unreachable_or_refuses_the_login_is_caught() -> None:
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        assert check_prefect().ok  # not configured: the embedded scheduler needs none
    with temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{free_port()}/api"}):
        assert "không kết nối được" in check_prefect().problems[0]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Refusing)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/api"
    try:
        with temporary_settings({PREFECT_API_URL: url}):
            check = check_prefect()
    finally:
        server.shutdown()
        server.server_close()
    assert check.problems == (f"{url} từ chối xác thực (HTTP 401)",)
    assert "PREFECT_API_AUTH_STRING" in check.fix


def test_the_cli_prints_a_checklist_and_exits_0_only_when_everything_passes(
    installation: Installation, point_app: Callable[..., None], engine: Engine
) -> None:
    env = {f"THIDUA_{name.upper()}": str(value) for name, value in installation.settings.model_dump().items() if value is not None}
    env["THIDUA_ZALO_APP_SECRET"] = SECRET
    point_app(engine, **env)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        ok = CliRunner().invoke(app, ["doctor"])
    assert ok.exit_code == 0, ok.output
    assert ok.output.count("✔") == 8 and "✘" not in ok.output and "Đạt cả 8/8 mục" in ok.output
    point_app(engine, THIDUA_SMTP_PORT=str(free_port()))
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        bad = CliRunner().invoke(app, ["doctor"])
    assert bad.exit_code == 1
    assert "✘ Kênh email" in bad.output and "Cách sửa: kiểm tra THIDUA_SMTP_HOST" in bad.output and "Cần sửa 1/8 mục" in bad.output


@pytest.mark.slow
def test_a_prefect_server_without_the_daily_schedule_served_is_caught(prefect_harness: None) -> None:
    from flows.daily import daily

    [missing] = check_prefect().problems
    assert "chưa có lịch điều phối hằng ngày (Điều phối hằng ngày/thidua-daily)" in missing
    daily.to_deployment(DAILY_DEPLOYMENT).apply()
    [unserved] = check_prefect().problems  # registered, but no `thidua serve` process polls it
    assert "không có tiến trình nào chạy lịch điều phối hằng ngày" in unserved
