"""Benchmark: personalised reminders to an SMTP sink running in a separate process.

(a) ours: render + write to the outbox (SQLite) + `send_due` over a few reused connections;
(b) raw: prebuilt messages through one reused aiosmtplib connection (the client's ceiling);
(c) per task: one prefect-email `email_send_message` task run per message, as a plain Prefect user would.
Usage: `python bench/notify.py [--n 10000] [--per-task-n 300]`. The last line printed is JSON.
`peak_rss_mb` is this process's peak before Prefect is imported, i.e. what our sender needs.
"""

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
from sqlmodel import Session

from deployments.prefect_env import settled_task_runs
from models.db import make_engine
from models.migrate import upgrade
from notifications.channels.email import EmailChannel
from notifications.devservers.smtp_sink import read_store
from notifications.outbox import enqueue, send_due
from notifications.render import Renderer
from notifications.samples import sample_context
from thidua.cycle.drafts import Draft

MAIL_FROM = "Thi đua CCHC <thidua@bench.example.vn>"


def start_sink(store: Path) -> tuple[subprocess.Popen[str], int]:
    """The sink process and its port (it prints `ready 127.0.0.1:PORT` once listening)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "notifications.devservers.smtp_sink", "--port", "0", "--store", str(store)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("ready "):
        process.kill()
        raise RuntimeError(f"SMTP sink did not start: {line!r}")
    return process, int(line.rsplit(":", 1)[1])


def drafts(n: int) -> list[Draft]:
    return [
        Draft(
            "bench", 2025, f"u{i:05d}", "submission", "d-3", "email", f"focal{i}@unit{i}.example.vn",
            sample_context(unit_code=f"u{i:05d}", unit_name=f"UBND xã số {i}", recipient_name=f"Cán bộ đầu mối {i}"),
        )
        for i in range(n)
    ]


def run_ours(port: int, n: int, workdir: Path) -> float:
    engine = make_engine(f"sqlite:///{workdir / 'bench.db'}")
    upgrade(engine)
    items = drafts(n)
    start = time.perf_counter()
    with Session(engine) as session:
        assert enqueue(session, items, Renderer()) == n
        session.commit()
    channel = EmailChannel(host="127.0.0.1", port=port, mail_from=MAIL_FROM, connections=4)
    report = send_due(engine, {"email": channel})
    elapsed = time.perf_counter() - start
    assert report.sent == {"email": n} and not report.failed, report
    engine.dispose()
    return elapsed


def run_raw(port: int, n: int) -> float:
    renderer = Renderer()
    messages = []
    for draft in drafts(n):
        rendered = renderer.render(draft.context)
        message = EmailMessage()
        message["Subject"], message["From"], message["To"] = rendered.subject, MAIL_FROM, draft.recipient
        message.set_content(rendered.text)
        message.add_alternative(rendered.html, subtype="html")
        messages.append((draft.recipient, message.as_bytes()))

    async def send() -> float:
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
        await smtp.connect()
        start = time.perf_counter()
        for recipient, data in messages:
            await smtp.sendmail("thidua@bench.example.vn", [recipient], data)
        elapsed = time.perf_counter() - start
        await smtp.quit()
        return elapsed

    return asyncio.run(send())


def run_per_task(port: int, n: int, workdir: Path) -> float:
    os.environ["PREFECT_HOME"] = str(workdir / "prefect")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect import flow, unmapped
    from prefect_email import EmailServerCredentials, email_send_message

    credentials = EmailServerCredentials(smtp_server="127.0.0.1", smtp_port=port, smtp_type="INSECURE")
    texts = [(d.recipient, Renderer().render(d.context)) for d in drafts(n)] if n else []

    @flow
    def warm_up() -> None:
        """Starts the ephemeral API server, so that its start-up is not timed."""

    @flow
    def one_task_per_email() -> None:
        futures = email_send_message.map(
            subject=[r.subject for _, r in texts],
            msg=[r.html for _, r in texts],
            msg_plain=[r.text for _, r in texts],
            email_to=[to for to, _ in texts],
            email_server_credentials=unmapped(credentials),
        )
        futures.wait()

    warm_up()
    start = time.perf_counter()
    one_task_per_email()
    elapsed = time.perf_counter() - start
    settled_task_runs()  # let the temporary server record every task run before it is stopped
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--per-task-n", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        sink, port = start_sink(workdir / "sink")
        try:
            ours = run_ours(port, args.n, workdir)
            print(f"ours: {args.n} messages in {ours:.2f} s ({args.n / ours:.0f}/s)", flush=True)
            raw = run_raw(port, args.n)
            print(f"raw aiosmtplib, one connection: {args.n} in {raw:.2f} s ({args.n / raw:.0f}/s)", flush=True)
            peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            per_task = run_per_task(port, args.per_task_n, workdir)
            print(f"one Prefect task per email: {args.per_task_n} in {per_task:.2f} s ({args.per_task_n / per_task:.1f}/s)", flush=True)
        finally:
            sink.terminate()
            sink.wait(timeout=30)
        received = read_store(workdir / "sink")
        ours_ids = Counter(m.message_id for m in received if m.message_id and "bench.example.vn" in m.message_id)
        assert len(ours_ids) == args.n and set(ours_ids.values()) == {1}, "every outbox message exactly once"
        assert len(received) == 2 * args.n + args.per_task_n, f"sink received {len(received)}"
    ours_rate, raw_rate, task_rate = args.n / ours, args.n / raw, args.per_task_n / per_task
    print(json.dumps({
        "n": args.n,
        "ours_per_s": round(ours_rate, 1),
        "raw_per_s": round(raw_rate, 1),
        "per_task_per_s": round(task_rate, 1),
        "ours_vs_raw": round(ours_rate / raw_rate, 2),
        "ours_vs_per_task": round(ours_rate / task_rate, 1),
        "peak_rss_mb": round(peak_rss_mb, 1),
    }))


if __name__ == "__main__":
    main()
