"""Benchmark of the daily dispatch on a work pool at national breadth: 34 provincial plans of 30 units each
(BENCH_PLANS, BENCH_UNITS_PER_PLAN), 4,080 recipient addresses,
with one worker and with two (`make bench-pool`).

Each configuration gets an installation of its own (`deployments/stack.py`: PostgreSQL, `prefect server
start` with authentication, the local SMTP and Zalo servers, `thidua deploy`) and replays three days: the
launch notice to every unit, a quiet day, and the 14-day reminder burst (two deliverables, email and Zalo).
For each day: the wall time from the trigger to the last run finished, the flow and task runs created, the
messages sent and their rate; per worker, the peak memory of the worker and the flow runs it started.
Prints figures, then one JSON line.
"""

import csv
import io
import json
import os
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

from deployments.rehearsal import outbox, plan_copies, settle, start_daily, workers_online
from deployments.stack import Stack, descendants, exit_on_sigterm, stack
from notifications.devservers import wait_until

PLANS = int(os.environ.get("BENCH_PLANS", "34"))
UNITS_PER_PLAN = int(os.environ.get("BENCH_UNITS_PER_PLAN", "30"))
WORKER_LIMIT = "4"  # flow runs a worker holds at once (each is a Python process of ~150 MB)
DAYS = (("launch", date(2025, 1, 2)), ("quiet", date(2025, 3, 3)), ("burst", date(2025, 11, 17)))
POOL = "thidua-bench"


def units_csv() -> str:
    """A province's communes: a focal point and a head each, both by email and phone (Zalo)."""
    from thidua.directory import COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for i in range(UNITS_PER_PLAN):
        writer.writerow({
            "code": f"xa-{i:04d}", "name": f"UBND xã Thử Nghiệm {i}", "group": "ubnd-xa", "focal_name": f"Cán bộ {i}",
            "focal_email": f"xa{i:04d}@bench.gov.vn", "focal_phone": f"09{i:08d}", "head_name": f"Chủ tịch {i}",
            "head_email": f"chutich{i:04d}@bench.gov.vn", "head_phone": f"038{i:07d}",
        })  # fmt: skip
    return out.getvalue()


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Memory:
    """Samples, every 0.5 s, each worker's memory: the worker and the flow runs it started, summed."""

    def __init__(self, workers: dict[str, Any]) -> None:
        self.workers, self.peak = workers, dict.fromkeys(workers, 0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            for name, process in self.workers.items():
                total = sum(_rss_mb(pid) for pid in (process.pid, *descendants(process.pid)))
                self.peak[name] = max(self.peak[name], total)

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        return {name: round(mb) for name, mb in self.peak.items()}


def _counts() -> tuple[int, int]:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        flows = client._client.post("/flow_runs/count", json={}).json()
        tasks = client._client.post("/task_runs/count", json={}).json()
    return flows, tasks


def configuration(workers: int) -> dict[str, Any]:
    """One installation with `workers` workers; the three days measured."""
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

    with stack() as s:
        s.start_prefect()  # this process is a client of each installation's server in turn
        with temporary_settings({PREFECT_API_URL: s.env["PREFECT_API_URL"], PREFECT_API_AUTH_STRING: s.auth}):
            return _measure(s, workers)


def _measure(s: Stack, workers: int) -> dict[str, Any]:
    """Install, deploy, start the workers, replay the days."""
    tokens = s.start_mail_and_zalo()
    s.save_secret_blocks()
    s.install(plan_copies(PLANS, "tinh", "Tỉnh"), units_csv(), POOL)
    s.thidua("notify", "zalo-token", stdin=json.dumps(tokens))
    s.thidua("deploy")
    running = {f"worker-{n}": s.start_worker(f"worker-{n}", POOL, limit=WORKER_LIMIT) for n in range(1, workers + 1)}

    assert wait_until(lambda: workers_online(POOL) == workers, 120, 1.0), "workers did not come online"
    url = s.env["THIDUA_DATABASE_URL"]
    memory, days = Memory(running), {}
    for label, day in DAYS:
        flows_before, tasks_before = _counts()
        sent_before = sum(1 for row in outbox(url) if row.status == "sent")
        started = time.monotonic()
        start_daily(day)
        settled = settle(limit_s=3600, quiet_s=5)
        elapsed = time.monotonic() - started - 5  # the quiet period that proves it settled
        flows, tasks = _counts()
        sent = sum(1 for row in outbox(url) if row.status == "sent") - sent_before
        days[label] = {
            "wall_s": round(elapsed, 1), "flow_runs": flows - flows_before, "task_runs": tasks - tasks_before,
            "messages": sent, "messages_per_s": round(sent / elapsed, 1), "settled": settled,
        }  # fmt: skip
        print(f"  {workers} worker · {label} {day:%d/%m/%Y}: {days[label]}", flush=True)
    return {"days": days, "peak_mb_per_worker": memory.stop()}


def main() -> None:
    exit_on_sigterm()
    recipients = PLANS * UNITS_PER_PLAN * 4  # focal point and head, by email and by Zalo
    print(
        f"{PLANS} kế hoạch, {PLANS * UNITS_PER_PLAN} đơn vị, {recipients} địa chỉ người nhận; worker --limit {WORKER_LIMIT}",
        flush=True,
    )
    results = {f"{n}_worker": configuration(n) for n in (1, 2)}
    one, two = results["1_worker"]["days"]["burst"], results["2_worker"]["days"]["burst"]
    print(json.dumps({
        "plans": PLANS, "units": PLANS * UNITS_PER_PLAN, "recipients": recipients, **results,
        "burst_speedup_2_workers": round(one["wall_s"] / two["wall_s"], 2),
    }, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
