"""Screenshots of thidua in the Prefect UI for docs/prefect-ui.md, taken from the real pages with headless chromium.

Needs a Prefect server on which `thidua demo` ran and `thidua serve` registered the deployments (the commands are
in docs/prefect-ui.md, "Reproduce the screenshots"), and Debian's chromium and chromedriver
(scripts/install-browser.sh). Finds the runs, artifacts and deployments by name through the API, starts one run of
the "Ghi nhận hồ sơ" form with a unit that does not exist (to show the refusal; reused when it is already there),
and writes docs/img/prefect-*.png:

    .venv/bin/python scripts/prefect_screenshots.py --api http://127.0.0.1:4200/api [--out docs/img]

Pages are shot with chromium's own --screenshot (the FLAGS below); the one picture that needs
a click (the re-run form's open drop-down) goes through chromedriver.
"""

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--force-prefers-reduced-motion"]  # fmt: skip

DISPATCH = "Điều phối ngày Thứ Hai, 01/12/2025"
STEP = "Lộc Ninh 2025 · nhắc đúng ngày hạn: Hồ sơ đề nghị khen thưởng (hạn 01/12/2025)"
ESCALATION = (
    "Lộc Ninh 2025 · báo Thủ trưởng đơn vị: Báo cáo kết quả thực hiện phong trào thi đua "
    "(quá hạn 1 ngày làm việc, hạn 01/12/2025)"
)
FORMS = ["ghi-nhan-ho-so", "dang-ky-thi-dua", "ngay-cong-bo-chi-so", "chay-lai-buoc", "hoi-dong-quyet-dinh"]
FORM_HEIGHTS = {"ghi-nhan-ho-so": 1400, "dang-ky-thi-dua": 1040, "ngay-cong-bo-chi-so": 900, "chay-lai-buoc": 1020,
                "hoi-dong-quyet-dinh": 1360}  # fmt: skip
WRONG_UNIT = "ln-ub-loc-tan-khai"  # not in the Lộc Ninh directory: the form refuses it and lists near names
REFUSED = f"Lộc Ninh 2025 · nhận tài liệu của {WRONG_UNIT}"


