import asyncio
import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence

import pytest
from prefect.logging import disable_run_logger
from sqlalchemy import Engine
from sqlmodel import Session, select

import tasks.send as send_task
from config import Settings
from models import OutboxMessage, OutboxStatus
from notifications.channels.base import Delivery, DeliveryResult, Lease, Outgoing
from notifications.channels.email import EmailChannel
from notifications.devservers.smtp_sink import SmtpSink
from notifications.outbox import CLAIM_TIMEOUT, MAX_BACKOFF, SendReport, _claim, _mark, enqueue, send_due, transition
from notifications.render import Renderer
from notifications.samples import sample_context
from thidua.cycle.drafts import Draft

RENDERER = Renderer()
NOW = dt.datetime(2025, 11, 28, 1, 0, tzinfo=dt.UTC)  # 08:00 on 28/11/2025, before the sample's deadline (01/12/2025)


def drafts(count: int, channel: str = "email") -> list[Draft]:
    address = (lambda i: f"u{i}@example.vn") if channel == "email" else (lambda i: f"849123456{i:02d}")
    return [Draft("p", 2025, f"u{i}", "submission", "d-1", channel, address(i), sample_context(unit_code=f"u{i}")) for i in range(count)]


def write(engine: Engine, items: list[Draft]) -> int:
    """Write `items`, due an hour before `NOW`."""
    with Session(engine) as session:
        new = enqueue(session, items, RENDERER, now=NOW - dt.timedelta(hours=1))
        session.commit()
    return new


def rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_concurrent_enqueues_of_the_same_drafts_insert_each_row_once(engine: Engine) -> None:
    start = threading.Barrier(3)
    counts: list[int] = []

    def work() -> None:
        start.wait()
        counts.append(write(engine, drafts(300)))

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 300 and len(rows(engine)) == 300
    assert write(engine, drafts(301)) == 1


def test_claims_are_exclusive_and_abandoned_claims_come_back(engine: Engine) -> None:
    write(engine, drafts(10))
    first = _claim(engine, "email", "a", NOW, 6, CLAIM_TIMEOUT)
    second = _claim(engine, "email", "b", NOW, 6, CLAIM_TIMEOUT)
    assert len(first) == 6 and len(second) == 4 and not {r.id for r in first} & {r.id for r in second}
    assert _claim(engine, "email", "c", NOW + CLAIM_TIMEOUT, 20, CLAIM_TIMEOUT) == []
    assert len(_claim(engine, "email", "c", NOW + CLAIM_TIMEOUT + dt.timedelta(seconds=1), 20, CLAIM_TIMEOUT)) == 10


class CrashingChannel:
    """Sends through `inner`, then dies before the outbox could record the last `unrecorded` sends."""

    name = "email"

    def __init__(self, inner: EmailChannel, unrecorded: int) -> None:
        self._inner, self._unrecorded = inner, unrecorded

    async def deliver(self, messages: Sequence[Outgoing], lease: Lease) -> AsyncIterator[DeliveryResult]:
        outcomes = [outcome async for outcome in self._inner.deliver(messages, lease)]
        for outcome in outcomes[: -self._unrecorded]:
            yield outcome
        raise RuntimeError("worker killed")


def test_a_crash_between_send_and_mark_repeats_only_the_unrecorded_rows_once(sqlite_engine: Engine) -> None:
    write(sqlite_engine, drafts(10))
    with SmtpSink() as sink:
        email = EmailChannel(host="127.0.0.1", port=sink.port, mail_from="td@example.vn")
        with pytest.raises(RuntimeError):
            send_due(sqlite_engine, {"email": CrashingChannel(email, unrecorded=2)}, now=NOW)
        assert Counter(r.status for r in rows(sqlite_engine)) == {OutboxStatus.sent: 8, OutboxStatus.sending: 2}
        # the crashed sender's liveness lock is gone: its rows go again at once, not after the claim timeout
        assert send_due(sqlite_engine, {"email": email}, now=NOW + dt.timedelta(minutes=1)).sent == {"email": 2}
        assert send_due(sqlite_engine, {"email": email}, now=NOW + CLAIM_TIMEOUT * 2).sent == {}
    assert sorted(Counter(sink.message_ids()).values()) == [1] * 8 + [2] * 2


def test_transitions_keep_every_failure_recorded() -> None:
    # Outages never end a message (issue 11): after any number of transient errors it waits, retried at least every 6 hours.
    exhausted = transition(DeliveryResult(1, Delivery.transient, error="503"), 50, NOW)
    assert exhausted["status"] == OutboxStatus.pending and exhausted["last_error"] == "503"
    assert exhausted["next_attempt_at"] == NOW + MAX_BACKOFF and exhausted["attempts"] == 51
    retry = transition(DeliveryResult(1, Delivery.transient, error="503"), 2, NOW)
    assert retry["status"] == OutboxStatus.pending and retry["next_attempt_at"] == NOW + dt.timedelta(minutes=4)
    later = NOW + dt.timedelta(hours=20)
    deferred = transition(DeliveryResult(1, Delivery.deferred, error="quota", retry_at=later), 2, NOW)
    assert deferred["status"] == OutboxStatus.deferred and deferred["next_attempt_at"] == later and deferred["attempts"] == 2
    config = transition(DeliveryResult(1, Delivery.config, error="template"), 0, NOW)
    assert config["status"] == OutboxStatus.pending and config["next_attempt_at"] == NOW


