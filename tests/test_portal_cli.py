"""`thidua portal …`: a unit's link printed, revoked and replaced; an administrator's password hashed from stdin;
clear errors without a public address or for an unknown unit."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from portal_fixture import PLAN, UNIT, YEAR, portal_plans
from sqlalchemy import Engine
from typer.testing import CliRunner

from cli import app
from models.db import session_scope
from services.imports import import_units
from services.links import check_link, closed_on, signer
from services.plans import find_plan
from thidua.dates import TZ, end_of_day
from web.auth import Admins

runner = CliRunner()
ARGS = ["--plan", PLAN, "--year", str(YEAR), "--unit", UNIT]


def _setup(engine: Engine, point_app: Callable[..., None], tmp_path: Path, **env: str) -> None:
    point_app(engine, THIDUA_PLANS_DIR=str(portal_plans(tmp_path)), THIDUA_SECRET_KEYS="k", **env)
    with session_scope(engine) as session:
        import_units(session, Path("plans/units/loc-ninh-2024-2025.csv"), PLAN, find_plan(PLAN).group_names)


def _at(monkeypatch: pytest.MonkeyPatch, now: datetime) -> None:
    """The CLI's clock (`models.types.utcnow`, which the commands import when they run)."""
    import models.types

    monkeypatch.setattr(models.types, "utcnow", lambda: now.astimezone(UTC))


def test_link_prints_the_units_link_and_revoke_replaces_it(
    sqlite_engine: Engine, point_app: Callable[..., None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup(sqlite_engine, point_app, tmp_path, THIDUA_PUBLIC_URL="https://thidua.example.gov.vn/")
    _at(monkeypatch, datetime(2025, 11, 20, 14, 5, tzinfo=TZ))  # the cycle is open
    first = runner.invoke(app, ["portal", "link", *ARGS])
    assert first.exit_code == 0, first.output
    old = first.stdout.strip()
    assert old.startswith("https://thidua.example.gov.vn/u/")
    link = signer().read(old.rsplit("/", 1)[1])
    assert link is not None and (link.plan, link.year, link.unit, link.generation) == (PLAN, YEAR, UNIT, 0)
    revoked = runner.invoke(app, ["portal", "revoke", *ARGS])
    assert revoked.exit_code == 0 and "đã thu hồi đường dẫn cũ (thế hệ 1)" in revoked.stdout
    new = revoked.stdout.strip().splitlines()[-1]
    assert new != old and runner.invoke(app, ["portal", "link", *ARGS]).stdout.strip() == new


def test_link_refuses_once_the_cycle_has_closed_and_revoke_prints_no_dead_link(
    sqlite_engine: Engine, point_app: Callable[..., None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lộc Ninh 2025 closes at the end of its last dated milestone, the quarter-I review of Monday 16/03/2026 (later
    than 01/12/2025 + 30 days): from then on the unit's page answers 410, so no link is printed for it."""
    _setup(sqlite_engine, point_app, tmp_path, THIDUA_PUBLIC_URL="https://thidua.example.gov.vn/")
    closes = end_of_day(date(2026, 3, 16))
    plan = find_plan(PLAN)
    _at(monkeypatch, closes)  # the last instant of the cycle: still open
    last = runner.invoke(app, ["portal", "link", *ARGS])
    assert last.exit_code == 0 and last.stdout.startswith("https://thidua.example.gov.vn/u/")
    token = last.stdout.strip().rsplit("/", 1)[1]
    after = closes + timedelta(microseconds=1)
    with session_scope(sqlite_engine) as session:  # the portal's own rule, at the same instants
        assert check_link(session, {PLAN: plan}, token, closes).status == "ok"
        assert check_link(session, {PLAN: plan}, token, after).status == "expired"
        assert closed_on(session, plan, YEAR, closes) is None and closed_on(session, plan, YEAR, after) == date(2026, 3, 16)

    _at(monkeypatch, after)
    closed = runner.invoke(app, ["portal", "link", *ARGS])
    assert closed.exit_code == 2 and closed.stdout == ""
    assert closed.stderr.strip() == (
        f'{PLAN}: --year: "{YEAR}" — đợt thi đua đã kết thúc ngày Thứ Hai, 16/03/2026: '
        "đường dẫn riêng của đơn vị không còn mở được"
    )
    revoked = runner.invoke(app, ["portal", "revoke", *ARGS])  # revoking still works; the new link would be dead too
    assert revoked.exit_code == 0 and "/u/" not in revoked.stdout
    assert revoked.stdout.splitlines() == [
        f"{UNIT}: đã thu hồi đường dẫn cũ (thế hệ 1).",
        "Không in đường dẫn mới: đợt thi đua đã kết thúc ngày Thứ Hai, 16/03/2026: đường dẫn riêng của đơn vị không còn mở được.",
    ]


def test_link_says_what_is_missing(sqlite_engine: Engine, point_app: Callable[..., None], tmp_path: Path) -> None:
    _setup(sqlite_engine, point_app, tmp_path)
    no_url = runner.invoke(app, ["portal", "link", *ARGS])
    assert no_url.exit_code == 2 and "THIDUA_PUBLIC_URL" in no_url.stderr and "chưa đặt địa chỉ công khai" in no_url.stderr
    unknown = runner.invoke(app, ["portal", "revoke", "--plan", PLAN, "--year", str(YEAR), "--unit", "xa-khong-co"])
    assert unknown.exit_code == 2 and '--unit: "xa-khong-co" — không có đơn vị này trong danh bạ' in unknown.stderr


def test_hash_password_reads_stdin_and_the_hash_logs_in() -> None:
    from pydantic import SecretStr

    short = runner.invoke(app, ["portal", "hash-password"], input="ngan\n")
    assert short.exit_code == 2 and "ít nhất 12 ký tự" in short.stderr
    result = runner.invoke(app, ["portal", "hash-password"], input="một mật khẩu đủ dài\n")
    assert result.exit_code == 0 and result.stdout.startswith("$argon2id$")
    admins = Admins({"hoa": SecretStr(result.stdout.strip())}, [b"k"])
    assert admins.verify("hoa", "một mật khẩu đủ dài") and not admins.verify("hoa", "sai") and not admins.verify("lan", "một mật khẩu đủ dài")


def test_the_portal_refuses_to_start_with_a_password_that_is_not_a_hash(sqlite_engine: Engine, tmp_path: Path) -> None:
    import pytest

    from config import Settings
    from web.app import ConfigurationError, create_app

    settings = Settings(data_dir=tmp_path, admin_users={"hoa": "matkhau123456"})  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="mật khẩu của hoa không phải mã băm Argon2"):
        create_app(settings, sqlite_engine, send_messages=False)
