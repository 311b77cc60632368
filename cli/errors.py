"""What the CLI says when something goes wrong: one boundary around every command (cli/frame.py).

A failure a user can cause or meet becomes Vietnamese lines on stderr, naming the file, the field and
the value where there is one, and an exit code: 2 for bad input (a file, an option, a setting), 1 for
the environment (a database that is down, a folder that cannot be written, Prefect's temporary server
too slow to start). Anything else is a bug and keeps its traceback. The libraries named here are
imported only when one of their errors is already in flight, so the CLI still starts light.
"""

import errno
import sys
from collections.abc import Callable
from typing import NamedTuple

from thidua.errors import InvalidInput, shown, validation_reason
from thidua.words import os_error, os_reason

EXIT_INVALID, EXIT_ENVIRONMENT = 2, 1
PREFECT_STARTUP = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"


class Failure(NamedTuple):
    """What to tell the user, and the exit code."""

    code: int
    lines: list[str]


def _invalid_input(exc: BaseException) -> Failure | None:
    if isinstance(exc, InvalidInput):
        return Failure(EXIT_INVALID, [str(error) for error in exc.errors])
    return None


def _settings(exc: BaseException) -> Failure | None:
    """A THIDUA_* setting (environment or .env) that does not validate."""
    if "pydantic" not in sys.modules:
        return None
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError) or exc.title != "Settings":
        return None
    lines = [
        f'Cấu hình không hợp lệ: THIDUA_{"_".join(map(str, error["loc"])).upper()}="{shown(error["input"])}" — {validation_reason(error)}'
        for error in exc.errors()
    ]
    return Failure(EXIT_INVALID, lines)


def _database_url() -> str:
    """The configured database URL with its password masked (`***`)."""
    try:
        from sqlalchemy.engine import make_url

        from config import get_settings

        return make_url(get_settings().resolved_database_url()).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001  (the URL itself is what is broken)
        return "THIDUA_DATABASE_URL"


def _driver_reason(exc: BaseException) -> str:
    """The first line of the driver's own message (psycopg, sqlite3), without SQLAlchemy's statement and link."""
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines()
    return shown(lines[0] if lines else type(original).__name__)


def _database(exc: BaseException) -> Failure | None:
    """A database that is down, refuses us, or is locked; a URL that does not parse; a value it cannot store."""
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy import exc as sa

    if isinstance(exc, sa.ArgumentError | sa.NoSuchModuleError):
        example = "postgresql+psycopg://người_dùng:mật_khẩu@máy:5432/tên_csdl hoặc sqlite:///đường/dẫn/thidua.db"
        return Failure(EXIT_INVALID, [f"Cấu hình không hợp lệ: THIDUA_DATABASE_URL — không đọc được địa chỉ cơ sở dữ liệu, cần dạng {example} ({shown(exc)})"])
    if isinstance(exc, sa.DataError):
        return Failure(EXIT_INVALID, [f"Cơ sở dữ liệu không nhận giá trị: {_driver_reason(exc)}"])
    if isinstance(exc, sa.OperationalError | sa.InterfaceError):
        what = "Không dùng được cơ sở dữ liệu"
        advice = "kiểm tra máy chủ cơ sở dữ liệu đang chạy và THIDUA_DATABASE_URL, rồi chạy lại"
        return Failure(EXIT_ENVIRONMENT, [f"{what} {_database_url()}: {_driver_reason(exc)}. Việc cần làm: {advice}."])
    return None


def _migrations(exc: BaseException) -> Failure | None:
    """A database whose schema this version cannot bring up to date (e.g. written by a newer version)."""
    if "alembic" not in sys.modules:
        return None
    from alembic.util.exc import CommandError

    if isinstance(exc, CommandError):
        return Failure(EXIT_ENVIRONMENT, [f"Không nâng cấp được lược đồ cơ sở dữ liệu {_database_url()}: {shown(exc)}"])
    return None


def _prefect_server(exc: BaseException) -> Failure | None:
    """Prefect's temporary server that did not start in time, or a Prefect server that cannot be reached."""
    text = str(exc)
    if isinstance(exc, RuntimeError) and text.startswith("Timed out while attempting to connect to ephemeral Prefect API"):
        from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS as limit

        return Failure(EXIT_ENVIRONMENT, [
            f"Máy chủ Prefect tạm thời chưa khởi động xong sau {limit.value()} giây ({PREFECT_STARTUP}); máy đang bận? "
            f"Việc cần làm: chạy lại, tăng {PREFECT_STARTUP}, hoặc dùng một máy chủ Prefect riêng (PREFECT_API_URL)."
        ])  # fmt: skip
    if "httpx" in sys.modules:
        import httpx

        if isinstance(exc, httpx.TransportError):
            url = getattr(getattr(exc, "request", None), "url", "PREFECT_API_URL")
            return Failure(EXIT_ENVIRONMENT, [f"Không kết nối được máy chủ Prefect tại {url}: {os_reason(exc) or shown(exc)}. Kiểm tra PREFECT_API_URL."])
    return None


def _files(exc: BaseException) -> Failure | None:
    """A file or folder that cannot be read or written (permissions, a full disk, a read-only disk)."""
    if not isinstance(exc, OSError) or exc.errno is None:
        return None
    code = errno.errorcode.get(exc.errno)
    where = f" {exc.filename}" if exc.filename else ""
    return Failure(EXIT_ENVIRONMENT, [f"Lỗi khi đọc hoặc ghi{where}: {os_error(code, exc.strerror or str(exc))}."])


_EXPLAINED: tuple[Callable[[BaseException], Failure | None], ...] = (
    _invalid_input, _settings, _database, _migrations, _prefect_server, _files,
)  # fmt: skip


def explain(exc: BaseException) -> Failure | None:
    """What to tell the user about `exc`, or None for an error that is a bug."""
    return next((failure for explained in _EXPLAINED if (failure := explained(exc)) is not None), None)
