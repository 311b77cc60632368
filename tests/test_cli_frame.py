"""The CLI's frame in Vietnamese and its one error boundary (issue 11, Deliver 7): help headings, usage, option
errors and metavars; a database that is down, a bad setting, an unwritable folder, Prefect's temporary server too
slow: a Vietnamese message, exit 2 for bad input and 1 for the environment, never a traceback."""

import os
import string
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sqlalchemy import Engine
from typer._click.core import Context
from typer.core import TyperGroup
from typer.testing import CliRunner

from cli import app
from cli.errors import explain
from cli.i18n import CATALOG

runner = CliRunner(env={"TERMINAL_WIDTH": "200"})
ENGLISH = ("Usage", "Options", "Commands", "Error", "Missing", "Invalid value", "Try '", "Show this message", "<int>", "<list[str]>")


def _translations(catalog: Catalog) -> dict[object, object]:
    def hashable(text: object) -> object:
        return tuple(text) if isinstance(text, (list, tuple)) else text

    return {hashable(m.id): hashable(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_compiled_catalog_matches_its_source_and_keeps_its_placeholders() -> None:
    with CATALOG.open("rb") as source:
        catalog = read_po(source, locale="vi")
    with CATALOG.with_suffix(".mo").open("rb") as binary:
        compiled = read_mo(binary)
    # the translations, not the bytes: the .mo header names the Babel version that wrote it
    assert _translations(compiled) == _translations(catalog), "run: pybabel compile -d cli/locale -D thidua"
    for message in catalog:
        if message.id and message.string:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            assert _fields("".join(strings)) <= set().union(*map(_fields, ids)), message.id


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--help"], ["Cách dùng: thidua [TÙY CHỌN] LỆNH [ĐỐI SỐ]...", "Tùy chọn", "Lệnh", "Hiển thị trợ giúp này rồi thoát."]),
        (["units", "import", "--help"], ["Đối số", "TỆP", "MÃ_KẾ_HOẠCH", "Cách dùng: thidua units import [TÙY CHỌN] {TỆP}"]),
        (["dossier", "receive", "--help"], ["<danh sách chuỗi>", "NĂM", "[bắt buộc]"]),
    ],
)
def test_help_is_vietnamese(args: list[str], expected: list[str]) -> None:
    result = runner.invoke(app, args, prog_name="thidua")
    assert result.exit_code == 0
    for text in expected:
        assert text in result.stdout
    assert not [word for word in ENGLISH if word in result.stdout]


def _command_paths(group: TyperGroup, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    ctx = Context(group, info_name="thidua")
    paths = [path]
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, TyperGroup):
            paths += _command_paths(command, (*path, name))
        elif command is not None:
            paths.append((*path, name))
    return paths


def test_a_flag_shows_no_value_placeholder_in_any_help() -> None:
    # a flag takes no value: Click shows none; Typer 0.29 showed <bool> (<đúng/sai> in Vietnamese)
    status = runner.invoke(app, ["status", "--help"], prog_name="thidua")
    lines = {line.split()[1]: line for line in status.stdout.splitlines() if line.startswith("│") and "--" in line}
    assert "<" not in lines["--json"] and "<" not in lines["--help"] and "In JSON" in lines["--json"]
    assert "<chuỗi>" in lines["--as-of"]  # an option that takes a value keeps its placeholder
    for path in _command_paths(typer.main.get_group(app)):
        result = runner.invoke(app, [*path, "--help"], prog_name="thidua")
        assert result.exit_code == 0, path
        assert "<đúng/sai>" not in result.stdout and "<bool>" not in result.stdout, path


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["calendar", "plans/loc-ninh-2024-2025.yaml"], "Thiếu tùy chọn '--year'."),
        (["calendar", "plans/loc-ninh-2024-2025.yaml", "--year", "abc"], "'abc' không phải là số nguyên hợp lệ."),
        (["calendar", "plans/loc-ninh-2024-2025.yaml", "--year", "99999"], "99999 nằm ngoài khoảng 2000<=x<=2100."),
        (["calendar", "--year", "2025"], "Thiếu đối số 'TỆP'."),
        (["plan", "chek"], "Không có lệnh 'chek'. Có phải ý bạn là 'check'?"),
        (["outbox", "list", "--bogus"], "Không có tùy chọn --bogus"),
        (["outbox", "list", "--limit", "0"], "0 nằm ngoài khoảng 1<=x<=100000."),
    ],
)
def test_option_errors_are_vietnamese_with_exit_code_2(args: list[str], expected: str) -> None:
    result = runner.invoke(app, args, prog_name="thidua")
    assert result.exit_code == 2
    assert expected in result.stderr and "Hãy chạy 'thidua" in result.stderr
    assert not [word for word in ENGLISH if word in result.stderr]


