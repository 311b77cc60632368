"""`make rehearsal`: production on this machine, proven end to end, on loopback only.

It builds the installation (`deployments/stack.py`): PostgreSQL for Prefect and for thidua, `prefect server
start` with API authentication and an encryption key, the SMTP password and the Zalo app secret as Prefect
Secret blocks only, `thidua deploy` (twice: the second changes nothing), two process workers. It replays a
stretch of the 2025 cycle of several plans by running the daily deployment for chosen days; on the reminder
burst it kills one worker (SIGKILL to its whole process group, as a machine that loses power) while it is
sending. Then it checks that every message arrived once, that the work of the dead worker was finished by
the other one, and that a backup restored into a fresh database gives the same `thidua status`. Everything it
started is stopped and every database dropped. Prints a table, then one JSON line; exits 1 if a promise failed.
"""

import json
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from deployments.stack import (
    HEARTBEAT_S,
    PG_ADMIN_URL,
    Stack,
    descendants,
    exit_on_sigterm,
    kill_tree,
    stack,
)
from notifications.devservers import wait_until

ROOT = Path(__file__).resolve().parent.parent
SOURCE, YEAR = "loc-ninh-2024-2025", 2025
PLANS = 6
POOL = "thidua-rehearsal"
WORKERS = ("worker-1", "worker-2")
DAYS = (date(2025, 1, 2), date(2025, 11, 17), date(2025, 11, 24), date(2025, 12, 2))  # launch, 14 and 7 days before, late
KILL_DAY = date(2025, 11, 17)
SEND_RATE = "25"  # messages a second per channel and sender, as a provincial mail server may demand
SETTLE_LIMIT_S = 12 * HEARTBEAT_S + 240  # a dead worker's runs are Crashed after 3 heartbeats; then the rest runs
UNFINISHED = ["SCHEDULED", "PENDING", "RUNNING", "CANCELLING", "PAUSED"]


@dataclass
class Rehearsal:
    """What the rehearsal measured, and the lines of its table."""

    lines: list[tuple[str, str, float]] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    _started: float = field(default_factory=time.monotonic)

    def step(self, what: str, result: str) -> None:
        now = time.monotonic()
        self.lines.append((what, result, now - self._started))
        print(f"{now - self._started:7.1f} s  {what}: {result}", flush=True)
        self._started = now

    def promise(self, holds: bool, what: str) -> bool:
        if not holds:
            self.failed.append(what)
        return holds


def plan_copies(count: int, code: str, short_name: str) -> dict[str, str]:
    """`count` copies of the Lộc Ninh plan (email and Zalo), coded `{code}-N-2024-2025` and named `{short_name} N`."""
    text = (ROOT / "plans" / f"{SOURCE}.yaml").read_text(encoding="utf-8")
    return {
        f"{code}-{n}-2024-2025": text.replace(f"code: {SOURCE}", f"code: {code}-{n}-2024-2025").replace("short_name: Lộc Ninh", f"short_name: {short_name} {n}")
        for n in range(1, count + 1)
    }


# --- Prefect, as the rehearsal looks at it -------------------------------------------------------------------


def _client() -> Any:
    from prefect.client.orchestration import get_client

    return get_client(sync_client=True)


def flow_runs() -> list[Any]:
    """Every flow run on the server (a few hundred at most here)."""
    from prefect.client.schemas.sorting import FlowRunSort

    with _client() as client:
        runs, offset = [], 0
        while True:
            page = client.read_flow_runs(sort=FlowRunSort.ID_DESC, limit=200, offset=offset)
            runs += page
            if len(page) < 200:
                return runs
            offset += 200


def _busy(run: Any, now: datetime) -> bool:
    """Unfinished, and not a run the daily schedule created for a later morning."""
    if not run.state or run.state.type.value not in UNFINISHED:
        return False
    return not (run.state.type.value == "SCHEDULED" and run.expected_start_time and run.expected_start_time > now + timedelta(minutes=1))


def settle(limit_s: float = SETTLE_LIMIT_S, quiet_s: float = 20.0) -> bool:
    """Wait until no run is unfinished for `quiet_s` in a row (an automation may still start one)."""
    deadline = time.monotonic() + limit_s
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        now = datetime.now(UTC)
        busy = [run for run in flow_runs() if _busy(run, now)]
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return True
        time.sleep(2)
    return False


def start_daily(day: date) -> UUID:
    from prefect.deployments import run_deployment

    from flows.daily import daily
    from flows.registry import DAILY_DEPLOYMENT

    run = run_deployment(f"{daily.name}/{DAILY_DEPLOYMENT}", parameters={"as_of": day.isoformat()}, timeout=0, as_subflow=False)
    return run.id


