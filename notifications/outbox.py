"""The durable outbox: a message is a row before it is sent, is claimed by one worker, and is marked after.

Exactly-once, as far as it can go:
* every row is unique on (plan, year, unit, milestone, step, channel, recipient): re-running a flow
  inserts nothing new (`INSERT .. ON CONFLICT DO NOTHING`) and a sent row is never claimed again;
* a worker claims rows before sending them (PostgreSQL: `SELECT .. FOR UPDATE SKIP LOCKED`; SQLite:
  one atomic `UPDATE .. RETURNING`, SQLite having a single writer), so two workers never send a row twice;
  every claim carries the instant it was taken (not the start of the run), and the claims of a batch
  being sent are renewed while it is sent, so only a dead (or stalled) worker's claims ever age past
  `CLAIM_TIMEOUT`; every outcome is written only while the row is still claimed by the worker that
  sent it, so a worker whose claim was taken over never overwrites the new owner's row;
* outcomes are written back as they arrive (group commit: while one write runs, the next outcomes
  gather), so the only unrecorded sends are the few in flight when a process dies. Those rows stay
  `sending`; after `CLAIM_TIMEOUT` another worker claims them and sends them again: a crash between
  send and mark repeats each of those rows at most once, and the receiver sees the same
  `Message-ID` / ZNS `tracking_id` both times.
"""

import asyncio
import hashlib
import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, and_, bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from models.outbox import OutboxMessage, OutboxStatus
from models.types import utcnow
from notifications.channels.base import Delivery, DeliveryResult, Outgoing, Transport
from notifications.render import Rendered, Renderer
from thidua.cycle.drafts import Draft, MessageContext

log = logging.getLogger("thidua.notifications")

TABLE = OutboxMessage.__table__  # type: ignore[attr-defined]
C = TABLE.c
KEY = ("plan", "year", "unit_code", "milestone", "step", "channel", "recipient")
CLAIM_TIMEOUT = timedelta(minutes=10)  # a claim older than this belongs to a dead worker
MAX_ATTEMPTS = 8  # transient failures before a row is marked failed
_INSERT_CHUNK = 1000


@dataclass
class SendReport:
    sent: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    deferred: int = 0
    retried: int = 0
    fallbacks: int = 0
    stopped: str | None = None  # configuration error that stopped a channel, secrets masked


def message_key(plan: str, year: int, unit_code: str, milestone: str, step: str, channel: str) -> str:
    """The deterministic id of one message on one channel (Message-ID, ZNS tracking_id)."""
    raw = "\x1f".join((plan, str(year), unit_code, milestone, step, channel))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def backoff(attempts: int) -> timedelta:
    """Delay before attempt `attempts + 1`: 1, 2, 4 … minutes, at most 6 hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=6))


def _row(draft: Draft, rendered: Rendered, now: datetime) -> dict[str, Any]:
    return {
        "plan": draft.plan,
        "year": draft.year,
        "unit_code": draft.unit_code,
        "milestone": draft.milestone,
        "step": draft.step,
        "channel": draft.channel,
        "recipient": draft.recipient,
        "recipient_name": draft.context.recipient_name,
        "kind": str(draft.context.kind),
        "subject": rendered.subject,
        "body_text": rendered.text,
        "body_html": rendered.html,
        "payload": rendered.template_data,
        "fallback_channel": draft.fallback[0] if draft.fallback else None,
        "fallback_recipient": draft.fallback[1] if draft.fallback else None,
        "fallback_for": None,
        "message_id": message_key(draft.plan, draft.year, draft.unit_code, draft.milestone, draft.step, draft.channel),
        "status": OutboxStatus.pending,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def _insert_new(conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Insert the rows whose key is not there yet; returns how many were new."""
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = insert(TABLE).on_conflict_do_nothing(index_elements=list(KEY)).returning(C.id)
    chunks = (rows[start : start + _INSERT_CHUNK] for start in range(0, len(rows), _INSERT_CHUNK))
    return sum(len(conn.execute(statement, list(chunk)).all()) for chunk in chunks)


def enqueue(session: Session, drafts: Iterable[Draft], renderer: Renderer) -> int:
    """Render and write `drafts`, skipping those already in the outbox; returns the number of new rows.

    The caller commits. Each context is rendered once even if it goes to several channels.
    """
    now = utcnow()
    rendered: dict[MessageContext, Rendered] = {}
    rows = []
    for draft in drafts:
        if draft.context not in rendered:
            rendered[draft.context] = renderer.render(draft.context)
        rows.append(_row(draft, rendered[draft.context], now))
    return _insert_new(session.connection(), rows) if rows else 0


