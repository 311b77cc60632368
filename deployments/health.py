"""`thidua doctor`'s look at the Prefect API: reachable, authenticated, a compatible version, the daily run served."""

import httpx
from prefect import __version__ as client_version
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import DeploymentStatus
from prefect.exceptions import ObjectNotFound
from prefect.settings import (
    PREFECT_API_REQUEST_TIMEOUT,
    PREFECT_API_URL,
    PREFECT_CLIENT_MAX_RETRIES,
    temporary_settings,
)

from flows.registry import DAILY_DEPLOYMENT
from thidua.doctor import Check

TITLE = "Máy chủ Prefect"
FIX_AUTH = "đặt PREFECT_API_AUTH_STRING (giống PREFECT_SERVER_API_AUTH_STRING của máy chủ) hoặc PREFECT_API_KEY"


def _major(version: str) -> str:
    return version.split(".")[0]


def check_prefect() -> Check:
    """The API of PREFECT_API_URL, asked once without retries; passes with a note when none is configured."""
    url = PREFECT_API_URL.value()
    if not url:
        return Check(TITLE, detail="chưa đặt PREFECT_API_URL: chỉ dùng được thidua serve --embedded và thidua tick")
    from flows.daily import daily

    name = f"{daily.name}/{DAILY_DEPLOYMENT}"
    try:
        with temporary_settings({PREFECT_CLIENT_MAX_RETRIES: 0, PREFECT_API_REQUEST_TIMEOUT: 10}):
            with get_client(sync_client=True) as client:
                server_version = client.api_version()
                deployment = client.read_deployment_by_name(name)
    except httpx.HTTPStatusError as error:
        if error.response.status_code in (401, 403):
            return Check(TITLE, (f"{url} từ chối xác thực (HTTP {error.response.status_code})",), FIX_AUTH)
        return Check(TITLE, (f"{url} trả lỗi HTTP {error.response.status_code}",), "xem nhật ký của máy chủ Prefect")
    except ObjectNotFound:
        return Check(TITLE, (f"máy chủ {url} chưa có lịch điều phối hằng ngày ({name})",), "khởi động: thidua serve")
    except (httpx.HTTPError, OSError) as error:
        reason = f"{type(error).__name__}: {error}".rstrip(": ")
        return Check(TITLE, (f"không kết nối được {url}: {reason}",), "khởi động máy chủ (prefect server start) hoặc sửa PREFECT_API_URL")
    problems = []
    if _major(server_version) != _major(client_version):
        problems.append(f"máy chủ Prefect bản {server_version} không hợp với bản {client_version} thidua dùng")
    if deployment.paused:
        problems.append(f"lịch điều phối hằng ngày ({name}) đang tạm dừng trên giao diện Prefect")
    elif deployment.status == DeploymentStatus.NOT_READY:
        runner = f"không worker nào đang nhận việc của work pool {deployment.work_pool_name}" if deployment.work_pool_name else "thidua serve chưa chạy"
        problems.append(f"không có tiến trình nào chạy lịch điều phối hằng ngày ({name}): {runner}")
    fix = (
        f"khởi động worker: prefect worker start --pool {deployment.work_pool_name} (docs/deployment.md)" if deployment.work_pool_name
        else "chạy thidua serve (một tiến trình, luôn bật)"
    ) + "; bật lại lịch trong giao diện Prefect nếu đã tạm dừng"
    served = f"work pool {deployment.work_pool_name} có worker" if deployment.work_pool_name else "đang được phục vụ"
    return Check(TITLE, tuple(problems), fix, f"{url}, Prefect {server_version}, lịch {name}: {served}")
