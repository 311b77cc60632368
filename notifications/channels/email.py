"""Email channel on aiosmtplib: a few reused connections, bounded concurrency, UTF-8 MIME messages.

Every SMTP outcome is classified (`Delivery`): only a 5xx answer to RCPT TO fails a message. A server
that cannot be reached, refuses the login, the sender or plain text, or has no AUTH while a username
is set, is the channel's problem: the channel stops for the run and its messages wait unchanged.
One failed login stops further logins in that run (a single connection logs in first, with one
mechanism; the others open only after it succeeded).
"""

import asyncio
import base64
import ssl
from collections import deque
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from email.utils import formataddr, formatdate, parseaddr
from pathlib import Path
from typing import ClassVar, Literal

import aiosmtplib
from sqlalchemy import Engine
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from config import Settings
from notifications.channels.base import Delivery, DeliveryResult, Health, Lease, Masker, Outgoing, SendRate
from notifications.render import one_line
from notifications.secrets import SMTP_PASSWORD_BLOCK, resolve_secret
from thidua.words import os_error, os_reason

TlsMode = Literal["none", "starttls", "implicit"]
_CONNECTION_LOST = (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError, OSError, asyncio.TimeoutError)


def connection_reason(error: BaseException) -> str:
    """Why a connection failed, in Vietnamese where the operating system named it (refused, timed out, …)."""
    if isinstance(error, aiosmtplib.SMTPTimeoutError | asyncio.TimeoutError):
        return os_error("ETIMEDOUT", str(error))
    return os_reason(error) or str(error)


class InvalidAddress(ValueError):
    """The recipient is not a single plain email address."""


def _plain(text: str) -> bool:
    """Whether `text` can stand in a header as it is: ASCII, and nothing a mail client would decode (`=?…?=`)."""
    return text.isascii() and "=?" not in text


def encode_header(text: str) -> str:
    """`text` as a header value: plain ASCII as is, otherwise RFC 2047 base64 words of at most 45 bytes, folded.

    Text that looks like an encoded word (`=?utf-8?b?…?=`) is encoded too, so that it displays as written
    rather than as what it encodes.
    """
    if _plain(text):
        return text
    words, chunk = [], ""
    for char in text:
        if len((chunk + char).encode()) > 45:
            words.append(chunk)
            chunk = ""
        chunk += char
    words.append(chunk)
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(word.encode()).decode('ascii')}?=" for word in words)


def format_address(name: str, address: str) -> str:
    """`Name <address>` with the name quoted (plain ASCII) or RFC 2047-encoded."""
    if not name:
        return address
    return formataddr((name, address)) if _plain(name) else f"{encode_header(name)} <{address}>"


def message_id(key: str, mail_from: str) -> str:
    """The `Message-ID` of the message keyed `key`: the same on every run, so receivers can spot a repeat."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "thidua.invalid"
    return f"<{key}@{domain}>"


class ChannelDown(Exception):
    """The server or the configuration stops the channel: `delivery` is `unavailable` or `config`."""

    def __init__(self, delivery: Delivery, error: str) -> None:
        super().__init__(error)
        self.delivery, self.error = delivery, error


def tls_context(ca_file: Path | None = None, verify: bool = True) -> ssl.SSLContext:
    """The client TLS context: the system's CAs (or `ca_file`), verification on unless `verify` is False."""
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _reply_problem(error: aiosmtplib.SMTPResponseException, what: str) -> ChannelDown:
    """A refusal that is not about one recipient: 421 and other 4xx wait, 5xx is the configuration's."""
    if error.code == 530:
        return ChannelDown(Delivery.config, f"máy chủ SMTP yêu cầu đăng nhập hoặc TLS ({what}): {error.code} {error.message}")
    delivery = Delivery.config if error.code >= 500 else Delivery.unavailable
    return ChannelDown(delivery, f"máy chủ SMTP từ chối {what}: {error.code} {error.message}")