def _due(channels: Iterable[str], now: datetime, claim_timeout: timedelta) -> Any:
    waiting = and_(C.status.in_([OutboxStatus.pending, OutboxStatus.deferred]), C.next_attempt_at <= now)
    abandoned = and_(C.status == OutboxStatus.sending, C.claimed_at < now - claim_timeout)
    return and_(C.channel.in_(list(channels)), or_(waiting, abandoned))


def _claim(engine: Engine, channel: str, worker: str, now: datetime, limit: int, claim_timeout: timedelta) -> list[Row[Any]]:
    """Atomically take up to `limit` due rows of `channel` for `worker`."""
    ids = select(C.id).where(_due([channel], now, claim_timeout)).order_by(C.next_attempt_at, C.id).limit(limit)
    if engine.dialect.name == "postgresql":
        ids = ids.with_for_update(skip_locked=True)
    statement = (
        update(TABLE)
        .where(C.id.in_(ids.scalar_subquery()))
        .values(status=OutboxStatus.sending, claimed_by=worker, claimed_at=now)
        .returning(TABLE)
    )
    with engine.begin() as conn:
        return sorted(conn.execute(statement).all(), key=lambda row: row.id)


def transition(outcome: DeliveryResult, attempts: int, now: datetime) -> dict[str, Any]:
    """The new column values of a claimed row after `outcome` (its claim is released)."""
    values: dict[str, Any] = {
        "status": OutboxStatus.pending,
        "attempts": attempts + 1,
        "next_attempt_at": now,
        "last_error": outcome.error,
        "provider_id": None,
        "sent_at": None,
    }
    match outcome.delivery:
        case Delivery.sent:
            values.update(status=OutboxStatus.sent, provider_id=outcome.provider_id, sent_at=now, last_error=None)
        case Delivery.transient if attempts + 1 >= MAX_ATTEMPTS:
            values.update(status=OutboxStatus.failed)
        case Delivery.transient:
            values.update(next_attempt_at=now + backoff(attempts + 1))
        case Delivery.deferred:  # not the recipient's fault and not a try: attempts unchanged
            values.update(status=OutboxStatus.deferred, attempts=attempts, next_attempt_at=outcome.retry_at or now + backoff(1))
        case Delivery.recipient:
            values.update(status=OutboxStatus.failed)
        case Delivery.skipped:
            values.update(attempts=attempts, last_error=None)
        case Delivery.config:  # stays due: it goes out on the first run after the administrator fixes it
            pass
    return values


