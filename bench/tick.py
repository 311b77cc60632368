"""Benchmark of the daily dispatcher over 10,000 units: a quiet day and a reminder burst.

Prints figures, then one JSON line. The SMTP sink runs in a separate process; Prefect uses its local
temporary server, whose fixed start cost is measured first and reported apart.
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from deployments.prefect_env import settled_task_runs

UNITS = int(os.environ.get("BENCH_UNITS", "10000"))
PLAN = "loc-ninh-2024-2025"
QUIET_DAY, BURST_DAY = date(2025, 3, 3), date(2025, 11, 17)
ROOT = Path(__file__).resolve().parent.parent


def start_sink(store: Path) -> tuple[subprocess.Popen[str], int]:
    sink = subprocess.Popen(
        [sys.executable, "-m", "notifications.devservers.smtp_sink", "--store", str(store)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert sink.stdout is not None
    ready = sink.stdout.readline().split()  # "ready 127.0.0.1:PORT"
    return sink, int(ready[1].rsplit(":", 1)[1])


def configure(work: Path, smtp_port: int) -> None:
    plans = work / "plans"
    plans.mkdir()
    shutil.copy(ROOT / "plans" / f"{PLAN}.yaml", plans)
    os.environ.update(
        THIDUA_DATA_DIR=str(work),
        THIDUA_DATABASE_URL=f"sqlite:///{work / 'bench.db'}",
        THIDUA_PLANS_DIR=str(plans),
        THIDUA_SMTP_PORT=str(smtp_port),
        PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL="WARNING",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
    )


def seed() -> None:
    """10,000 communes reachable by email, the 2025 launch already done for all of them."""
    from sqlalchemy import insert

    from models import Unit
    from models.db import session_scope
    from models.queries.events import record_event

    codes = [f"xa-{i:05d}" for i in range(UNITS)]
    with session_scope() as session:
        session.execute(
            insert(Unit),
            [
                {"plan": PLAN, "code": c, "name": f"UBND xã Thử Nghiệm {i}", "group": "ubnd-xa",
                 "focal_name": f"Cán bộ {i}", "focal_email": f"{c}@bench.gov.vn", "head_email": f"head-{c}@bench.gov.vn"}
                for i, c in enumerate(codes)
            ],
        )
        record_event(session, PLAN, 2025, "launch", "launch", date(2025, 1, 2), codes)


def timed(label: str, day: date) -> tuple[float, int]:
    from flows.daily import daily

    before = settled_task_runs()
    start = time.perf_counter()
    results = daily(as_of=day)
    elapsed = time.perf_counter() - start
    runs = settled_task_runs() - before
    sent = sum(sum(r.get("sent", {}).values()) for r in results)
    print(f"{label}: {elapsed:.2f} s, {runs} task runs, {sent} messages sent")
    return elapsed, runs


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="thidua-bench-tick-"))
    sink, port = start_sink(work / "sink")
    try:
        configure(work, port)
        sys.path.insert(0, str(ROOT))
        seed()
        from prefect import flow

        @flow
        def warm_up() -> None:
            """Pays Prefect's fixed start cost (temporary server) before anything is measured."""

        start = time.perf_counter()
        warm_up()
        print(f"Prefect fixed start cost: {time.perf_counter() - start:.2f} s; units: {UNITS}")
        quiet_s, quiet_runs = timed("quiet day", QUIET_DAY)
        burst_s, burst_runs = timed("reminder burst", BURST_DAY)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"burst throughput: {UNITS / burst_s:.0f} reminders/s end to end; peak RSS {peak:.0f} MB")
        print(json.dumps({
            "units": UNITS, "quiet_s": round(quiet_s, 2), "burst_s": round(burst_s, 2),
            "task_runs_quiet": quiet_runs, "task_runs_burst": burst_runs, "peak_rss_mb": round(peak, 1),
        }))
    finally:
        sink.terminate()
        sink.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