class EmailChannel:
    """Sends over `connections` SMTP connections at once, each reused for many messages."""

    name: ClassVar[str] = "email"

    def __init__(
        self,
        *,
        host: str,
        port: int,
        mail_from: str,
        tls: TlsMode = "none",
        username: str | None = None,
        password: str | None = None,
        timeout: float = 20.0,
        connections: int = 4,
        tls_context: ssl.SSLContext | None = None,
        rate: SendRate | None = None,
        connect_attempts: int = 3,
        retry_wait_s: float = 2.0,
    ) -> None:
        if tls not in ("none", "starttls", "implicit"):
            raise ValueError(f"smtp_tls phải là none, starttls hoặc implicit, không phải {tls!r}")
        self._host, self._port, self._tls, self._tls_context = host, port, tls, tls_context
        self._username, self._password, self._timeout = username, password, timeout
        self._connections = max(1, connections)
        self._rate = rate or SendRate()
        self._connect_attempts, self._retry_wait_s = max(1, connect_attempts), retry_wait_s
        name, self._envelope_from = parseaddr(mail_from)
        self._mail_from = mail_from
        self._from_header = format_address(one_line(name), self._envelope_from)
        self.mask = Masker([password])

    def build(self, message: Outgoing) -> bytes:
        """The MIME message (plain text + HTML, UTF-8 base64, RFC 2047 headers) as bytes.

        Written directly rather than through `email.message` (0.7 ms a message): the structure is
        fixed, and the boundary `=_<key>` cannot occur in base64 text.
        """
        address = message.recipient.strip()
        if address != one_line(address) or address.count("@") != 1 or any(c in address for c in '<>,;" '):
            raise InvalidAddress(f"địa chỉ email không hợp lệ: {address!r}")
        boundary = f"=_{message.key}"
        lines = [
            f"Subject: {encode_header(one_line(message.subject))}",
            f"From: {self._from_header}",
            f"To: {format_address(one_line(message.recipient_name), address)}",
            f"Date: {formatdate(usegmt=True)}",
            f"Message-ID: {message_id(message.key, self._mail_from)}",
            "MIME-Version: 1.0",
            "Content-Language: vi",
            "Auto-Submitted: auto-generated",
            f'Content-Type: multipart/alternative; boundary="{boundary}"',
            "",
        ]
        for subtype, body in (("plain", message.text), ("html", message.html)):
            if body:
                lines += [f"--{boundary}", f'Content-Type: text/{subtype}; charset="utf-8"', "Content-Transfer-Encoding: base64", ""]
                lines.append(base64.encodebytes(body.encode()).decode("ascii").rstrip("\n").replace("\n", "\r\n"))
        lines += [f"--{boundary}--", ""]
        return "\r\n".join(lines).encode("ascii")

    async def deliver(self, messages: Sequence[Outgoing], lease: Lease) -> AsyncIterator[DeliveryResult]:
        """Send `messages` over up to `connections` connections; one outcome per message.

        The first connection is opened (retried with backoff while the server cannot be reached) and
        logged in before any other; if it cannot be, every message waits with the reason.
        """
        try:
            first = await self._open_first()
        except ChannelDown as down:
            for message in messages:
                yield DeliveryResult(message.id, down.delivery, error=down.error)
            return
        queue = deque(messages)
        results: asyncio.Queue[DeliveryResult | None] = asyncio.Queue()
        state = _Connections()

        async def run_workers() -> None:
            try:
                count = min(self._connections, len(queue))
                await asyncio.gather(*(self._worker(first if i == 0 else None, queue, results, state, lease) for i in range(count)))
            finally:
                results.put_nowait(None)

        runner = asyncio.create_task(run_workers())
        try:
            while (outcome := await results.get()) is not None:
                yield outcome
            await runner
            down = state.down or state.failure or ChannelDown(Delivery.unavailable, f"không kết nối được máy chủ SMTP {self._host}:{self._port}")
            while queue:  # no connection left: these wait for the next run
                yield DeliveryResult(queue.popleft().id, down.delivery, error=down.error)
        finally:
            runner.cancel()

    async def check(self) -> Health:
        """Connect, TLS and login as a send would, and offer the sender (MAIL FROM, then RSET); nothing is sent."""
        try:
            smtp = await self._open()
        except ChannelDown as down:
            return Health(down.error)
        try:
            await smtp.mail(self._envelope_from)
            await smtp.rset()
            await smtp.quit()
        except aiosmtplib.SMTPResponseException as error:
            return Health(self.mask(f"máy chủ SMTP từ chối địa chỉ gửi {self._envelope_from} (THIDUA_MAIL_FROM): {error}"))
        except (*_CONNECTION_LOST, aiosmtplib.SMTPException) as error:
            return Health(self.mask(f"máy chủ SMTP {self._host}:{self._port} ngắt kết nối: {error}"))
        finally:
            if smtp.is_connected:
                smtp.close()
        login = f", đăng nhập {self._username}" if self._username else ", không đăng nhập"
        return Health(detail=f"{self._host}:{self._port}, TLS {self._tls}{login}, gửi từ {self._envelope_from}")

    async def _open_first(self) -> aiosmtplib.SMTP:
        """The first connection, retried with backoff while the server cannot be reached (never after a refusal)."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._connect_attempts),
            wait=wait_exponential(multiplier=self._retry_wait_s, max=30 * self._retry_wait_s),
            retry=retry_if_exception(lambda error: isinstance(error, ChannelDown) and error.delivery == Delivery.unavailable),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await self._open()
        raise AssertionError("unreachable")  # pragma: no cover

    async def _open(self) -> aiosmtplib.SMTP:
        """A connected (and logged-in) client; ChannelDown says why not."""
        smtp = aiosmtplib.SMTP(
            hostname=self._host,
            port=self._port,
            timeout=self._timeout,
            use_tls=self._tls == "implicit",
            start_tls=self._tls == "starttls",
            tls_context=self._tls_context,
        )
        try:
            await smtp.connect()
            if self._username:
                await self._login(smtp)
            return smtp
        except ChannelDown:
            smtp.close()
            raise
        except ssl.SSLError as error:
            smtp.close()
            raise ChannelDown(Delivery.config, f"lỗi TLS với máy chủ SMTP {self._host}:{self._port} (kiểm tra THIDUA_SMTP_CA_FILE): {self.mask(error)}") from None
        except aiosmtplib.SMTPResponseException as error:
            smtp.close()
            if isinstance(error, aiosmtplib.SMTPAuthenticationError):
                raise ChannelDown(Delivery.config, f"máy chủ SMTP từ chối đăng nhập: {self.mask(error)}") from None
            raise _reply_problem(error, "kết nối") from None
        except _CONNECTION_LOST as error:
            smtp.close()
            raise ChannelDown(Delivery.unavailable, f"không kết nối được máy chủ SMTP {self._host}:{self._port}: {self.mask(connection_reason(error))}") from None
        except aiosmtplib.SMTPException as error:  # STARTTLS not offered, and the like
            smtp.close()
            raise ChannelDown(Delivery.config, f"máy chủ SMTP {self._host}:{self._port} không hỗ trợ cấu hình đã đặt: {self.mask(error)}") from None

    async def _login(self, smtp: aiosmtplib.SMTP) -> None:
        """Log in once, with the first mechanism both sides support (a wrong password costs one failed login)."""
        await smtp.ehlo()
        if not smtp.supports_extension("auth"):
            raise ChannelDown(
                Delivery.config,
                f"máy chủ SMTP {self._host}:{self._port} không hỗ trợ đăng nhập (AUTH) nhưng đã đặt THIDUA_SMTP_USERNAME; "
                "bật TLS (THIDUA_SMTP_TLS) hoặc bỏ tên đăng nhập",
            )
        methods = smtp.supported_auth_methods
        if not methods:
            raise ChannelDown(Delivery.config, f"máy chủ SMTP không có cách đăng nhập nào được hỗ trợ: {', '.join(smtp.server_auth_methods)}")
        method = getattr(smtp, "auth_" + methods[0].replace("-", ""))
        await method(self._username, self._password or "")

    async def _worker(
        self, smtp: aiosmtplib.SMTP | None, queue: deque[Outgoing], results: asyncio.Queue[DeliveryResult], state: "_Connections", lease: Lease
    ) -> None:
        try:
            while queue and state.down is None:
                if smtp is None:
                    try:
                        smtp = await self._open()
                    except ChannelDown as down:  # unreachable: one connection fewer; refused: the channel stops
                        if down.delivery == Delivery.config:
                            state.down = down
                        state.failure = down
                        return
                    if not queue:  # the others took the last messages while this one connected
                        break
                message = queue.popleft()
                outcome, connection_ok = await self._send_leased(smtp, message, lease)
                if outcome.delivery.stops_channel:
                    state.down = ChannelDown(outcome.delivery, outcome.error or "")
                if not connection_ok:
                    smtp.close()
                    smtp = None
                await results.put(outcome)
        finally:
            if smtp is not None and smtp.is_connected:
                try:
                    await smtp.quit()
                except (*_CONNECTION_LOST, aiosmtplib.SMTPException):
                    smtp.close()

    async def _send_leased(self, smtp: aiosmtplib.SMTP, message: Outgoing, lease: Lease) -> tuple[DeliveryResult, bool]:
        """Send one message at the channel's rate, if the lease allows it."""
        async with self._rate.slot():
            if not await lease.begin(message):
                return DeliveryResult(message.id, Delivery.skipped), True
            return await self._send(smtp, message)

    async def _send(self, smtp: aiosmtplib.SMTP, message: Outgoing) -> tuple[DeliveryResult, bool]:
        """Send one message; returns its outcome and whether the connection is still usable."""
        try:
            data = self.build(message)
            _, reply = await smtp.sendmail(self._envelope_from, [message.recipient.strip()], data)
            return DeliveryResult(message.id, Delivery.sent, provider_id=reply or "250"), True
        except InvalidAddress as error:
            return DeliveryResult(message.id, Delivery.recipient, error=str(error)), True
        except aiosmtplib.SMTPRecipientsRefused as error:
            code = error.recipients[0].code if error.recipients else 550
            delivery = Delivery.recipient if code >= 500 else Delivery.transient
            return DeliveryResult(message.id, delivery, error=self.mask(error)), await self._reset(smtp)
        except aiosmtplib.SMTPSenderRefused as error:
            down = _reply_problem(error, f"địa chỉ gửi {self._envelope_from}")
            return DeliveryResult(message.id, down.delivery, error=self.mask(down.error)), await self._reset(smtp)
        except aiosmtplib.SMTPResponseException as error:
            if error.code == 421 or error.code == 530:
                down = _reply_problem(error, "gửi thư")
                return DeliveryResult(message.id, down.delivery, error=self.mask(down.error)), False
            return DeliveryResult(message.id, Delivery.transient, error=self.mask(error)), await self._reset(smtp)
        except (*_CONNECTION_LOST, aiosmtplib.SMTPException) as error:
            return DeliveryResult(message.id, Delivery.transient, error=self.mask(error)), False

    @staticmethod
    async def _reset(smtp: aiosmtplib.SMTP) -> bool:
        try:
            await smtp.rset()
            return True
        except (*_CONNECTION_LOST, aiosmtplib.SMTPException):
            return False


@dataclass
class _Connections:
    """What the connections of one batch share: why the channel stopped, and the last connection failure."""

    down: ChannelDown | None = None
    failure: ChannelDown | None = None


def from_settings(settings: Settings, engine: Engine) -> EmailChannel:
    """The email transport the settings describe; the password may come from a Prefect Secret block."""
    password = resolve_secret(settings.smtp_password, SMTP_PASSWORD_BLOCK) if settings.smtp_username else None
    return EmailChannel(
        host=settings.smtp_host,
        port=settings.smtp_port,
        mail_from=settings.mail_from,
        tls=settings.smtp_tls,  # type: ignore[arg-type]  # validated by EmailChannel
        username=settings.smtp_username,
        password=password,
        timeout=settings.smtp_timeout_s,
        connections=settings.smtp_connections,
        tls_context=tls_context(settings.smtp_ca_file, settings.smtp_tls_verify),
        rate=SendRate(settings.smtp_rate_per_s),
    )
