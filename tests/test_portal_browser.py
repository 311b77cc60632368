"""A unit completes its dossier in a real browser (Debian's chromium through Selenium and chromedriver) from the
link of a reminder sent through the local SMTP sink; the next dispatcher run sends it nothing more for the
dossier; the administrator rejects a document in the browser; the unit receives the reason and is chased again.

Nothing is downloaded: chromium and chromedriver come from `scripts/install-browser.sh` (apt), and Selenium is
given the driver's path, so Selenium Manager never runs. Without the browser this test fails and says why.
"""

import json
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import uvicorn
from portal_fixture import HASH, PASSWORD, PLAN, UNIT, YEAR, Clock, portal_plans
from sqlalchemy import Engine
from sqlmodel import Session, select

from config import get_settings
from documents.samples import sample_docx, sample_pdf, sample_xlsx, write_sample
from models import OutboxMessage
from models.db import session_scope
from notifications.devservers import free_port
from notifications.devservers.smtp_sink import SmtpSink
from services.imports import import_units
from services.plans import find_plan
from thidua.dates import TZ
from web.app import create_app

pytestmark = pytest.mark.slow  # a browser, a Prefect server

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FOCAL = "vanphong@locthai.locninh.gov.vn"  # ln-ub-loc-thai's focal point
DOSSIER = "ho_so_khen_thuong/submission_deadline"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/u/[A-Za-z0-9_.\-]+")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--window-size=390,844"]  # fmt: skip