class Api:
    """The few reads (and the one form run) the pictures need."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url.rstrip("/") + "/", timeout=30)

    def post(self, path: str, body: dict[str, object]) -> list[dict[str, object]]:
        response = self.http.post(path, json=body)
        response.raise_for_status()
        return response.json()

    def run(self, name: str) -> dict[str, object] | None:
        runs = self.post(
            "flow_runs/filter", {"flow_runs": {"name": {"any_": [name]}}, "sort": "START_TIME_DESC", "limit": 1}
        )
        return runs[0] if runs else None

    def artifact(self, key: str, run_id: object) -> str:
        body = {"artifacts": {"key": {"any_": [key]}, "flow_run_id": {"any_": [run_id]}}, "limit": 1}
        return str(self.post("artifacts/filter", body)[0]["id"])

    def deployments(self) -> dict[str, str]:
        return {str(d["name"]): str(d["id"]) for d in self.post("deployments/filter", {})}

    def refused_run(self, deployment: str) -> str:
        """The run of the dossier form refused for a wrong unit (started once, then reused)."""
        found = self.run(REFUSED)
        if not found:
            form = {"ke_hoach": "loc-ninh-2024-2025", "nam": 2025, "don_vi": WRONG_UNIT, "tai_lieu": ["to_trinh"]}
            response = self.http.post(f"deployments/{deployment}/create_flow_run", json={"parameters": {"ho_so": form}})
            response.raise_for_status()
            found = response.json()
        for _ in range(120):  # `thidua serve` picks it up within its polling interval
            state = self.http.get(f"flow_runs/{found['id']}").json()["state_type"]
            if state in ("FAILED", "COMPLETED", "CRASHED"):
                return str(found["id"])
            time.sleep(1)
        raise SystemExit(f"Lượt chạy {REFUSED!r} chưa kết thúc sau 2 phút: `thidua serve` có đang chạy không?")


def shot(url: str, path: Path, width: int, height: int) -> None:
    """One page at width × height, after 30 s of virtual time (the UI is a single-page app)."""
    profile = tempfile.mkdtemp(prefix="prefect-shot-")
    try:
        subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}", "--virtual-time-budget=30000",
             f"--screenshot={path}", url],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def open_choices(url: str, path: Path, width: int, height: int) -> None:
    """The re-run form with its step drop-down open (a click: chromedriver)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--window-size={width},{height}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(url)
        trigger = WebDriverWait(driver, 60).until(
            expected_conditions.element_to_be_clickable((By.CSS_SELECTOR, "button[aria-haspopup=listbox]"))
        )
        trigger.click()
        WebDriverWait(driver, 20).until(
            expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, "[role=option]"))
        )
        time.sleep(1)
        driver.save_screenshot(str(path))
    finally:
        driver.quit()
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", required=True, help="the Prefect API, e.g. http://127.0.0.1:4200/api")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    api, ui = Api(args.api), args.api.rstrip("/").removesuffix("/api")
    v1, v2, out = ui, f"{ui}/v2", args.out
    found = {name: api.run(name) for name in (DISPATCH, STEP, ESCALATION)}
    if missing := [name for name, run in found.items() if run is None]:
        raise SystemExit(
            f"Không thấy lượt chạy {missing}: chạy `thidua demo` với PREFECT_API_URL trỏ tới máy chủ này trước."
        )
    dispatch, step, escalation = (str(found[name]["id"]) for name in (DISPATCH, STEP, ESCALATION))  # type: ignore[index]
    deployments = api.deployments()
    if missing := [name for name in FORMS if name not in deployments]:
        raise SystemExit(
            f"Không thấy deployment {missing}: chạy `thidua serve` với PREFECT_API_URL trỏ tới máy chủ này."
        )
    refused = api.refused_run(deployments["ghi-nhan-ho-so"])

    search = quote("hạn 01/12/2025")
    shot(f"{v2}/runs?sort=START_TIME_ASC&flow-run-search={search}", out / "prefect-runs.png", 1600, 2040)
    shot(f"{v2}/runs/flow-run/{dispatch}?tab=SubflowRuns", out / "prefect-dispatch-run.png", 1600, 950)
    shot(
        f"{v2}/artifacts/artifact/{api.artifact('dieu-phoi-hang-ngay', dispatch)}",
        out / "prefect-dispatch-summary.png",
        1600,
        960,
    )
    summary = api.artifact("tom-tat-loc-ninh-2024-2025-2025", escalation)
    shot(f"{v2}/artifacts/artifact/{summary}", out / "prefect-status-summary.png", 1600, 1640)
    table = api.artifact("trang-thai-loc-ninh-2024-2025-2025", escalation)
    shot(f"{v2}/artifacts/artifact/{table}", out / "prefect-status-table.png", 1600, 800)
    overview = api.artifact("tong-quan-loc-ninh-2024-2025", escalation)
    shot(f"{v2}/artifacts/artifact/{overview}", out / "prefect-overview.png", 1600, 820)
    shot(f"{v2}/deployments", out / "prefect-deployments.png", 1600, 660)
    for name in FORMS:
        shot(
            f"{v2}/deployments/deployment/{deployments[name]}/run",
            out / f"prefect-form-{name}.png",
            1600,
            FORM_HEIGHTS[name],
        )
    open_choices(
        f"{v2}/deployments/deployment/{deployments['chay-lai-buoc']}/run",
        out / "prefect-form-chay-lai-buoc-choices.png",
        1600,
        900,
    )
    shot(f"{v2}/runs/flow-run/{refused}?tab=Details", out / "prefect-form-refused.png", 1600, 820)
    # one step run, in each UI version: the run graph's labels, and ?tab=Artifacts
    shot(f"{v1}/runs/flow-run/{step}?tab=Artifacts", out / "prefect-v1-step-run.png", 1600, 1000)
    shot(f"{v2}/runs/flow-run/{step}?tab=Artifacts", out / "prefect-v2-step-run.png", 1600, 1000)


if __name__ == "__main__":
    main()
