"""Email channel on aiosmtplib: a few reused connections, bounded concurrency, UTF-8 MIME messages."""

import asyncio
import ssl
from collections import deque
from collections.abc import AsyncIterator, Sequence
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, parseaddr
from typing import ClassVar, Literal

import aiosmtplib

from notifications.base import Delivery, Masker, Outcome, Outgoing
from notifications.templates import one_line

TlsMode = Literal["none", "starttls", "implicit"]
_CONNECTION_LOST = (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError, OSError, asyncio.TimeoutError)


class InvalidAddress(ValueError):
    """The recipient is not a single plain email address."""


def message_id(key: str, mail_from: str) -> str:
    """The `Message-ID` of the message keyed `key`: the same on every run, so receivers can spot a repeat."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "thidua.invalid"
    return f"<{key}@{domain}>"


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
    ) -> None:
        if tls not in ("none", "starttls", "implicit"):
            raise ValueError(f"smtp_tls phải là none, starttls hoặc implicit, không phải {tls!r}")
        self._host, self._port, self._tls, self._tls_context = host, port, tls, tls_context
        self._username, self._password, self._timeout = username, password, timeout
        self._connections = max(1, connections)
        name, self._envelope_from = parseaddr(mail_from)
        self._mail_from = mail_from
        self._from_header = formataddr((one_line(name), self._envelope_from), charset="utf-8")
        self.mask = Masker([password])

    def build(self, message: Outgoing) -> bytes:
        """The MIME message (plain text + HTML, UTF-8, RFC 2047 subject) as bytes."""
        address = message.recipient.strip()
        if address != one_line(address) or address.count("@") != 1 or "<" in address or "," in address:
            raise InvalidAddress(f"địa chỉ email không hợp lệ: {address!r}")
        mime = MIMEMultipart("alternative")
        mime["Subject"] = Header(one_line(message.subject), "utf-8").encode()
        mime["From"] = self._from_header
        mime["To"] = formataddr((one_line(message.recipient_name), address), charset="utf-8")
        mime["Date"] = formatdate(usegmt=True)
        mime["Message-ID"] = message_id(message.key, self._mail_from)
        mime["Content-Language"] = "vi"
        mime["Auto-Submitted"] = "auto-generated"
        mime.attach(MIMEText(message.text, "plain", "utf-8"))
        if message.html:
            mime.attach(MIMEText(message.html, "html", "utf-8"))
        return mime.as_bytes()

    async def deliver(self, messages: Sequence[Outgoing]) -> AsyncIterator[Outcome]:
        """Send `messages` over up to `connections` connections; one outcome per message."""
        queue = deque(messages)
        results: asyncio.Queue[Outcome] = asyncio.Queue()
        failures: list[str] = []
        workers = [
            asyncio.create_task(self._worker(queue, results, failures))
            for _ in range(min(self._connections, len(queue)))
        ]
        try:
            for _ in range(len(messages)):
                if results.empty() and all(worker.done() for worker in workers):
                    break
                getter = asyncio.ensure_future(results.get())
                await asyncio.wait([getter, *workers], return_when=asyncio.FIRST_COMPLETED)
                if not getter.done():
                    getter.cancel()
                    continue
                yield getter.result()
            await asyncio.gather(*workers)
            while not results.empty():
                yield results.get_nowait()
            error = failures[-1] if failures else "không kết nối được máy chủ SMTP"
            while queue:  # no connection could be opened: these stay pending and are retried later
                yield Outcome(queue.popleft().id, Delivery.transient, error=error)
        finally:
            for worker in workers:
                worker.cancel()

    async def _connect(self) -> aiosmtplib.SMTP:
        smtp = aiosmtplib.SMTP(
            hostname=self._host,
            port=self._port,
            timeout=self._timeout,
            use_tls=self._tls == "implicit",
            start_tls=self._tls == "starttls",
            tls_context=self._tls_context,
            username=self._username,
            password=self._password,
        )
        await smtp.connect()
        return smtp

    async def _worker(self, queue: deque[Outgoing], results: asyncio.Queue[Outcome], failures: list[str]) -> None:
        smtp: aiosmtplib.SMTP | None = None
        try:
            while queue:
                if smtp is None:
                    try:
                        smtp = await self._connect()
                    except aiosmtplib.SMTPAuthenticationError as error:
                        await self._stop(queue, results, f"máy chủ SMTP từ chối đăng nhập: {self.mask(error)}")
                        return
                    except (*_CONNECTION_LOST, aiosmtplib.SMTPException) as error:
                        failures.append(f"không kết nối được máy chủ SMTP {self._host}:{self._port}: {self.mask(error)}")
                        return
                message = queue.popleft()
                outcome, connection_ok = await self._send(smtp, message)
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

    async def _stop(self, queue: deque[Outgoing], results: asyncio.Queue[Outcome], error: str) -> None:
        """A configuration error: report it on one message and release the rest untouched."""
        if queue:
            await results.put(Outcome(queue.popleft().id, Delivery.config, error=error))
        while queue:
            await results.put(Outcome(queue.popleft().id, Delivery.skipped))

    async def _send(self, smtp: aiosmtplib.SMTP, message: Outgoing) -> tuple[Outcome, bool]:
        """Send one message; returns its outcome and whether the connection is still usable."""
        try:
            data = self.build(message)
            _, reply = await smtp.sendmail(self._envelope_from, [message.recipient.strip()], data)
            return Outcome(message.id, Delivery.sent, provider_id=reply or "250"), True
        except InvalidAddress as error:
            return Outcome(message.id, Delivery.recipient, error=str(error)), True
        except aiosmtplib.SMTPRecipientsRefused as error:
            code = error.recipients[0].code if error.recipients else 550
            delivery = Delivery.recipient if code >= 500 else Delivery.transient
            return Outcome(message.id, delivery, error=self.mask(error)), await self._reset(smtp)
        except aiosmtplib.SMTPResponseException as error:
            delivery = Delivery.recipient if error.code >= 500 else Delivery.transient
            return Outcome(message.id, delivery, error=self.mask(error)), await self._reset(smtp)
        except (*_CONNECTION_LOST, aiosmtplib.SMTPException) as error:
            return Outcome(message.id, Delivery.transient, error=self.mask(error)), False

    @staticmethod
    async def _reset(smtp: aiosmtplib.SMTP) -> bool:
        try:
            await smtp.rset()
            return True
        except (*_CONNECTION_LOST, aiosmtplib.SMTPException):
            return False