def browser():  # type: ignore[no-untyped-def]
    """A headless chromium driven through Debian's chromedriver; fails with what to do when either is missing."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).exists() and not shutil.which(Path(path).name)]
    if missing:
        pytest.fail(f"Thiếu trình duyệt cho bài kiểm tra: {', '.join(missing)}. Cài bằng: sudo bash scripts/install-browser.sh")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


class Server:
    """The portal served by uvicorn in a thread, on loopback."""

    def __init__(self, engine: Engine, clock: Clock, port: int) -> None:
        app = create_app(get_settings(), engine, clock=clock, send_messages=True)
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return self
            threading.Event().wait(0.05)
        raise RuntimeError("the portal did not start in 10 s")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def world(sqlite_engine: Engine, point_app: Callable[..., None], tmp_path: Path, prefect_harness: None) -> Iterator[tuple[SmtpSink, Clock, int]]:
    port = free_port()
    with SmtpSink() as smtp:
        point_app(
            sqlite_engine, THIDUA_PLANS_DIR=str(portal_plans(tmp_path)), THIDUA_DATA_DIR=str(tmp_path / "data"),
            THIDUA_PUBLIC_URL=f"http://127.0.0.1:{port}", THIDUA_SMTP_PORT=str(smtp.port), THIDUA_ADMIN_USERS=json.dumps({"hoa": HASH}),
        )  # fmt: skip
        with session_scope(sqlite_engine) as session:
            import_units(session, Path("plans/units/loc-ninh-2024-2025.csv"), PLAN, find_plan(PLAN).group_names)
        yield smtp, Clock(datetime(2025, 11, 18, 10, 0, tzinfo=TZ)), port


def mails_to(smtp: SmtpSink, address: str) -> list[tuple[str, str]]:
    """(subject, plain text) of every message the sink received for `address`."""
    out = []
    for mail in smtp.messages:
        if address in mail.rcpt_tos:
            message = mail.parse()
            out.append((str(message["subject"]), message.get_body(preferencelist=("plain",)).get_content()))  # type: ignore[union-attr]
    return out


def dossier_chases(engine: Engine, step: str) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.unit_code == UNIT, OutboxMessage.milestone == DOSSIER, OutboxMessage.step == step)))


def wait_for(driver, text: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 15).until(lambda d: text in d.page_source)


def upload(driver, document: str, path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    """Choose `path` in the form of `document` and send it; wait for the page that confirms `name`."""
    from selenium.webdriver.common.by import By

    form = driver.find_element(By.CSS_SELECTOR, f"form[action$='/{DOSSIER}/{document}']")
    form.find_element(By.NAME, "tep").send_keys(str(path))
    form.find_element(By.CSS_SELECTOR, "button").click()
    wait_for(driver, f"Đã nhận «{name}")


def test_a_unit_completes_through_its_link_and_the_ladder_stops_then_a_rejection_chases_it_again(
    world: tuple[SmtpSink, Clock, int], sqlite_engine: Engine, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    from flows.daily import daily

    smtp, clock, port = world
    files = tmp_path / "tệp"
    to_trinh = write_sample(files, "Tờ trình khen thưởng Lộc Thái.pdf", sample_pdf("To trinh"))
    bien_ban = write_sample(files, "Biên bản họp xét.docx", sample_docx("Biên bản họp xét"))
    bao_cao = write_sample(files, "Báo cáo thành tích.xlsx", sample_xlsx("Báo cáo thành tích"))
    daily(as_of=date(2025, 11, 17))  # the 14-day reminder, by email through the sink
    (subject, body), *_ = [m for m in mails_to(smtp, FOCAL) if m[0].startswith("[Nhắc hạn]") and "hồ sơ" in m[0]]
    link = LINK.search(body).group(0)  # type: ignore[union-attr]
    with Server(sqlite_engine, clock, port), browser() as driver:
        driver.get(link)
        assert "UBND xã Lộc Thái" in driver.title
        driver.find_element(By.ID, "ten0").send_keys("Nguyễn Văn An")
        driver.find_element(By.ID, "chuc0").send_keys("Chủ tịch UBND xã")
        driver.find_element(By.CSS_SELECTOR, "form[action$='/dang-ky'] button").click()
        wait_for(driver, "Đã ghi nhận đăng ký thi đua")
        assert "Nguyễn Văn An — Chủ tịch UBND xã" in driver.page_source
        upload(driver, "to_trinh", to_trinh, "Tờ trình")
        upload(driver, "bien_ban", bien_ban, "Biên bản")
        assert "Còn thiếu: Báo cáo thành tích của tập thể đề nghị khen thưởng." in driver.page_source
        assert "Tờ trình khen thưởng Lộc Thái.pdf" in driver.page_source
        upload(driver, "bao_cao_thanh_tich", bao_cao, "Báo cáo thành tích")
        card = driver.find_element(By.ID, "ho_so_khen_thuong-submission_deadline").text
        assert "đã đủ" in card and "đã nhận lúc 10:00, Thứ Ba, 18/11/2025" in card
        wait_until(lambda: any(s.startswith("[Đã nhận]") for s, _ in mails_to(smtp, FOCAL)))  # confirmed by message at once

        daily(as_of=date(2025, 11, 24))  # the 7-day step: nothing more about the dossier for this unit
        assert dossier_chases(sqlite_engine, "2025-12-01/remind-7d") == []
        with Session(sqlite_engine) as session:
            others = session.exec(select(OutboxMessage).where(OutboxMessage.step == "2025-12-01/remind-7d", OutboxMessage.milestone == DOSSIER)).all()
        assert others  # the step did run, for the units still behind

        clock.now = datetime(2025, 11, 25, 14, 5, tzinfo=TZ)
        driver.get(f"http://127.0.0.1:{port}/admin/dang-nhap")
        driver.find_element(By.ID, "ten").send_keys("hoa")
        driver.find_element(By.ID, "mat_khau").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "form button").click()
        wait_for(driver, "Các kế hoạch")
        driver.get(f"http://127.0.0.1:{port}/admin/{PLAN}/{YEAR}/{UNIT}")
        reason = "Biên bản chưa có chữ ký của Chủ tịch Hội đồng"
        item = driver.find_element(By.XPATH, "//li[strong[starts-with(., 'Biên bản họp Hội đồng')]]")
        item.find_element(By.NAME, "ly_do").send_keys(reason)
        item.find_element(By.CSS_SELECTOR, "button[value='tra-lai']").click()
        wait_for(driver, f"Lý do trả lại: {reason}")

    wait_until(lambda: any(s.startswith("[Trả lại tài liệu]") for s, _ in mails_to(smtp, FOCAL)))
    (rejected,) = [b for s, b in mails_to(smtp, FOCAL) if s.startswith("[Trả lại tài liệu]")]
    assert f"Lý do: {reason}" in rejected and link in rejected
    daily(as_of=date(2025, 11, 28))  # Friday before the deadline (the 1-day step, Sunday 30/11, comes forward): chased again
    (again,) = [m for m in dossier_chases(sqlite_engine, "2025-12-01/remind-1d") if m.channel == "email"]
    assert "Biên bản họp Hội đồng" in again.body_text and link in again.body_text and again.status == "sent"


def wait_until(condition: Callable[[], bool], seconds: float = 15) -> None:
    for _ in range(int(seconds / 0.1)):
        if condition():
            return
        threading.Event().wait(0.1)
    raise AssertionError("not within the time allowed")
