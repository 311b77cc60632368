"""An SMTP sink on aiosmtpd: accepts every message on 127.0.0.1 and keeps it, in memory and optionally in a JSONL file.

From code: `with SmtpSink() as sink: ... sink.port ... sink.messages`, and flip switches on
`sink.faults` (`SmtpFaults`) to make the server refuse what a real one may refuse. As a process (for
the benchmark, the demo or a fault run): `python -m notifications.devservers.smtp_sink --port 0
--store DIR [--faults JSON] [--credentials USER:PASSWORD]`; it prints `ready 127.0.0.1:PORT` once it
accepts connections, writes `DIR/received.jsonl`, and stops on SIGTERM.
"""

import argparse
import asyncio
import json
import re
import ssl
import threading
from dataclasses import dataclass, field, fields
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from notifications.devservers import LOOPBACK, RecordingServer, free_port, run_until_stopped

STORE_FILE = "received.jsonl"
_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the sink received it."""

    message_id: str | None
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    def parse(self) -> EmailMessage:
        """The message parsed with the modern policy (headers decoded)."""
        message = BytesParser(policy=policy.default).parsebytes(self.data)
        assert isinstance(message, EmailMessage)
        return message


def read_store(directory: Path) -> list[ReceivedMail]:
    """The messages a sink process wrote to `directory`."""
    path = directory / STORE_FILE
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        return [
            ReceivedMail(row["message_id"], row["mail_from"], tuple(row["rcpt_tos"]), row["data"].encode("latin-1"))
            for row in map(json.loads, lines)
        ]


@dataclass
class SmtpFaults:
    """Refusals to inject; each applies to every message until switched off."""

    refused_recipients: set[str] = field(default_factory=set)  # RCPT TO → 550 (that recipient, for good)
    greylisted_recipients: set[str] = field(default_factory=set)  # RCPT TO → 450 (that recipient, try later)
    auth_required: bool = False  # MAIL FROM without a login → 530 Authentication required
    sender_refused: bool = False  # MAIL FROM → 553 sender rejected
    unavailable: bool = False  # MAIL FROM → 421 service not available
    data_refused: bool = False  # end of DATA → 554 message rejected
    delay_s: float = 0.0  # every message waits this long before it is accepted (a slow server: a batch to interrupt)


class _Handler:
    def __init__(self, sink: "SmtpSink") -> None:
        self._sink = sink

    async def handle_MAIL(self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]) -> str:
        faults = self._sink.faults
        if faults.unavailable:
            return "421 4.3.2 Service not available"
        if faults.auth_required and not session.authenticated:
            return "530 5.7.0 Authentication required"
        if faults.sender_refused:
            return f"553 5.7.1 <{address}>: Sender address rejected"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]) -> str:
        faults = self._sink.faults
        if address in faults.refused_recipients:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if address in faults.greylisted_recipients:
            return f"450 4.2.0 <{address}>: Recipient address rejected: Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self._sink.faults.data_refused:
            return "554 5.6.0 Message rejected"
        if self._sink.faults.delay_s:
            await asyncio.sleep(self._sink.faults.delay_s)
        data = envelope.original_content or b""
        header_end = data.find(b"\r\n\r\n")
        found = _MESSAGE_ID.search(data, 0, header_end if header_end >= 0 else len(data))
        mail = ReceivedMail(
            message_id=found.group(1).decode("ascii", "replace") if found else None,
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
            data=data,
        )
        self._sink.record(mail)
        return "250 OK"


class SmtpSink(RecordingServer):
    """A loopback SMTP server that accepts everything; optional STARTTLS, implicit TLS and AUTH."""

    store_file = STORE_FILE

    def __init__(
        self,
        port: int = 0,
        store: Path | None = None,
        *,
        starttls_context: ssl.SSLContext | None = None,
        implicit_tls_context: ssl.SSLContext | None = None,
        credentials: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(store)
        self.port = port or free_port()
        self._lock = threading.Lock()
        self._messages: list[ReceivedMail] = []
        self._credentials = credentials
        self.faults = SmtpFaults()
        self.logins: list[tuple[str, bool]] = []  # (login name, accepted) of every AUTH attempt
        server_kwargs: dict[str, Any] = {"hostname": LOOPBACK, "port": self.port}
        if implicit_tls_context:
            server_kwargs["ssl_context"] = implicit_tls_context
        if starttls_context:
            server_kwargs.update(tls_context=starttls_context, require_starttls=True)
        if credentials:
            server_kwargs.update(authenticator=self._authenticate, auth_require_tls=bool(starttls_context))
        self._controller = Controller(_Handler(self), **server_kwargs)

    def _authenticate(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any) -> AuthResult:
        login = auth_data.login.decode() if isinstance(auth_data, LoginPassword) else ""
        ok = isinstance(auth_data, LoginPassword) and self._credentials == (login, auth_data.password.decode())
        with self._lock:
            self.logins.append((login, ok))
        return AuthResult(success=ok, handled=False)

    def control(self, switches: dict[str, Any]) -> None:
        """Set `SmtpFaults` fields by name (lists become sets)."""
        names = {item.name for item in fields(SmtpFaults)}
        for name, value in switches.items():
            if name not in names:
                raise KeyError(name)
            setattr(self.faults, name, set(value) if isinstance(value, list) else value)

    def record(self, mail: ReceivedMail) -> None:
        with self._lock:
            self._messages.append(mail)
            row = {"message_id": mail.message_id, "mail_from": mail.mail_from, "rcpt_tos": list(mail.rcpt_tos)}
            self._write({**row, "data": mail.data.decode("latin-1")})

    @property
    def messages(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self._messages)

    def message_ids(self) -> list[str | None]:
        """The `Message-ID` of every received message, repeats included (count them to find duplicates)."""
        return [mail.message_id for mail in self.messages]

    def _serve(self) -> None:
        self._controller.start()

    def _shutdown(self) -> None:
        self._controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Máy chủ SMTP giả lập trên 127.0.0.1, lưu mọi thư nhận được.")
    parser.add_argument("--port", type=int, default=0, help="cổng; 0 = chọn cổng trống")
    parser.add_argument("--store", type=Path, help=f"thư mục ghi {STORE_FILE}")
    parser.add_argument("--faults", default="{}", help='lỗi cần giả lập, JSON theo SmtpFaults, ví dụ {"auth_required": true}')
    parser.add_argument("--credentials", help="USER:PASSWORD: bật AUTH (không TLS) với tài khoản này")
    args = parser.parse_args()
    credentials = tuple(args.credentials.split(":", 1)) if args.credentials else None
    sink = SmtpSink(args.port, args.store, credentials=credentials)  # type: ignore[arg-type]
    sink.control(json.loads(args.faults))
    run_until_stopped(sink, lambda sink: f"ready {LOOPBACK}:{sink.port}")


if __name__ == "__main__":
    main()