def test_the_frame_is_vietnamese_whatever_the_users_locale() -> None:
    env = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "C", "LANGUAGE": "fr", "COLUMNS": "200"}
    probe = "import sys; from cli import app; sys.argv = ['thidua', 'calendar', 'x.yaml']; app()"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2 and "Thiếu tùy chọn '--year'." in result.stderr and "Cách dùng: thidua calendar" in result.stderr
    child = subprocess.run([sys.executable, "-c", "import os, cli; print(os.environ['LANGUAGE'], os.system('exit 0'))"], capture_output=True, text=True, env=env, timeout=60)
    assert child.stdout.split() == ["vi", "0"]


def test_a_database_that_is_down_is_one_line_with_the_password_masked(point_app: Callable[..., None], sqlite_engine: Engine) -> None:
    point_app(sqlite_engine, THIDUA_DATABASE_URL="postgresql+psycopg://thidua:s3cret@127.0.0.1:1/thidua")
    result = runner.invoke(app, ["units", "list"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Không dùng được cơ sở dữ liệu postgresql+psycopg://thidua:***@127.0.0.1:1/thidua: ")
    assert "s3cret" not in result.output and "Traceback" not in result.output and len(result.stderr.splitlines()) == 1


def test_a_bad_setting_names_the_variable_and_the_value(point_app: Callable[..., None], sqlite_engine: Engine) -> None:
    point_app(sqlite_engine, THIDUA_SMTP_CONNECTIONS="bốn")
    result = runner.invoke(app, ["outbox", "retry", "--send"])
    assert result.exit_code == 2 and 'Cấu hình không hợp lệ: THIDUA_SMTP_CONNECTIONS="bốn" — phải là số nguyên' in result.stderr


def test_an_unwritable_output_folder_is_refused_before_any_work(app_engine: Engine, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.access(locked, os.W_OK):  # root writes anywhere: a path under a file cannot be created by anyone
        locked = tmp_path / "a-file"
        locked.write_text("")
        locked = locked / "out"
    result = runner.invoke(app, ["report", "phase", "--plan", "loc-ninh-2024-2025", "--out", str(locked)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f'(dòng lệnh): --out: "{locked}" — không ghi được vào thư mục này: ')


def test_the_environment_faults_the_boundary_explains() -> None:
    slow = explain(RuntimeError("Timed out while attempting to connect to ephemeral Prefect API server."))
    assert slow is not None and slow.code == 1 and "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS" in slow.lines[0]
    full = explain(OSError(28, "No space left on device", "/var/thidua/out.xlsx"))
    assert full == (1, ["Lỗi khi đọc hoặc ghi /var/thidua/out.xlsx: ổ đĩa đã đầy."])
    assert explain(KeyError("a bug")) is None  # a bug keeps its traceback


def test_a_prefect_server_that_refuses_the_connection_is_explained_in_vietnamese() -> None:
    import httpx

    request = httpx.Request("GET", "http://127.0.0.1:9/api/work_pools/thidua")
    try:
        try:
            raise ConnectionRefusedError(111, "Connection refused")
        except OSError as refused:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request) from refused
    except httpx.ConnectError as error:
        failure = explain(error)
    assert failure == (1, [
        "Không kết nối được máy chủ Prefect tại http://127.0.0.1:9/api/work_pools/thidua: máy chủ từ chối kết nối "
        "(không có dịch vụ nào nghe ở cổng này). Kiểm tra PREFECT_API_URL."
    ])  # fmt: skip
