"""The demo's units that hand in through their links: `thidua web` started on loopback with a replay clock, and
units that open the link of their latest reminder (from the SMTP sink) and upload over HTTP, as a browser would."""

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import httpx

from documents.samples import sample_docx, sample_pdf
from notifications.devservers.smtp_sink import SmtpSink
from web.replay import set_clock

LINK = re.compile(r"http://127\.0\.0\.1:\d+/u/[A-Za-z0-9_.\-]+")
GUARD = re.compile(r'name="bao_ve" value="([^"]+)"')
BADGE = re.compile(r'<span class="badge [a-z]+">([^<]+)</span>')
BANNER = re.compile(r'<section class="card notice" role="status"><p><strong>([^<]+)</strong>')


class Portal:
    """`thidua web` in its own process on 127.0.0.1, its clock moved by the replay."""

    def __init__(self, out: Path, port: int) -> None:
        self.url, self.clock = f"http://127.0.0.1:{port}", out / "portal-clock"
        self._port = port
        self._process: subprocess.Popen[bytes] | None = None

    def set_time(self, moment: datetime) -> None:
        set_clock(self.clock, moment)

    def start(self, moment: datetime) -> None:
        self.set_time(moment)
        thidua = Path(sys.executable).with_name("thidua")
        command = [str(thidua), "web", "--host", "127.0.0.1", "--port", str(self._port), "--replay-clock", str(self.clock)]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):  # at most 30 s
            try:
                httpx.get(f"{self.url}/u/khoi-dong", timeout=1)
                return
            except httpx.TransportError:
                if self._process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("thidua web không khởi động được trong 30 giây")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
            self._process = None


@contextmanager
def running_portal(out: Path, port: int, moment: datetime) -> Iterator[Portal]:
    portal = Portal(out, port)
    portal.start(moment)
    try:
        yield portal
    finally:
        portal.stop()


def latest_link(smtp: SmtpSink, address: str) -> str | None:
    """The personal link in the latest message the sink received for `address`."""
    for mail in reversed(smtp.messages):
        if address in mail.rcpt_tos:
            body = mail.parse().get_body(preferencelist=("plain",))
            found = LINK.search(body.get_content()) if body is not None else None
            if found:
                return found.group(0)
    return None


def sample_file(document: str, name: str) -> tuple[str, bytes]:
    """A file a unit would hand in for `document` (its Vietnamese name): minutes as Word, the rest as PDF."""
    if document == "bien_ban":
        return f"{name}.docx", sample_docx(name)
    return f"{name}.pdf", sample_pdf(document)


def hand_in(link: str, occurrence: str, documents: dict[str, str]) -> tuple[list[str], str]:
    """Upload one file per document (code → name) of `occurrence` through the unit's page; returns the page's
    confirmations and the occurrence's state as the page shows it."""
    banners = []
    with httpx.Client(timeout=30, follow_redirects=True) as client:
        path = link.split("127.0.0.1", 1)[1].split("/", 1)[1]
        for code, name in documents.items():
            action = f"/{path}/nop/{occurrence}/{code}"
            page = client.get(link).text
            guard = GUARD.search(page[page.index(f'action="{action}"') :])
            assert guard is not None
            response = client.post(link.split("/u/")[0] + action, data={"bao_ve": guard.group(1)}, files=[("tep", sample_file(code, name))])
            response.raise_for_status()
            banner = BANNER.search(response.text)
            banners.append(banner.group(1) if banner else "")
        page = client.get(link).text
    card = page[page.index(f'id="{occurrence.replace("/", "-")}"') :]
    state = BADGE.search(card)
    return banners, state.group(1) if state else ""
