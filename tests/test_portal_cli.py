"""`thidua portal …`: a unit's link printed, revoked and replaced; an administrator's password hashed from stdin;
clear errors without a public address or for an unknown unit."""

from collections.abc import Callable
from pathlib import Path

from portal_fixture import PLAN, UNIT, YEAR, portal_plans
from sqlalchemy import Engine
from typer.testing import CliRunner

from cli import app
from models.db import session_scope
from services.imports import import_units
from services.links import signer
from services.plans import find_plan
from web.auth import Admins

runner = CliRunner()
ARGS = ["--plan", PLAN, "--year", str(YEAR), "--unit", UNIT]


def _setup(engine: Engine, point_app: Callable[..., None], tmp_path: Path, **env: str) -> None:
    point_app(engine, THIDUA_PLANS_DIR=str(portal_plans(tmp_path)), THIDUA_SECRET_KEYS="k", **env)
    with session_scope(engine) as session:
        import_units(session, Path("plans/units/loc-ninh-2024-2025.csv"), PLAN, find_plan(PLAN).group_names)


def test_link_prints_the_units_link_and_revoke_replaces_it(sqlite_engine: Engine, point_app: Callable[..., None], tmp_path: Path) -> None:
    _setup(sqlite_engine, point_app, tmp_path, THIDUA_PUBLIC_URL="https://thidua.example.gov.vn/")
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