def workers_online(pool: str) -> int:
    from prefect.client.schemas.filters import WorkerFilter, WorkerFilterStatus

    with _client() as client:
        online = WorkerFilter(status=WorkerFilterStatus(any_=["ONLINE"]))
        return len(client.read_workers_for_work_pool(pool, worker_filter=online, offset=0, limit=50))  # (explicit: see flows/fanout.py)


# --- the outbox and what arrived -----------------------------------------------------------------------------


def _query(url: str, sql: str) -> list[Any]:
    """The rows of `sql` on thidua's database at `url`, read over a connection of its own."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)))
    finally:
        engine.dispose()


def outbox(url: str) -> list[Any]:
    return _query(url, "SELECT channel, status, kind, message_id, provider_id, attempt_started_at, last_error FROM outboxmessage")


@dataclass
class Arrivals:
    """What the SMTP sink and the Zalo server received: each message's key (Message-ID's local part; ZNS tracking_id,
    or recipient and text for an OA message), repeats included, and the ids the Zalo server gave."""

    keys: Counter[str]
    zalo_ids: set[str]

    def delivered(self, row: Any) -> bool:
        return row.message_id in self.keys or (row.channel == "zalo" and row.provider_id in self.zalo_ids)


def arrivals(folder: Path) -> Arrivals:
    from notifications.devservers.smtp_sink import read_store

    mail = [m.message_id.strip("<>").partition("@")[0] for m in read_store(folder / "smtp") if m.message_id]
    store = folder / "zalo" / "zalo.jsonl"
    zalo = [json.loads(line) for line in store.read_text(encoding="utf-8").splitlines()] if store.exists() else []
    return Arrivals(Counter(mail) + Counter(row["key"] for row in zalo), {row["message_id"] for row in zalo})


def _worker_of(run: Any, workers: dict[str, subprocess.Popen[str]]) -> str | None:
    """Which worker started the process of `run` (its infrastructure pid)."""
    pid = str(run.infrastructure_pid or "").rpartition(":")[2]
    if not pid.isdigit():
        return None
    return next((name for name, process in workers.items() if int(pid) in descendants(process.pid)), None)


def _running_steps() -> list[Any]:
    """The runs of the cycle deployment that are running now."""
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    from flows.registry import STEP_DEPLOYMENT

    running = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.RUNNING])))
    with _client() as client:
        return client.read_flow_runs(
            flow_run_filter=running, deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[STEP_DEPLOYMENT])),
            sort=FlowRunSort.ID_DESC, limit=200, offset=0,
        )  # fmt: skip


def kill_while_sending(stack_: Stack, workers: dict[str, subprocess.Popen[str]], url: str, sent_before: int, r: Rehearsal) -> str | None:
    """SIGKILL a worker while a step's run on it is sending the day's messages (some sent, others waiting), at an
    instant when no message is half-way through its exchange with the mail or Zalo server. (A kill inside that
    exchange can repeat the messages in flight, at most once each: `make faults` measures that bound.)"""
    victim: str | None = None

    def sending_between_messages() -> bool:
        nonlocal victim
        rows = outbox(url)
        counts = Counter(row.status for row in rows)
        in_flight = any(row.status == "sending" and row.attempt_started_at is not None for row in rows)
        if in_flight or counts["sent"] <= sent_before or not counts["pending"] + counts["sending"]:
            return False
        victim = next(filter(None, (_worker_of(run, workers) for run in _running_steps())), None)
        return victim is not None

    if not wait_until(sending_between_messages, 300, 0.005):
        r.step("dừng một worker", "không bắt được lúc đang gửi (mọi tin đã gửi xong trước)")
        return None
    assert victim is not None
    kill_tree(workers[victim])
    rows = outbox(url)
    in_flight = sum(1 for row in rows if row.status == "sending" and row.attempt_started_at is not None)
    r.figures["in_flight_at_kill"] = in_flight
    sent = sum(1 for row in rows if row.status == "sent")
    r.step("dừng một worker", f"SIGKILL {victim} và mọi tiến trình nó khởi chạy giữa lúc gửi: {sent} tin đã gửi, {in_flight} tin đang trao cho máy chủ")
    return victim


# --- backup and restore --------------------------------------------------------------------------------------


def backup_restores(stack_: Stack, plan: str) -> bool:
    """pg_dump of thidua's database restored into a fresh one gives the same `thidua status --json`."""
    source = stack_.env["THIDUA_DATABASE_URL"]
    name = source.rsplit("/", 1)[1]
    copy = stack_.database("restored")
    admin = PG_ADMIN_URL.rsplit("/", 1)[0]
    dump = stack_.folder / "thidua.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", f"{admin}/{name}"], check=True, timeout=300)
    subprocess.run(["pg_restore", "--no-owner", f"--dbname={admin}/{copy}", str(dump)], check=True, timeout=300)
    before = stack_.thidua("status", "--plan", plan, "--year", str(YEAR), "--json").stdout
    stack_.env["THIDUA_DATABASE_URL"] = stack_.url(copy)
    try:
        after = stack_.thidua("status", "--plan", plan, "--year", str(YEAR), "--json").stdout
    finally:
        stack_.env["THIDUA_DATABASE_URL"] = source
    return bool(json.loads(before)) and before == after


