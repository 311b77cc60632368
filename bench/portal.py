"""Load on the unit portal: `thidua web` in its own process on loopback, 50 clients from two other processes.

Each client keeps one connection and loads its unit's page again and again (its first request, the connect,
is left out of the latencies); then 10 uploads of a 10 MB PDF go in from 5 clients at once. Bounded: at most
2,000 page loads per load process and 60 s. The last line is JSON:
{"page_p50_ms", "page_p95_ms", "upload_10mb_s", "rps"}. Target: page p95 < 100 ms on this machine.
"""

import asyncio
import json
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import aiohttp
import httpx

ROOT = Path(__file__).resolve().parent.parent
PLAN, YEAR = "loc-ninh-2024-2025", 2025
CLIENTS, PROCESSES, PER_PROCESS, SECONDS = 50, 2, 2000, 60
UPLOADS, UPLOADERS, UPLOAD_MB = 10, 5, 10
GUARD = re.compile(r'name="bao_ve" value="([^"]+)"')


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(data: Path, port: int) -> tuple[dict[str, str], list[str]]:
    """The server's environment and every unit's link, on a fresh SQLite database with Lộc Ninh's units."""
    env = {
        **os.environ, "THIDUA_DATA_DIR": str(data), "THIDUA_DATABASE_URL": f"sqlite:///{data / 'thidua.db'}",
        "THIDUA_PLANS_DIR": str(ROOT / "plans"), "THIDUA_PUBLIC_URL": f"http://127.0.0.1:{port}", "THIDUA_SECRET_KEYS": "bench-key",
        "THIDUA_UPLOAD_DELIVERABLE_MB": "1000",
    }  # fmt: skip
    os.environ.update(env)
    from config import get_settings
    from models.db import session_scope
    from services.imports import import_units
    from services.links import current_link
    from services.plans import find_plan

    get_settings.cache_clear()
    plan = find_plan(PLAN)
    with session_scope() as session:
        report = import_units(session, ROOT / "plans" / "units" / f"{PLAN}.csv", PLAN, plan.group_names)
    with session_scope() as session:
        links = [current_link(session, plan, YEAR, code) for code in report.added]
    return env, links


def start_server(env: dict[str, str], port: int, clock: Path) -> subprocess.Popen[bytes]:
    thidua = Path(sys.executable).with_name("thidua")
    server = subprocess.Popen([str(thidua), "web", "--port", str(port), "--replay-clock", str(clock)], env=env, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("thidua web did not start within 30 s")


async def _client(url: str, deadline: float, budget: list[int], latencies: list[float]) -> None:
    """One phone: one keep-alive connection, page after page (aiohttp: a third of httpx's CPU per request, which
    matters when the load shares the server's two cores)."""
    connector = aiohttp.TCPConnector(limit=1)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as client:
        first = True
        while budget[0] > 0 and time.monotonic() < deadline:
            budget[0] -= 1
            started = time.perf_counter()
            async with client.get(url) as response:
                await response.read()
                assert response.status == 200, response.status
            elapsed = time.perf_counter() - started
            if not first:
                latencies.append(elapsed * 1000)
            first = False


def load(urls: list[str], queue: "multiprocessing.Queue[tuple[list[float], float]]") -> None:
    """One load process: its clients until its budget of requests or the time is spent; reports the latencies
    and the CPU time the process used."""
    latencies: list[float] = []
    budget, deadline = [PER_PROCESS], time.monotonic() + SECONDS

    async def run() -> None:
        await asyncio.gather(*(_client(url, deadline, budget, latencies) for url in urls))

    started = time.process_time()
    asyncio.run(run())
    queue.put((latencies, time.process_time() - started))


async def _upload(client: httpx.AsyncClient, link: str, content: bytes) -> float:
    action = link.replace("http://127.0.0.1", "").split("/", 1)[1]
    action = f"/{action}/nop/bao_cao_ket_qua/report_deadline/bao_cao_ket_qua"
    page = (await client.get(link)).text
    guard = GUARD.search(page[page.index(f'action="{action}"') :])
    assert guard is not None
    started = time.perf_counter()
    response = await client.post(link.split("/u/")[0] + action, data={"bao_ve": guard.group(1)}, files=[("tep", ("Báo cáo kết quả.pdf", content))])
    elapsed = time.perf_counter() - started
    assert response.status_code in (200, 303), response.text[:300]
    return elapsed


async def uploads(links: list[str]) -> list[float]:
    from documents.samples import sample_pdf

    content = sample_pdf("Bao cao ket qua", size=UPLOAD_MB * 1_000_000)
    times: list[float] = []
    queue = list(links[:UPLOADS])

    async def uploader() -> None:
        async with httpx.AsyncClient(timeout=120, follow_redirects=False) as client:
            while queue:
                times.append(await _upload(client, queue.pop(), content))

    await asyncio.gather(*(uploader() for _ in range(UPLOADERS)))
    return times


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="thidua-bench-portal-") as tmp:
        data, port = Path(tmp), free_port()
        env, links = prepare(data, port)
        clock = data / "clock"
        clock.write_text(datetime(2025, 11, 20, 10, 0).isoformat())
        server = start_server(env, port, clock)
        try:
            urls = [links[i % len(links)] for i in range(CLIENTS)]
            queue: multiprocessing.Queue[tuple[list[float], float]] = multiprocessing.Queue()
            shares = [urls[i::PROCESSES] for i in range(PROCESSES)]
            workers = [multiprocessing.Process(target=load, args=(share, queue)) for share in shares]
            started, server_cpu = time.perf_counter(), cpu_seconds(server.pid)
            for worker in workers:
                worker.start()
            results = [queue.get(timeout=SECONDS + 60) for _ in workers]
            latencies, client_cpu = [x for found, _ in results for x in found], sum(cpu for _, cpu in results)
            wall = time.perf_counter() - started
            server_cpu = cpu_seconds(server.pid) - server_cpu
            for worker in workers:
                worker.join(timeout=10)
            upload_times = asyncio.run(uploads(links))
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    quantiles = statistics.quantiles(latencies, n=100)
    result = {
        "page_p50_ms": round(statistics.median(latencies), 1),
        "page_p95_ms": round(quantiles[94], 1),
        "upload_10mb_s": round(statistics.median(upload_times), 2),
        "rps": round((len(latencies) + CLIENTS) / wall, 1),
    }
    pages = len(latencies) + CLIENTS
    per_page, per_client = 1000 * server_cpu / pages, 1000 * client_cpu / pages
    print(f"{len(latencies)} lượt tải trang với {CLIENTS} máy khách từ {PROCESSES} tiến trình (CPU mỗi trang: máy chủ {per_page:.2f} ms, "
          f"máy khách {per_client:.2f} ms); "
          f"{len(upload_times)} lượt nộp tệp {UPLOAD_MB} MB")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