def _fallback_row(row: Row[Any], now: datetime) -> dict[str, Any]:
    """An email carrying the same text as the Zalo row `row`, to its fallback address."""
    return {
        **{name: getattr(row, name) for name in ("plan", "year", "unit_code", "milestone", "step", "recipient_name", "kind", "subject", "body_text", "body_html")},
        "channel": row.fallback_channel,
        "recipient": row.fallback_recipient,
        "payload": row.payload,
        "fallback_channel": None,
        "fallback_recipient": None,
        "fallback_for": row.id,
        "message_id": message_key(row.plan, row.year, row.unit_code, row.milestone, row.step, row.fallback_channel),
        "status": OutboxStatus.pending,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


_MARK_SENT = (
    update(TABLE)
    .where(C.id == bindparam("b_id"), C.claimed_by == bindparam("b_worker"), C.status == OutboxStatus.sending)
    .values(status=bindparam("status"), attempts=bindparam("attempts"), provider_id=bindparam("provider_id"),
            sent_at=bindparam("sent_at"), last_error=None, claimed_by=None, claimed_at=None)
)
_MARK_OTHER = (
    update(TABLE)
    .where(C.id == bindparam("b_id"), C.claimed_by == bindparam("b_worker"), C.status == OutboxStatus.sending)
    .values(status=bindparam("status"), attempts=bindparam("attempts"), next_attempt_at=bindparam("next_attempt_at"),
            last_error=bindparam("last_error"), claimed_by=None, claimed_at=None)
)


_Mark = tuple[Row[Any], dict[str, Any]]


def _marks(worker: str, now: datetime, rows: Mapping[int, Row[Any]], outcomes: Sequence[DeliveryResult]) -> tuple[list[_Mark], list[_Mark], list[_Mark]]:
    """The new values of each row, split into sent, failed with a fallback, and the others."""
    sent, fallback, other = [], [], []
    for outcome in outcomes:
        row = rows[outcome.id]
        values = {"b_id": row.id, "b_worker": worker, **transition(outcome, row.attempts, now)}
        if values["status"] == OutboxStatus.sent:
            sent.append((row, values))
        elif values["status"] == OutboxStatus.failed and row.fallback_recipient:
            fallback.append((row, values))  # written one by one: the fallback only if this mark took
        else:
            other.append((row, values))
    return sent, fallback, other


def _count(report: SendReport, recorded: Sequence[_Mark], outcomes: Sequence[DeliveryResult]) -> None:
    by_id = {outcome.id: outcome for outcome in outcomes}
    for row, values in recorded:
        status = values["status"]
        if status == OutboxStatus.sent:
            report.sent[row.channel] = report.sent.get(row.channel, 0) + 1
        report.failed += status == OutboxStatus.failed
        report.deferred += status == OutboxStatus.deferred
        report.retried += by_id[row.id].delivery == Delivery.transient and status == OutboxStatus.pending


def _mark(engine: Engine, worker: str, now: datetime, rows: Mapping[int, Row[Any]], outcomes: Sequence[DeliveryResult], report: SendReport) -> None:
    """Write `outcomes` back in one transaction, add fallback messages, and count them in `report`.

    Only rows still claimed by `worker` are written: if another worker took a row over (its claim
    looked abandoned), that worker owns the row and its outcome; this one's is logged and dropped.
    """
    sent, fallback, other = _marks(worker, now, rows, outcomes)
    recorded: list[_Mark] = []
    with engine.begin() as conn:
        for statement, marks in ((_MARK_SENT, sent), (_MARK_OTHER, other)):
            if not marks:
                continue
            changed = conn.execute(statement, [values for _, values in marks]).rowcount
            if changed == len(marks) or not conn.dialect.supports_sane_multi_rowcount:
                recorded += marks
            else:  # some claims were taken over: find out which rows are still ours
                recorded += _still_ours(conn, worker, marks)
        for row, values in fallback:
            if conn.execute(_MARK_OTHER, values).rowcount == 1:
                recorded.append((row, values))
                report.fallbacks += _insert_new(conn, [_fallback_row(row, now)])
    lost = len(outcomes) - len(recorded)
    if lost:
        log.warning("Worker %s: %d kết quả gửi không được ghi vì tin đã do worker khác nhận lại", worker, lost)
    _count(report, recorded, outcomes)


def _still_ours(conn: Connection, worker: str, marks: list[tuple[Row[Any], dict[str, Any]]]) -> list[tuple[Row[Any], dict[str, Any]]]:
    """The marks of `marks` that were written: their row no longer claimed by anyone else.

    Called after a conditional multi-row mark changed fewer rows than it had: a row this worker
    just marked is released (`claimed_by` NULL), a row taken over is still claimed by its new owner.
    """
    ids = [row.id for row, _ in marks]
    taken = set(conn.execute(select(C.id).where(C.id.in_(ids), C.claimed_by.is_not(None), C.claimed_by != worker)).scalars())
    return [(row, values) for row, values in marks if row.id not in taken]


def _renew(engine: Engine, worker: str, ids: Sequence[int], now: datetime) -> None:
    """Move the claims `worker` still holds on `ids` to `now`: a live worker's claims never look abandoned."""
    statement = (
        update(TABLE)
        .where(C.id.in_(list(ids)), C.claimed_by == worker, C.status == OutboxStatus.sending)
        .values(claimed_at=now)
    )
    with engine.begin() as conn:
        conn.execute(statement)


def _outgoing(row: Row[Any]) -> Outgoing:
    return Outgoing(
        id=row.id,
        recipient=row.recipient,
        recipient_name=row.recipient_name,
        subject=row.subject,
        text=row.body_text,
        html=row.body_html,
        key=row.message_id,
        template_data=dict(row.payload or {}),
    )


async def _keep_claims(engine: Engine, worker: str, ids: Sequence[int], clock: Callable[[], datetime], every: float) -> None:
    """Renew `worker`'s claims on `ids` every `every` seconds, until cancelled."""
    while True:
        await asyncio.sleep(every)
        try:
            await asyncio.to_thread(_renew, engine, worker, ids, clock())
        except Exception:  # a missed renewal is retried; at worst the rows are sent again after the timeout
            log.warning("Worker %s: không gia hạn được quyền gửi của %d tin", worker, len(ids), exc_info=True)


async def _send_batch(
    engine: Engine,
    channel: Transport,
    rows: list[Row[Any]],
    worker: str,
    clock: Callable[[], datetime],
    report: SendReport,
    claim_timeout: timedelta = CLAIM_TIMEOUT,
) -> str | None:
    """Send claimed `rows` through `channel`, marking outcomes as they come; returns a config error, if any.

    Outcomes are written with the time they are written (`clock()`); while the batch is sent, its
    claims are renewed three times per `claim_timeout`, so a slow batch is not taken for abandoned.
    """
    by_id = {row.id: row for row in rows}
    gathered: list[DeliveryResult] = []
    writing: asyncio.Future[None] | None = None
    stopped: str | None = None
    renewing = asyncio.ensure_future(_keep_claims(engine, worker, list(by_id), clock, max(claim_timeout.total_seconds() / 3, 0.1)))
    try:
        async for outcome in channel.deliver([_outgoing(row) for row in rows]):
            if outcome.delivery == Delivery.config:
                stopped = stopped or outcome.error
            gathered.append(outcome)
            if writing is None or writing.done():
                if writing is not None:
                    writing.result()
                batch, gathered = gathered, []
                writing = asyncio.ensure_future(asyncio.to_thread(_mark, engine, worker, clock(), by_id, batch, report))
    finally:  # record every known outcome, even if the channel failed half-way
        renewing.cancel()
        if writing is not None:
            await writing
        if gathered:
            await asyncio.to_thread(_mark, engine, worker, clock(), by_id, gathered, report)
    return stopped


def _run_clock(now: datetime | None) -> Callable[[], datetime]:
    """The clock of one run: the real time, or, if the caller gave `now`, `now` advancing in real time."""
    if now is None:
        return utcnow
    started = utcnow()
    return lambda: now + (utcnow() - started)


async def send_due_async(
    engine: Engine,
    channels: Mapping[str, Transport],
    *,
    now: datetime | None = None,
    worker: str | None = None,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
    claim_timeout: timedelta = CLAIM_TIMEOUT,
) -> SendReport:
    """`send_due` for callers that already run an event loop."""
    clock = _run_clock(now)
    worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    report = SendReport()
    active = dict(channels)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).where(_due(active, clock(), claim_timeout))).scalar_one()
    done = 0
    while active:
        progressed = False
        for name, channel in list(active.items()):
            rows = _claim(engine, name, worker, clock(), batch_size, claim_timeout)  # claimed_at: this instant
            if not rows:
                continue
            progressed = True
            stopped = await _send_batch(engine, channel, rows, worker, clock, report, claim_timeout)
            done += len(rows)
            if progress:
                progress(done, max(total, done))
            if stopped:
                log.error("Kênh %s dừng gửi, cần quản trị viên xử lý: %s", name, stopped)
                report.stopped = "; ".join(filter(None, [report.stopped, f"{name}: {stopped}"]))
                del active[name]
        if not progressed:
            break
    return report


def send_due(
    engine: Engine,
    channels: Mapping[str, Transport],
    *,
    now: datetime | None = None,
    worker: str | None = None,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
    claim_timeout: timedelta = CLAIM_TIMEOUT,
) -> SendReport:
    """Claim, send and mark every due row of `channels` (batches of `batch_size`) until none is due.

    `now` (default: the real time) is the time the run starts at, for deciding what is due; the
    run's clock advances in real time from it, and each batch is claimed, and each outcome
    written, at that clock's current time, never at the run's start.

    A channel that reports a configuration error stops (its unsent rows stay pending) and the
    error is logged for the administrator and returned in `SendReport.stopped`.
    """
    return asyncio.run(
        send_due_async(engine, channels, now=now, worker=worker, batch_size=batch_size, progress=progress, claim_timeout=claim_timeout)
    )


def requeue(engine: Engine, ids: Sequence[int] | None = None, *, now: datetime | None = None) -> int:
    """Make failed or deferred rows (or the rows `ids`, unless sent or being sent) due again; returns how many."""
    now = now or utcnow()
    statuses = [OutboxStatus.failed, OutboxStatus.deferred] + ([OutboxStatus.pending] if ids else [])
    statement = update(TABLE).where(C.status.in_(statuses))
    if ids:
        statement = statement.where(C.id.in_(list(ids)))
    statement = statement.values(status=OutboxStatus.pending, attempts=0, next_attempt_at=now, claimed_by=None, claimed_at=None)
    with engine.begin() as conn:
        return conn.execute(statement).rowcount