# --- the rehearsal -------------------------------------------------------------------------------------------


def build(s: Stack, r: Rehearsal) -> dict[str, subprocess.Popen[str]]:
    s.start_prefect()
    os.environ.update(s.client_settings())  # this process is a client of the server too
    r.step("máy chủ Prefect trên PostgreSQL, có xác thực", s.env["PREFECT_API_URL"])
    r.figures["unauthenticated_refused"] = r.promise(s.unauthenticated_refused(), "yêu cầu không xác thực bị từ chối")
    r.step("yêu cầu không có thông tin xác thực", "bị từ chối (401)" if r.figures["unauthenticated_refused"] else "KHÔNG bị từ chối")
    tokens = s.start_mail_and_zalo()
    s.save_secret_blocks()
    r.step("SMTP (đòi đăng nhập) và Zalo giả lập; mật khẩu SMTP, app secret Zalo", "chỉ nằm trong Secret block của Prefect")
    s.install(plan_copies(PLANS, "dien-tap", "Diễn tập"), (ROOT / "plans" / "units" / f"{SOURCE}.csv").read_text(encoding="utf-8"), POOL)
    s.env |= {"THIDUA_SMTP_RATE_PER_S": SEND_RATE, "THIDUA_ZALO_RATE_PER_S": SEND_RATE}
    pair = f"{tokens['access_token']}\n{tokens['refresh_token']}\n"  # without Zalo's expires_in: --expires-in holds
    s.thidua("notify", "zalo-token", "--expires-in", "60", stdin=pair)  # due at once: `thidua doctor` refreshes it (real clock)
    r.step("thư mục cài đặt", f"{PLANS} kế hoạch, danh mục đơn vị, token Zalo sắp hết hạn")
    first = s.thidua("deploy").stdout.splitlines()
    again = s.thidua("deploy").stdout.splitlines()
    unchanged = all(line.startswith("=") for line in again[:-1])
    r.figures["redeploy_unchanged"] = r.promise(unchanged, "thidua deploy chạy lại không đổi gì")
    r.step("thidua deploy", f"{sum(line.startswith('+') for line in first)} mục tạo mới; chạy lại: {'không đổi gì' if unchanged else 'CÓ thay đổi'}")
    workers = {name: s.start_worker(name, POOL) for name in WORKERS}
    r.promise(wait_until(lambda: workers_online(POOL) == len(WORKERS), 120, 1.0), "hai worker trực tuyến")
    r.step("worker", f"{workers_online(POOL)} worker trực tuyến trên work pool {POOL}")
    doctor = s.thidua("doctor", check=False)  # logs in to SMTP and refreshes the due Zalo token: both secrets from blocks
    failing = [line.strip() for line in doctor.stdout.splitlines() if line.lstrip().startswith("✘")]
    r.figures["doctor"] = r.promise(doctor.returncode == 0, "thidua doctor đạt mọi mục: " + "; ".join(failing))
    r.step("thidua doctor", "mọi mục đạt" if doctor.returncode == 0 else "; ".join(failing))
    return workers


def replay(s: Stack, r: Rehearsal, workers: dict[str, subprocess.Popen[str]]) -> None:
    url = s.env["THIDUA_DATABASE_URL"]
    for day in DAYS:
        sent_before = sum(1 for row in outbox(url) if row.status == "sent")
        start_daily(day)
        if day == KILL_DAY:
            victim = kill_while_sending(s, workers, url, sent_before, r)
            r.figures["killed"] = victim
        settled = r.promise(settle(), f"ngày {day:%d/%m/%Y} chạy xong")
        sent = sum(1 for row in outbox(url) if row.status == "sent") - sent_before
        r.step(f"điều phối ngày {day:%d/%m/%Y}", f"{sent} tin đã gửi" + ("" if settled else "; CHƯA xong trong thời hạn"))


