"""Screenshots of the unit portal for the docs, taken from the real pages with headless chromium at 390 × 844.

Run after `make demo` (it reads `out/demo`): starts `thidua web` on loopback on the demo's database with its
clock on Friday 28/11/2025, opens the page of a unit that handed its dossier in through its link, logs in on
the administrator's side with a throwaway account, and writes docs/img/portal-unit-phone.png and
docs/img/portal-admin-phone.png (full pages). Needs chromium and chromedriver (scripts/install-browser.sh).
"""

import base64
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import httpx
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "out" / "demo"
PLAN, YEAR, UNIT = "loc-ninh-2024-2025", 2025, "ln-ub-loc-quang"


def full_page(driver: webdriver.Chrome, path: Path) -> None:
    """The whole page at the window's width, as a PNG."""
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "format": "png"})
    path.write_bytes(base64.b64decode(shot["data"]))


def main() -> None:
    if not (DEMO / "thidua.db").exists():
        raise SystemExit("Chưa có dữ liệu chạy thử: chạy `make demo` trước.")
    sys.path.insert(0, str(ROOT))
    from notifications.devservers import free_port
    from web.auth import hash_password

    password, port = secrets.token_urlsafe(16), free_port()
    env = {
        **os.environ, "THIDUA_DATA_DIR": str(DEMO), "THIDUA_DATABASE_URL": f"sqlite:///{DEMO / 'thidua.db'}",
        "THIDUA_PUBLIC_URL": f"http://127.0.0.1:{port}", "THIDUA_ADMIN_USERS": json.dumps({"phongnoivu": hash_password(password)}),
    }  # fmt: skip
    clock = DEMO / "screenshot-clock"
    clock.write_text("2025-11-28T10:45:00")
    link = subprocess.run(
        [str(Path(sys.executable).with_name("thidua")), "portal", "link", "--plan", PLAN, "--year", str(YEAR), "--unit", UNIT],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    command = [str(Path(sys.executable).with_name("thidua")), "web", "--port", str(port), "--replay-clock", str(clock)]
    server = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=390,844"):
        options.add_argument(flag)
    # headless chromium keeps windows at least 500 px wide: the phone's 390 px viewport is set by emulation
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 1}})
    try:
        for _ in range(300):
            try:
                httpx.get(f"http://127.0.0.1:{port}/u/khoi-dong", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        with webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options) as driver:
            driver.get(link)
            full_page(driver, ROOT / "docs" / "img" / "portal-unit-phone.png")
            driver.get(f"http://127.0.0.1:{port}/admin/dang-nhap")
            driver.find_element(By.ID, "ten").send_keys("phongnoivu")
            driver.find_element(By.ID, "mat_khau").send_keys(password)
            driver.find_element(By.CSS_SELECTOR, "form button").click()
            WebDriverWait(driver, 15).until(lambda d: "Đăng xuất" in d.page_source)
            driver.get(f"http://127.0.0.1:{port}/admin/{PLAN}/{YEAR}/{UNIT}")
            full_page(driver, ROOT / "docs" / "img" / "portal-admin-phone.png")
            driver.get(f"http://127.0.0.1:{port}/admin/{PLAN}/{YEAR}")
            full_page(driver, ROOT / "docs" / "img" / "portal-admin-cycle-phone.png")
    finally:
        server.terminate()
        server.wait(timeout=10)
        clock.unlink(missing_ok=True)
    print("Đã chụp: docs/img/portal-unit-phone.png, docs/img/portal-admin-phone.png, docs/img/portal-admin-cycle-phone.png")


if __name__ == "__main__":
    main()
