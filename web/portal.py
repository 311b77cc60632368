"""What every page of the portal shares: settings, database, clock, file store, form guard, administrators,
templates, the background sender, and the count of bad links per address."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response

from config import Settings
from models.db import session_scope
from models.queries.portal import bad_hits, count_bad
from services.plans import plans_in
from thidua.plan.schema import Plan
from web.auth import Admins
from web.forms import FormGuard
from web.pages import Pages
from web.sender import Sender
from web.store import FileStore

WINDOW_S = 600  # bad links and passwords are counted per address over 10 minutes
MB = 1_000_000


@dataclass
class Portal:
    settings: Settings
    engine: Engine
    clock: Callable[[], datetime]
    store: FileStore
    guard: FormGuard
    admins: Admins
    pages: Pages
    sender: Sender | None

    @property
    def limits_per_file(self) -> int:
        return int(self.settings.upload_file_mb * MB)

    @property
    def limits_per_deliverable(self) -> int:
        return int(self.settings.upload_deliverable_mb * MB)

    def plans(self) -> dict[str, Plan]:
        return plans_in(self.settings.plans_dir)

    @staticmethod
    def client_ip(request: Request) -> str:
        """The client's address (behind a proxy, uvicorn's --proxy-headers puts the real one here)."""
        return request.client.host if request.client else "?"

    def blocked(self, ip: str) -> bool:
        """Whether `ip` sent too many bad links or passwords in the current 10 minutes."""
        with session_scope(self.engine) as session:
            return bad_hits(session, ip, int(time.time() // WINDOW_S)) >= self.settings.bad_token_limit

    def count_bad(self, ip: str) -> None:
        with session_scope(self.engine) as session:
            count_bad(session, ip, int(time.time() // WINDOW_S))

    def too_many(self) -> Response:
        retry = WINDOW_S - int(time.time()) % WINDOW_S
        text = f"Có quá nhiều lần mở đường dẫn sai hoặc đăng nhập sai từ địa chỉ này. Hãy thử lại sau {retry // 60 + 1} phút."
        return self.pages.message("Tạm thời từ chối", text, 429, headers={"Retry-After": str(retry)})

    def wake_sender(self) -> None:
        if self.sender is not None:
            self.sender.wake()


def portal_of(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal
