"""Fencing: a sender that lost its claim sends nothing more; a paused one causes no repeat, a dead one at most its
messages in flight (issue 11, Deliver 1). On SQLite and PostgreSQL."""

import asyncio
import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence

from sqlalchemy import Engine
from sqlmodel import Session, select

from models import OutboxMessage, OutboxStatus
from models.types import utcnow
from notifications.channels.base import Delivery, DeliveryResult, Lease, Outgoing
from notifications.liveness import alive, held
from notifications.outbox import (
    CLAIM_TIMEOUT,
    SendReport,
    _claim,
    _mark,
    _renew,
    _start,
    enqueue,
    release_dead,
    send_due,
)
from notifications.render import Renderer
from notifications.samples import sample_context
from thidua.cycle.drafts import Draft

NOW = dt.datetime(2025, 11, 28, 1, 0, tzinfo=dt.UTC)  # the sample reminders (deadline 01/12/2025) still hold
TIMEOUT = dt.timedelta(seconds=0.3)


def write(engine: Engine, count: int) -> None:
    items = [Draft("p", 2025, f"u{i}", "submission", "d-1", "email", f"u{i}@example.vn", sample_context(unit_code=f"u{i}")) for i in range(count)]
    with Session(engine) as session:
        enqueue(session, items, Renderer(), now=NOW - dt.timedelta(hours=1))
        session.commit()


def rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


class PausingChannel:
    """Records each delivery; freezes its whole event loop (as SIGSTOP would) just after message `at` was handed over."""

    name = "email"

    def __init__(self, at: int, deliveries: Counter[str], lock: threading.Lock) -> None:
        self.at, self.deliveries, self.lock = at, deliveries, lock
        self.paused, self.resume = threading.Event(), threading.Event()

    async def deliver(self, messages: Sequence[Outgoing], lease: Lease) -> AsyncIterator[DeliveryResult]:
        for index, message in enumerate(messages):
            if not await lease.begin(message):
                yield DeliveryResult(message.id, Delivery.skipped)
                continue
            if index == self.at:
                self.paused.set()
                assert self.resume.wait(30)  # the loop thread blocks: no renewal, no write, nothing runs
            with self.lock:
                self.deliveries[message.recipient] += 1
            await asyncio.sleep(0)
            yield DeliveryResult(message.id, Delivery.sent, provider_id=f"p-{message.id}")


class RecordingChannel(PausingChannel):
    def __init__(self, deliveries: Counter[str], lock: threading.Lock) -> None:
        super().__init__(-1, deliveries, lock)


def test_a_sender_paused_past_the_claim_timeout_repeats_nothing_and_stops(engine: Engine) -> None:
    write(engine, 6)
    deliveries: Counter[str] = Counter()
    lock = threading.Lock()
    paused = PausingChannel(2, deliveries, lock)
    reports: dict[str, SendReport] = {}
    started = utcnow()

    def first() -> None:
        reports["a"] = send_due(engine, {"email": paused}, worker="a", claim_timeout=TIMEOUT, now=NOW)

    thread = threading.Thread(target=first)
    thread.start()
    assert paused.paused.wait(30)
    time.sleep(TIMEOUT.total_seconds() * 2)  # the paused sender's claims are now older than the timeout
    later = NOW + (utcnow() - started)  # the second sender's clock, on the same time line as the first's
    reports["b"] = send_due(engine, {"email": RecordingChannel(deliveries, lock)}, worker="b", claim_timeout=TIMEOUT, now=later)
    paused.resume.set()
    thread.join(30)

    assert deliveries == {f"u{i}@example.vn": 1 for i in range(6)}  # no message twice, none lost
    a, b = reports["a"], reports["b"]
    assert a.sent == {"email": 3} and b.sent == {"email": 3}  # messages 0–2 by a (2 was in flight), 3–5 by b
    assert a.claims_lost == 3 and b.claims_lost == 0  # a found 3–5 taken over and sent none of them
    assert {r.status for r in rows(engine)} == {OutboxStatus.sent}


def test_renewal_returns_what_it_renewed_and_a_live_claim_is_never_taken(engine: Engine) -> None:
    write(engine, 3)
    claimed = {row.id for row in _claim(engine, "email", "a", NOW, 10, CLAIM_TIMEOUT)}
    almost = NOW + CLAIM_TIMEOUT * 0.9
    assert _renew(engine, "a", claimed, almost) == claimed
    assert _claim(engine, "email", "b", NOW + CLAIM_TIMEOUT * 1.5, 10, CLAIM_TIMEOUT) == []  # renewed: not stalled
    taken = {row.id for row in _claim(engine, "email", "b", almost + CLAIM_TIMEOUT * 2, 10, CLAIM_TIMEOUT)}
    assert taken == claimed and _renew(engine, "a", claimed, almost + CLAIM_TIMEOUT * 2) == set()


def test_outcomes_of_rows_the_new_owner_already_released_are_not_counted(engine: Engine) -> None:
    write(engine, 2)
    old = {row.id: row for row in _claim(engine, "email", "old", NOW, 10, CLAIM_TIMEOUT)}
    new = {row.id: row for row in _claim(engine, "email", "new", NOW + CLAIM_TIMEOUT * 2, 10, CLAIM_TIMEOUT)}
    outcomes = [DeliveryResult(i, Delivery.sent, provider_id=f"new-{i}") for i in new]
    assert _mark(engine, "new", NOW, new, outcomes, SendReport()) == set(new)  # sent and released by the new owner
    late = SendReport()
    stale = [DeliveryResult(i, Delivery.sent, provider_id=f"old-{i}") for i in old]
    assert _mark(engine, "old", NOW, old, stale, late) == set()
    assert late.sent == {} and [r.provider_id for r in rows(engine)] == [f"new-{i}" for i in sorted(new)]


def test_a_row_handed_over_by_a_live_sender_is_never_taken_however_long_it_pauses(engine: Engine) -> None:
    write(engine, 2)
    with held(engine, "paused"):
        first, second = _claim(engine, "email", "paused", NOW, 10, CLAIM_TIMEOUT)
        assert _start(engine, "paused", first.id, NOW)
        assert alive(engine, "paused") and release_dead(engine) == 0
        much_later = NOW + dt.timedelta(days=30)
        assert [row.id for row in _claim(engine, "email", "other", much_later, 10, CLAIM_TIMEOUT)] == [second.id]
        assert not _start(engine, "paused", second.id, much_later)  # lost: the paused sender may not send it
    assert not alive(engine, "paused")  # the process ended (here: its run): its handed-over row goes again
    assert release_dead(engine) == 2  # its row, and the other sender's (not alive either)
    assert {r.status for r in rows(engine)} == {OutboxStatus.pending}
