"""The portal's application: routes, security headers on every response, Vietnamese pages for every error."""

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy import Engine
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config import Settings
from models.types import utcnow
from services.links import signing_keys
from web import admin_routes, unit_routes
from web.auth import Admins, bad_hashes
from web.forms import FormGuard
from web.pages import Pages
from web.portal import Portal, portal_of
from web.sender import Sender
from web.store import FileStore

log = logging.getLogger("thidua.web")

HEADERS = {
    "referrer-policy": "same-origin",  # the link's token never leaves in a Referer; no-referrer would make Chromium send Origin: null
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "x-robots-tag": "noindex",
    "cache-control": "no-store",
    "content-security-policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


class SecurityHeaders:
    """Adds `HEADERS` to every response (a plain ASGI middleware: cheaper than an HTTP middleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


class ConfigurationError(Exception):
    """The portal cannot start as configured (the reason in Vietnamese)."""


def create_app(settings: Settings, engine: Engine, clock: Callable[[], datetime] = utcnow, send_messages: bool = True) -> FastAPI:
    """The portal on `engine`; `clock` gives the current instant (a replay passes its own); with `send_messages`,
    the messages it writes go out at once from a background sender."""
    if broken := bad_hashes(settings.admin_users):
        raise ConfigurationError(f"THIDUA_ADMIN_USERS: mật khẩu của {', '.join(broken)} không phải mã băm Argon2 (tạo bằng: thidua portal hash-password)")
    keys = signing_keys(settings)
    sender = Sender(settings, engine, clock) if send_messages else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if sender is not None:
            sender.start()
        yield
        if sender is not None:
            await sender.stop()

    app = FastAPI(title="thidua", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.portal = Portal(
        settings, engine, clock, FileStore(settings.resolved_uploads_dir()), FormGuard(keys), Admins(settings.admin_users, keys), Pages(), sender
    )
    app.include_router(unit_routes.router)
    app.include_router(admin_routes.router)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        title = "Không tìm thấy trang" if exc.status_code == 404 else "Yêu cầu không hợp lệ"
        return portal_of(request).pages.message(title, "Địa chỉ này không có trên cổng thông tin.", exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_address(request: Request, exc: RequestValidationError) -> Response:
        return portal_of(request).pages.message("Không tìm thấy trang", "Địa chỉ này không có trên cổng thông tin.", 404)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("Lỗi khi xử lý %s %s", request.method, request.url.path)
        text = "Máy chủ gặp lỗi khi xử lý yêu cầu; lỗi đã được ghi lại. Hãy thử lại sau ít phút hoặc liên hệ cơ quan thường trực."
        return portal_of(request).pages.message("Có lỗi xảy ra", text, 500)

    return app
