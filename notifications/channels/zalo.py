"""Zalo channel on httpx: OA consultation messages to followers and ZNS template messages to phones.

Tokens (OAuth v4) live in the `ZaloToken` row. The refresh token is single-use, so a refresh locks
that row (a row lock on PostgreSQL, the database write lock on SQLite), re-reads it, calls Zalo only
if no other worker rotated it meanwhile, and commits the new pair before anyone uses it. A refresh
Zalo refuses is recorded on the row (`refresh_error`): that refresh token is never presented again,
until an administrator stores a new pair. A token endpoint that is down (HTTP 5xx, timeout) is
retried with backoff, then the channel waits for the next run: that is not a reason to re-authorise.
"""

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cache
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import Engine, select, update
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from config import Settings
from models.types import utcnow
from models.zalo import ZaloToken
from notifications.channels.base import Delivery, DeliveryResult, Health, Lease, Masker, Outgoing, SendRate
from notifications.channels.zalo_errors import ZaloError, classify
from notifications.render import ZNS_LINK, ZNS_PARAMETERS, one_line
from notifications.secrets import ZALO_APP_SECRET_BLOCK, resolve_secret
from thidua.channels import OA_PREFIX
from thidua.dates import TIMEZONE

TOKENS = ZaloToken.__table__  # type: ignore[attr-defined]
ZNS_PHONE = re.compile(r"84\d{9}")
SENDING_DAY_START = time(7, 0)  # deferred messages go out from 07:00 local time
REFRESH_MARGIN = timedelta(hours=1)  # refresh proactively when the access token has less left
_LOCAL = ZoneInfo(TIMEZONE)


class ZaloAuthError(Exception):
    """The token pair cannot be used or refreshed: an administrator must re-authorise the OA."""


class ZaloUnavailable(Exception):
    """Zalo's token endpoint cannot be reached or answers 5xx: try again at the next run."""


def zns_phone(raw: str) -> str:
    """`0987 654 321`, `+84987654321` or `84987654321` → `84987654321`; ValueError otherwise."""
    digits = re.sub(r"[\s.\-()]", "", raw).removeprefix("+")
    phone = "84" + digits[1:] if digits.startswith("0") else digits
    if not ZNS_PHONE.fullmatch(phone):
        raise ValueError(f"số điện thoại không hợp lệ cho ZNS: {raw!r}")
    return phone


def next_morning(now: datetime, *, days: int = 0) -> datetime:
    """The first `SENDING_DAY_START` (local time) after `now`, at least `days` days later."""
    local = now.astimezone(_LOCAL)
    candidate = datetime.combine(local.date() + timedelta(days=days), SENDING_DAY_START, _LOCAL)
    return candidate if candidate > local else candidate + timedelta(days=1)


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_at: datetime
    version: int


def _pair(row: Any) -> TokenPair:
    return TokenPair(row.access_token, row.refresh_token, row.expires_at, row.version)


def bootstrap_token(engine: Engine, settings: Settings, access: str, refresh: str, expires_in: int | str) -> None:
    """Store the pair an administrator obtained by authorising the OA (replaces any previous pair)."""
    now = utcnow()
    values = {"access_token": access, "refresh_token": refresh, "expires_at": now + timedelta(seconds=int(expires_in)), "refreshed_at": now, "refresh_error": None}
    with engine.begin() as conn:
        changed = conn.execute(update(TOKENS).where(TOKENS.c.oa_id == settings.zalo_oa_id).values(**values, version=TOKENS.c.version + 1))
        if not changed.rowcount:
            conn.execute(TOKENS.insert().values(oa_id=settings.zalo_oa_id, version=0, **values))


