"""What every page of the portal shares: settings, database, clock, file store, form guard, administrators,
templates, the background sender, and the count of bad links per address."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from config import Settings
from models.db import session_scope
from models.queries.cycle import load_dates
from models.queries.portal import bad_hits, count_bad
from services.plans import plans_in
from thidua.cycle.state import CycleDates
from thidua.plan.schema import Plan
from web.auth import Admins
from web.forms import FormGuard
from web.pages import Pages
from web.sender import Sender
from web.store import FileStore

WINDOW_S = 600  # bad links and passwords are counted per address over 10 minutes
BLOCKED_TTL_S = 2.0  # an address's count of bad links is read again after this many seconds
DATES_TTL_S = 5.0
PLANS_TTL_S = 2.0  # the plans folder is looked at (one stat per file) at most this often  # a cycle's dates (deadlines, when it closes) are read again after this many seconds
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

    def __post_init__(self) -> None:
        self._dates: dict[tuple[str, int, date], tuple[float, CycleDates]] = {}
        self._bad: dict[tuple[str, int], tuple[float, int]] = {}  # (address, window) -> (read at, bad links)
        self._plans: tuple[float, dict[str, Plan]] = (-PLANS_TTL_S, {})

    def plans(self) -> dict[str, Plan]:
        """The valid plans of the plans folder (a changed file is read again within `PLANS_TTL_S`)."""
        if time.monotonic() - self._plans[0] > PLANS_TTL_S:
            self._plans = (time.monotonic(), plans_in(self.settings.plans_dir))
        return self._plans[1]

    def dates(self, session: Session, plan: Plan, year: int, day: date) -> CycleDates:
        """The cycle's dates on `day`, read from the database at most once every few seconds (a page load
        needs them twice; an administrator's new date shows within `DATES_TTL_S`)."""
        key, now = (plan.code, year, day), time.monotonic()
        cached = self._dates.get(key)
        if cached is None or now - cached[0] > DATES_TTL_S or cached[1].plan is not plan:
            cached = (now, load_dates(session, plan, year, day))
            self._dates[key] = cached
        return cached[1]

    @staticmethod
    def client_ip(request: Request) -> str:
        """The client's address (behind a proxy, uvicorn's --proxy-headers puts the real one here)."""
        return request.client.host if request.client else "?"

    def blocked(self, ip: str, session: Session | None = None) -> bool:
        """Whether `ip` sent too many bad links or passwords in the current 10 minutes (the count, shared by every
        process through the database, is read at most every `BLOCKED_TTL_S` per address)."""
        key, now = (ip, int(time.time() // WINDOW_S)), time.monotonic()
        cached = self._bad.get(key)
        if cached is None or now - cached[0] > BLOCKED_TTL_S:
            if session is None:
                with session_scope(self.engine) as own:
                    return self.blocked(ip, own)
            if len(self._bad) > 10_000:
                self._bad.clear()
            cached = (now, bad_hits(session, ip, key[1]))
            self._bad[key] = cached
        return cached[1] >= self.settings.bad_token_limit

    def count_bad(self, ip: str) -> None:
        window = int(time.time() // WINDOW_S)
        with session_scope(self.engine) as session:
            hits = count_bad(session, ip, window)
        self._bad[(ip, window)] = (time.monotonic(), hits)

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