def test_the_prefect_task_sends_a_whole_batch_outside_a_run(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    write(sqlite_engine, drafts(25))
    with SmtpSink() as sink:
        monkeypatch.setattr(send_task, "get_settings", lambda: Settings(smtp_port=sink.port))
        with disable_run_logger():
            report = send_task.send_notifications.fn(channels=["email"], batch_size=10, database_url=str(sqlite_engine.url), now=NOW)
    assert report.sent == {"email": 25} and len(sink.messages) == 25
    assert all(r.status == OutboxStatus.sent for r in rows(sqlite_engine))


def test_the_prefect_task_raises_for_the_administrator_when_a_channel_stops(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    write(sqlite_engine, drafts(2, channel="zalo"))
    monkeypatch.setattr(send_task, "get_settings", lambda: Settings(zalo_app_secret="x", zalo_zns_template_id="1"))
    with disable_run_logger(), pytest.raises(send_task.ChannelStopped) as stopped:
        send_task.send_notifications.fn(channels=["zalo"], database_url=str(sqlite_engine.url), now=NOW)
    assert "chưa có token Zalo" in str(stopped.value)
    assert {r.status for r in rows(sqlite_engine)} == {OutboxStatus.pending}


class SlowChannel:
    """Takes `delay` seconds per message and records every delivery, to count duplicate sends."""

    name = "email"

    def __init__(self, delay: float, log: Counter[str], lock: threading.Lock) -> None:
        self._delay, self._log, self._lock = delay, log, lock

    async def deliver(self, messages: Sequence[Outgoing], lease: Lease) -> AsyncIterator[DeliveryResult]:
        for message in messages:
            await asyncio.sleep(self._delay)
            if not await lease.begin(message):
                yield DeliveryResult(message.id, Delivery.skipped)
                continue
            with self._lock:
                self._log[message.recipient] += 1
            yield DeliveryResult(message.id, Delivery.sent, provider_id=f"slow-{message.id}")


@pytest.mark.parametrize(
    "batch_size", [pytest.param(1, id="many-short-batches"), pytest.param(6, id="one-batch-longer-than-the-timeout")]
)
def test_a_run_longer_than_the_claim_timeout_never_sends_a_row_twice(engine: Engine, batch_size: int) -> None:
    """Each batch is claimed at the instant it is taken, its claims are renewed while it is sent, and each
    message is fenced just before it goes out, so a second worker never sends a row the first one sends
    (claim timeout scaled to 0.3 s; however late a renewal runs on a busy machine, the fence holds)."""
    write(engine, drafts(6))
    deliveries: Counter[str] = Counter()
    lock = threading.Lock()
    reports: dict[str, SendReport] = {}

    def work(worker: str, wait: float) -> None:
        time.sleep(wait)
        channel = SlowChannel(0.15, deliveries, lock)
        reports[worker] = send_due(engine, {"email": channel}, worker=worker, batch_size=batch_size, claim_timeout=dt.timedelta(seconds=0.3), now=NOW)

    threads = [threading.Thread(target=work, args=("a", 0.0)), threading.Thread(target=work, args=("b", 0.45))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert deliveries == {f"u{i}@example.vn": 1 for i in range(6)}
    assert sum(sum(report.sent.values()) for report in reports.values()) == 6
    assert all(r.status == OutboxStatus.sent for r in rows(engine))


def test_a_worker_whose_claim_was_taken_over_records_nothing(engine: Engine) -> None:
    """Marks are conditional on the claim: the old owner neither overwrites the new owner's row nor adds a fallback."""
    write(engine, drafts(2, channel="zalo"))
    with Session(engine) as session:
        for row in session.exec(select(OutboxMessage)):
            row.fallback_channel, row.fallback_recipient = "email", f"fb-{row.id}@example.vn"
            session.add(row)
        session.commit()
    old = _claim(engine, "zalo", "old", NOW, 10, CLAIM_TIMEOUT)
    new = _claim(engine, "zalo", "new", NOW + CLAIM_TIMEOUT * 2, 10, CLAIM_TIMEOUT)
    assert len(old) == len(new) == 2
    by_id = {row.id: row for row in old}
    sent_id, failed_id = sorted(by_id)
    outcomes = [DeliveryResult(sent_id, Delivery.sent, provider_id="x"), DeliveryResult(failed_id, Delivery.recipient, error="-213")]
    _mark(engine, "old", NOW, by_id, outcomes, SendReport())
    after = rows(engine)
    assert [(r.status, r.claimed_by, r.provider_id, r.last_error) for r in after] == [(OutboxStatus.sending, "new", None, None)] * 2
    _mark(engine, "new", NOW, {row.id: row for row in new}, outcomes, report := SendReport())
    assert Counter(r.status for r in rows(engine)) == {OutboxStatus.sent: 1, OutboxStatus.failed: 1, OutboxStatus.pending: 1}
    assert report.fallbacks == 1 and report.sent == {"zalo": 1} and report.failed == 1


def test_the_send_task_run_name_reads_well_with_or_without_channels() -> None:
    from prefect._internal.engine import resolve_custom_task_run_name

    task = send_task.send_notifications
    assert resolve_custom_task_run_name(task, {"channels": None, "batch_size": 500, "database_url": None}) == "gửi thông báo"
    assert resolve_custom_task_run_name(task, {"channels": ["email", "zalo"], "batch_size": 500}) == "gửi thông báo: email, zalo"


def test_a_send_report_says_what_it_did_in_one_vietnamese_line() -> None:
    from notifications.outbox import SendReport

    report = SendReport(sent={"zalo": 4, "email": 8}, failed=1, retried=2, fallbacks=1, expired=3)
    assert report.summary() == (
        "Đã gửi 12 (email 8, zalo 4); bị từ chối: 1; tạm hoãn: 0; sẽ thử lại: 2; chuyển kênh dự phòng: 1; hết hiệu lực, không gửi: 3."
    )
    assert SendReport().summary().startswith("Đã gửi 0; bị từ chối: 0")