class TokenStore:
    """Reads the OA's token pair and rotates it, one refresh at a time across every worker."""

    def __init__(
        self,
        engine: Engine,
        *,
        oa_id: str,
        app_id: str,
        app_secret: Callable[[], str | None],
        oauth_url: str,
        mask: Masker,
        timeout: float = 20.0,
        transport: httpx.BaseTransport | None = None,
        attempts: int = 3,
        retry_wait_s: float = 1.0,
    ) -> None:
        self._engine, self._oa_id, self._app_id, self._app_secret = engine, oa_id, app_id, app_secret
        self._url = oauth_url.rstrip("/") + "/v4/oa/access_token"
        self._timeout, self._transport, self.mask = timeout, transport, mask
        self._attempts, self._retry_wait_s = max(1, attempts), retry_wait_s

    def current(self) -> TokenPair:
        with self._engine.connect() as conn:
            row = conn.execute(select(TOKENS).where(TOKENS.c.oa_id == self._oa_id)).one_or_none()
        if row is None:
            raise ZaloAuthError(f"chưa có token Zalo cho OA {self._oa_id}: quản trị viên cần cấp quyền cho ứng dụng")
        return self._remember(_pair(row))

    @property
    def oa_id(self) -> str:
        return self._oa_id

    def refused(self) -> str | None:
        """Why Zalo refused the stored refresh token, if it did: the next refresh will fail until a new pair is stored."""
        with self._engine.connect() as conn:
            return conn.execute(select(TOKENS.c.refresh_error).where(TOKENS.c.oa_id == self._oa_id)).scalar_one_or_none()

    def refresh(self, seen_version: int) -> TokenPair:
        """Rotate the pair unless another worker already rotated it past `seen_version`; returns the current pair.

        Raises ZaloAuthError if Zalo refused this refresh token (now or before: recorded on the row) and
        ZaloUnavailable if the token endpoint stayed down through the retries.
        """
        secret = self._app_secret()  # looked up only when needed: it may live in a Prefect Secret block
        if not secret:
            raise ZaloAuthError("thiếu app secret của Zalo (THIDUA_ZALO_APP_SECRET hoặc Secret block thidua-zalo-app-secret)")
        self.mask.add(secret)
        refused: ZaloAuthError | None = None
        with self._engine.begin() as conn:
            # A no-op write takes the row lock (PostgreSQL) or the write lock (SQLite) until commit.
            conn.execute(update(TOKENS).where(TOKENS.c.oa_id == self._oa_id).values(version=TOKENS.c.version))
            row = conn.execute(select(TOKENS).where(TOKENS.c.oa_id == self._oa_id)).one_or_none()
            if row is None:
                raise ZaloAuthError(f"chưa có token Zalo cho OA {self._oa_id}: quản trị viên cần cấp quyền cho ứng dụng")
            if row.version != seen_version:
                return self._remember(_pair(row))
            if row.refresh_error:  # this refresh token was refused once: never present it again
                raise ZaloAuthError(row.refresh_error)
            try:
                body = self._call(row.refresh_token, secret)
            except ZaloAuthError as error:
                refused = error
                conn.execute(update(TOKENS).where(TOKENS.c.oa_id == self._oa_id).values(refresh_error=str(error)))
            else:
                pair = TokenPair(body["access_token"], body["refresh_token"], utcnow() + timedelta(seconds=int(body["expires_in"])), row.version + 1)
                conn.execute(
                    update(TOKENS)
                    .where(TOKENS.c.oa_id == self._oa_id)
                    .values(access_token=pair.access_token, refresh_token=pair.refresh_token, expires_at=pair.expires_at, refreshed_at=utcnow(), version=pair.version)
                )
        if refused:
            raise refused
        return self._remember(pair)

    def _call(self, refresh_token: str, secret: str) -> dict[str, Any]:
        """Zalo's answer to the refresh, retried with backoff while the endpoint is down (5xx, timeout)."""
        retrying = Retrying(
            stop=stop_after_attempt(self._attempts),
            wait=wait_exponential(multiplier=self._retry_wait_s, max=30 * self._retry_wait_s),
            retry=retry_if_exception_type(ZaloUnavailable),
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                return self._post(refresh_token, secret)
        raise AssertionError("unreachable")  # pragma: no cover

    def _post(self, refresh_token: str, secret: str) -> dict[str, Any]:
        try:
            with httpx.Client(timeout=self._timeout, transport=self._transport) as client:
                response = client.post(
                    self._url,
                    headers={"secret_key": secret},
                    data={"refresh_token": refresh_token, "app_id": self._app_id, "grant_type": "refresh_token"},
                )
        except httpx.TransportError as error:
            raise ZaloUnavailable(self.mask(f"không gọi được máy chủ cấp token của Zalo: {type(error).__name__}: {error}")) from None
        if response.status_code >= 500 or response.status_code == 429:
            raise ZaloUnavailable(f"máy chủ cấp token của Zalo tạm thời lỗi (HTTP {response.status_code}), sẽ thử lại ở lần chạy sau")
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not all(key in body for key in ("access_token", "refresh_token", "expires_in")):
            raise ZaloAuthError(
                self.mask(f"Zalo từ chối làm mới token, quản trị viên cần cấp quyền lại cho ứng dụng (HTTP {response.status_code}): {response.text[:300]}")
            )
        return dict(body)

    def _remember(self, pair: TokenPair) -> TokenPair:
        self.mask.add(pair.access_token)
        self.mask.add(pair.refresh_token)
        return pair


class ZaloChannel:
    """Sends to `user:<id>` by OA consultation message and to `84xxxxxxxxx` by ZNS template."""

    name: ClassVar[str] = "zalo"

    def __init__(
        self,
        tokens: TokenStore,
        *,
        openapi_url: str,
        business_url: str,
        zns_template_id: str | None,
        zns_parameters: Sequence[str] = ZNS_PARAMETERS,  # what thidua fills in the template (the check compares)
        timeout: float = 20.0,
        concurrency: int = 8,
        transport: httpx.AsyncBaseTransport | None = None,
        rate: SendRate | None = None,
    ) -> None:
        self._tokens, self.mask = tokens, tokens.mask
        self._rate = rate or SendRate()
        self._refresh_down: ZaloUnavailable | None = None  # the token endpoint was down in this run: not asked again
        self._oa_url = openapi_url.rstrip("/") + "/v3.0/oa/message/cs"
        self._zns_url = business_url.rstrip("/") + "/message/template"
        self._template_url = business_url.rstrip("/") + "/template/info/v2"
        self._template_id, self._timeout, self._concurrency, self._transport = zns_template_id, timeout, concurrency, transport
        self._zns_parameters = tuple(zns_parameters)
        self._token: TokenPair | None = None
        self._token_lock = asyncio.Lock()

    async def check(self) -> Health:
        """The token pair (refreshed if it is due, as a send would) and the ZNS template, asked of Zalo; nothing is sent."""
        if not self._template_id:
            return Health("chưa cấu hình template ZNS đã duyệt (THIDUA_ZALO_ZNS_TEMPLATE_ID): tin đến số điện thoại không gửi được")
        try:
            async with httpx.AsyncClient(timeout=self._timeout, transport=self._transport) as client:
                template = await self._template(client)
        except ZaloAuthError as error:
            return Health(self.mask(f"{error} (thidua notify zalo-token)"))
        except (ZaloUnavailable, httpx.TransportError, ValueError) as error:
            return Health(self.mask(f"không hỏi được Zalo: {type(error).__name__}: {error}"))
        if isinstance(template, str):
            return Health(template)
        if refused := await asyncio.to_thread(self._tokens.refused):
            return Health(self.mask(f"Zalo đã từ chối refresh token, token hiện tại sẽ hết hạn mà không gia hạn được; cấp quyền lại (thidua notify zalo-token): {refused}"))
        assert self._token is not None
        expires = self._token.expires_at.astimezone(_LOCAL).strftime("%H:%M %d/%m/%Y")
        name = one_line(str(template.get("templateName") or ""))
        return Health(detail=f"OA {self._tokens.oa_id}; access token còn hạn đến {expires}; template ZNS {self._template_id} ({name}) đang hoạt động")

    async def _template(self, client: httpx.AsyncClient) -> dict[str, Any] | str:
        """The ZNS template's details as Zalo gives them, or what is wrong with it or with the token."""
        token = await self._access_token()
        for refreshed in (False, True):
            response = await client.get(self._template_url, params={"template_id": self._template_id}, headers={"access_token": token})
            if response.status_code >= 500 or response.status_code == 429:
                return f"Zalo tạm thời lỗi (HTTP {response.status_code}): kiểm tra lại sau"
            payload = response.json()
            code = int(payload.get("error", -1))
            if code == 0:
                return _template_problem(self._template_id, dict(payload.get("data") or {}), self._zns_parameters)
            kind, meaning = classify(code)
            if kind == ZaloError.token and not refreshed:
                token = await self._refreshed(token)
                continue
            return self.mask(f"Zalo lỗi {code} ({meaning}) với template ZNS {self._template_id}: {payload.get('message', '')}")
        return "Zalo vẫn từ chối access token vừa được làm mới"

    async def deliver(self, messages: Sequence[Outgoing], lease: Lease) -> AsyncIterator[DeliveryResult]:
        """Send `messages` with at most `concurrency` requests in flight; one outcome per message."""
        state = _BatchState(asyncio.Semaphore(self._concurrency))
        async with httpx.AsyncClient(timeout=self._timeout, transport=self._transport) as client:
            tasks = [asyncio.create_task(self._guarded(client, state, message, lease)) for message in messages]
            try:
                for next_done in asyncio.as_completed(tasks):
                    yield await next_done
            finally:
                for task in tasks:
                    task.cancel()

    async def _guarded(self, client: httpx.AsyncClient, state: "_BatchState", message: Outgoing, lease: Lease) -> DeliveryResult:
        async with state.slots:
            path = "oa" if message.recipient.startswith(OA_PREFIX) else "zns"
            if state.stopped:  # the channel's problem, so every message waits with its reason
                return DeliveryResult(message.id, state.stopped.delivery, error=state.stopped.error)
            if path in state.deferred:
                retry_at, error = state.deferred[path]
                return DeliveryResult(message.id, Delivery.deferred, error=error, retry_at=retry_at)
            async with self._rate.slot():
                if not await lease.begin(message):
                    return DeliveryResult(message.id, Delivery.skipped)
                outcome = await self._send(client, message, path)
            if outcome.delivery.stops_channel:
                state.stopped = state.stopped or outcome
            elif outcome.delivery == Delivery.deferred and outcome.retry_at:
                state.deferred[path] = (outcome.retry_at, outcome.error or "")
            return outcome

    def _request(self, message: Outgoing, path: str) -> tuple[str, dict[str, Any]] | DeliveryResult:
        if path == "oa":
            user_id = message.recipient.removeprefix(OA_PREFIX)
            return self._oa_url, {"recipient": {"user_id": user_id}, "message": {"text": message.text}}
        if not self._template_id:
            return DeliveryResult(message.id, Delivery.config, error="chưa cấu hình template ZNS (THIDUA_ZALO_ZNS_TEMPLATE_ID)")
        if not ZNS_PHONE.fullmatch(message.recipient):
            return DeliveryResult(message.id, Delivery.recipient, error=f"số điện thoại không hợp lệ cho ZNS: {message.recipient!r}")
        body = {"phone": message.recipient, "template_id": self._template_id, "template_data": message.template_data, "tracking_id": message.key}
        return self._zns_url, body

    async def _send(self, client: httpx.AsyncClient, message: Outgoing, path: str) -> DeliveryResult:
        request = self._request(message, path)
        if isinstance(request, DeliveryResult):
            return request
        url, body = request
        try:
            token = await self._access_token()
            for refreshed in (False, True):
                response = await client.post(url, json=body, headers={"access_token": token})
                if response.status_code >= 500 or response.status_code == 429:
                    return DeliveryResult(message.id, Delivery.transient, error=f"Zalo trả về HTTP {response.status_code}")
                payload = response.json()
                code = int(payload.get("error", -1))
                if code == 0:
                    data = payload.get("data") or {}
                    return DeliveryResult(message.id, Delivery.sent, provider_id=str(data.get("message_id") or data.get("msg_id") or ""))
                kind, meaning = classify(code)
                error = self.mask(f"Zalo lỗi {code} ({meaning}): {payload.get('message', '')}")
                if kind == ZaloError.token and not refreshed:
                    token = await self._refreshed(token)
                    continue
                return self._outcome(message, kind, error)
            return DeliveryResult(message.id, Delivery.config, error=error + "; token mới vẫn bị từ chối")
        except ZaloAuthError as exc:
            return DeliveryResult(message.id, Delivery.config, error=self.mask(exc))
        except ZaloUnavailable as exc:
            return DeliveryResult(message.id, Delivery.unavailable, error=self.mask(exc))
        except (httpx.TransportError, ValueError) as exc:  # network, timeout, body that is not JSON
            return DeliveryResult(message.id, Delivery.transient, error=self.mask(f"Zalo không phản hồi đúng: {type(exc).__name__}: {exc}"))

    @staticmethod
    def _outcome(message: Outgoing, kind: ZaloError, error: str) -> DeliveryResult:
        now = utcnow()
        match kind:
            case ZaloError.quota:
                return DeliveryResult(message.id, Delivery.deferred, error=error, retry_at=next_morning(now, days=1))
            case ZaloError.hours:
                return DeliveryResult(message.id, Delivery.deferred, error=error, retry_at=next_morning(now))
            case ZaloError.recipient:
                return DeliveryResult(message.id, Delivery.recipient, error=error)
            case ZaloError.config | ZaloError.token:
                return DeliveryResult(message.id, Delivery.config, error=error)
        return DeliveryResult(message.id, Delivery.transient, error=error)

    async def _access_token(self) -> str:
        async with self._token_lock:
            if self._token is None:
                self._token = await asyncio.to_thread(self._tokens.current)
            if self._token.expires_at - utcnow() < REFRESH_MARGIN:
                self._token = await self._refresh(self._token.version)
            return self._token.access_token

    async def _refreshed(self, rejected: str) -> str:
        """A fresh access token after `rejected` was refused (refreshing only if nobody here did already)."""
        async with self._token_lock:
            assert self._token is not None
            if self._token.access_token == rejected:
                self._token = await self._refresh(self._token.version)
            return self._token.access_token

    async def _refresh(self, version: int) -> TokenPair:
        """The rotated pair; a token endpoint found down in this run is not asked again in it."""
        if self._refresh_down:
            raise self._refresh_down
        try:
            return await asyncio.to_thread(self._tokens.refresh, version)
        except ZaloUnavailable as down:
            self._refresh_down = down
            raise


def _template_problem(template_id: str, data: dict[str, Any], filled: Sequence[str]) -> dict[str, Any] | str:
    """The template's details if thidua can send with it (enabled; declaring every parameter thidua fills and
    requiring no other); else why not."""
    status = str(data.get("status", ""))
    if status != "ENABLE":
        return f"template ZNS {template_id} đang ở trạng thái {status or 'không rõ'}, chưa dùng được để gửi"
    params = data.get("listParams") or []
    declared = {str(p.get("name")) for p in params}
    required = {str(p.get("name")) for p in params if p.get("require", True)}
    undeclared, unfilled = [p for p in filled if p not in declared], sorted(required - set(filled))
    if undeclared or unfilled:
        return (f"tham số của template ZNS {template_id} không khớp với tin thidua gửi (template thiếu: {', '.join(undeclared) or 'không'}; "
                f"template đòi thêm: {', '.join(unfilled) or 'không'}); thidua điền các tham số {', '.join(filled)}")  # fmt: skip
    return data


@dataclass
class _BatchState:
    """What one batch learnt so far: a server or configuration problem stops it, a quota defers the rest of a path."""

    slots: asyncio.Semaphore
    stopped: DeliveryResult | None = None
    deferred: dict[str, tuple[datetime, str]] = field(default_factory=dict)


def from_settings(settings: Settings, engine: Engine) -> ZaloChannel:
    """The Zalo transport the settings describe; the app secret may come from a Prefect Secret block."""
    tokens = TokenStore(
        engine,
        oa_id=settings.zalo_oa_id,
        app_id=settings.zalo_app_id,
        app_secret=cache(lambda: resolve_secret(settings.zalo_app_secret, ZALO_APP_SECRET_BLOCK)),
        oauth_url=settings.zalo_oauth_url,
        mask=Masker(),
    )
    return ZaloChannel(
        tokens,
        openapi_url=settings.zalo_openapi_url,
        business_url=settings.zalo_business_url,
        zns_template_id=settings.zalo_zns_template_id,
        zns_parameters=(*ZNS_PARAMETERS, ZNS_LINK) if settings.public_url else ZNS_PARAMETERS,
        rate=SendRate(settings.zalo_rate_per_s),
    )