def measure(s: Stack, r: Rehearsal) -> None:
    url = s.env["THIDUA_DATABASE_URL"]
    rows = outbox(url)
    received = arrivals(s.folder)
    gone = [row for row in rows if row.status not in ("expired", "failed") and not received.delivered(row)]
    lost = len(gone)
    if gone:
        r.step("tin chưa tới nơi", str(Counter((row.channel, row.status, row.kind) for row in gone)))
    runs = flow_runs()
    states = Counter(run.state.type.value for run in runs if run.state)
    crashed = _crashed_deployment_runs(runs)
    undone = left_undone(s, KILL_DAY)
    recovered = crashed if not undone and not gone else 0
    by_channel = Counter(row.channel for row in rows if row.status == "sent")
    r.figures |= {
        "flow_runs": len(runs), "completed": states["COMPLETED"], "crashed": states["CRASHED"], "crashed_recovered": recovered,
        "messages": sum(received.keys.values()), "by_channel": dict(by_channel), "duplicates": sum(n - 1 for n in received.keys.values()),
        "lost": lost,
    }  # fmt: skip
    r.promise(r.figures["duplicates"] == 0, "không tin nào gửi hai lần")
    r.promise(lost == 0, "không mất tin nào")
    r.promise(all(row.status in ("sent", "expired") for row in rows), "mọi tin đã gửi hoặc hết hiệu lực")
    r.promise(crashed >= 1 and recovered == crashed, f"việc của worker bị dừng được worker còn lại làm xong (còn lại: {undone})")
    secrets = {
        "thư gửi qua máy chủ đòi đăng nhập": by_channel["email"] > 0, "tin Zalo đã gửi": by_channel["zalo"] > 0,
        "token Zalo đã gia hạn bằng app secret": _zalo_refreshed(url),
        "không có bí mật trong cấu hình": not {"THIDUA_SMTP_PASSWORD", "THIDUA_ZALO_APP_SECRET"} & set(s.env),
    }  # fmt: skip
    missing = [what for what, held in secrets.items() if not held]
    r.figures["secrets_from_blocks"] = r.promise(not missing, "mật khẩu SMTP và app secret Zalo lấy từ Secret block: thiếu " + ", ".join(missing))
    r.step("kiểm đếm", f"{r.figures['messages']} tin nhận được, {r.figures['duplicates']} tin lặp, {lost} tin mất; lượt chạy: {dict(states)}")
    r.figures["restore_identical"] = r.promise(backup_restores(s, "dien-tap-1-2024-2025"), "sao lưu khôi phục cho cùng trạng thái")
    r.step("sao lưu và khôi phục", "pg_dump → CSDL mới → thidua status giống hệt" if r.figures["restore_identical"] else "KHÁC")


def _zalo_refreshed(url: str) -> bool:
    """The token pair was refreshed (which needs the app secret): its version moved past the one stored."""
    ((version,),) = _query(url, "SELECT max(version) FROM zalotoken")
    return (version or 0) > 0  # stored: 0


def _crashed_deployment_runs(runs: list[Any]) -> int:
    return sum(1 for run in runs if run.deployment_id and run.state and run.state.type.value == "CRASHED")


def left_undone(s: Stack, day: date) -> list[str]:
    """The steps of `day` that the decider still finds due, for every plan: none once the day's work is all done."""
    from imports.plans import load_plan
    from models.db import make_engine, session_scope
    from models.queries.cycle import load_dates
    from thidua.cycle.decide import agenda

    engine = make_engine(s.env["THIDUA_DATABASE_URL"])
    try:
        with session_scope(engine) as session:
            plans = [load_plan(path) for path in sorted(Path(s.env["THIDUA_PLANS_DIR"]).glob("*.yaml"))]
            return [f"{plan.code}: {due.key}" for plan in plans for due in agenda(load_dates(session, plan, YEAR, day)).to_run()]
    finally:
        engine.dispose()


def main() -> int:
    exit_on_sigterm()
    r = Rehearsal()
    with stack() as s:
        try:
            workers = build(s, r)
            replay(s, r, workers)
            measure(s, r)
        except Exception as exc:  # noqa: BLE001  (reported as a failed rehearsal, after the stack is torn down)
            r.failed.append(f"diễn tập dừng giữa chừng: {type(exc).__name__}: {exc}")
            print(f"Nhật ký trong {s.folder}/logs (xóa khi kết thúc):", file=sys.stderr)
            for log in sorted((s.folder / "logs").glob("*.log")):
                print(f"--- {log.name}\n" + log.read_text(encoding="utf-8")[-3000:], file=sys.stderr)
    for what in r.failed:
        print(f"KHÔNG ĐẠT: {what}", file=sys.stderr)
    keys = ("workers", "plans", "flow_runs", "completed", "crashed_recovered", "messages", "duplicates", "lost",
            "unauthenticated_refused", "secrets_from_blocks", "redeploy_unchanged", "restore_identical", "in_flight_at_kill")  # fmt: skip
    summary = {"workers": len(WORKERS), "plans": PLANS, **r.figures}
    print(json.dumps({key: summary.get(key) for key in keys}, ensure_ascii=False))
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
