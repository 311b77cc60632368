"""Messages written by the portal (receipts, rejections) go out at once: a background sender in the server's
event loop, woken after each write, sends what is due in the outbox as the daily dispatcher would."""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine

from config import Settings
from notifications.channels import build_channels
from notifications.outbox import send_due_async
from services.freshness import still_true

log = logging.getLogger("thidua.web")


class Sender:
    """Sends the outbox's due messages whenever `wake()` is called (wakes during a run coalesce into one more run)."""

    def __init__(self, settings: Settings, engine: Engine, clock: Callable[[], datetime]) -> None:
        self._settings, self._engine, self._clock = settings, engine, clock
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.runs = 0

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                channels = build_channels(self._settings, self._engine)
                report = await send_due_async(self._engine, channels, now=self._clock(), still_true=still_true(self._engine))
                if report.problems():
                    log.error("Gửi thông báo từ cổng thông tin gặp sự cố:\n%s", "\n".join(report.problems()))
            except Exception:  # the next wake tries again; the daily dispatcher sends what is left
                log.exception("Không gửi được thông báo từ cổng thông tin")
            self.runs += 1
