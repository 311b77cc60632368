"""The durable outbox: a message is a row before it is sent, is claimed by one worker, and is marked after.

Exactly-once, as far as it can go:
* every row is unique on (plan, year, unit, milestone, step, channel, recipient): re-running a flow
  inserts nothing new (`INSERT .. ON CONFLICT DO NOTHING`) and a sent row is never claimed again;
* a worker claims rows before sending them (PostgreSQL: `SELECT .. FOR UPDATE SKIP LOCKED`; SQLite:
  one atomic `UPDATE .. RETURNING`, SQLite having a single writer), so two workers never send a row twice;
* fencing: immediately before a message leaves, its worker checks in the database that it still holds
  the row and marks it as handed to the provider (`attempt_started_at`). A worker that finds a row
  taken over sends nothing more of its batch and reports it (`SendReport.claims_lost`). The claims of a
  batch are renewed while it is sent; a renewal that finds any claim lost stops the batch too;
* a claim is taken over when its worker is dead (its liveness lock is gone, `notifications.liveness`)
  or, for rows not yet handed to the provider, when it is older than `CLAIM_TIMEOUT` (a stalled or
  paused worker). A row a live worker has handed to the provider is never taken from it, however
  long it is paused: a paused sender causes no repeat;
* outcomes are written back as they arrive (group commit), only for rows the worker still holds.
  The only unrecorded sends are those in flight when a process dies: another worker sends them again
  (at most once each), and the receiver sees the same `Message-ID` / ZNS `tracking_id` both times;
* a message is checked again just before it goes out: past its `valid_until`, or no longer true by
  the caller's `still_true` check (a unit that has since completed its dossier), it is kept as
  `expired` with the reason; an escalation is re-rendered with the facts of the day it goes out;
* outages never end a message: only a refusal of the recipient fails it (then its fallback goes).
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
from notifications.liveness import alive, held
from notifications.render import Rendered, Renderer
from thidua.cycle.drafts import Draft, MessageContext
from thidua.dates import end_of_day, local_day
from thidua.words import long_date

log = logging.getLogger("thidua.notifications")

TABLE = OutboxMessage.__table__  # type: ignore[attr-defined]
C = TABLE.c
KEY = ("plan", "year", "unit_code", "milestone", "step", "channel", "recipient")
CLAIM_TIMEOUT = timedelta(minutes=10)  # a claim older than this, not yet handed to the provider, belongs to a stalled worker
MAX_BACKOFF = timedelta(hours=6)  # a message that keeps failing is still tried at least every 6 hours
UNTIL_DEADLINE = frozenset({"reminder", "deadline_day"})  # kinds that mean nothing after the deadline
_INSERT_CHUNK = 1000


@dataclass
class SendReport:
    """What one sending run did; `problems()` says in Vietnamese what the administrator must know."""

    sent: dict[str, int] = field(default_factory=dict)
    failed: int = 0  # refused for good by the recipient's server (listed in `refused`)
    deferred: int = 0
    retried: int = 0  # a transient error for this message: waits, retried with backoff
    fallbacks: int = 0
    expired: int = 0  # no longer true when they were to go out: kept as expired, not sent
    claims_lost: int = 0  # rows this sender found taken over by another: it sent nothing more of them
    stopped: str | None = None  # channels stopped by a server or configuration problem, secrets masked
    down: dict[str, str] = field(default_factory=dict)  # the stopped channels and why
    refused: list[str] = field(default_factory=list)  # one line per refused message, for the administrator
    errors: list[str] = field(default_factory=list)  # one line per message left waiting with a transient error

    def issues(self) -> dict[str, str]:
        """What the administrator must act on, by a stable key (`stopped-email`, `refused`, `errors`): one line each."""
        found = {f"stopped-{name}": f"Dừng gửi qua kênh {name}: {why}" for name, why in self.down.items()}
        if self.refused:
            found["refused"] = f"{len(self.refused)} tin bị người nhận từ chối (đã chuyển kênh dự phòng nếu có): " + "; ".join(self.refused[:10])
        if self.errors:
            found["errors"] = f"{len(self.errors)} tin gặp lỗi tạm thời, sẽ tự gửi lại: " + "; ".join(self.errors[:10])
        return found

    def problems(self) -> list[str]:
        """The lines an administrator must act on (empty when the run went well)."""
        return list(self.issues().values())

    def summary(self) -> str:
        """What the run did, in one line: `Đã gửi 12 (email 8, zalo 4); bị từ chối 0; …`."""
        by_channel = ", ".join(f"{name} {count}" for name, count in sorted(self.sent.items()))
        sent = f"Đã gửi {sum(self.sent.values())}" + (f" ({by_channel})" if by_channel else "")
        return (
            f"{sent}; bị từ chối: {self.failed}; tạm hoãn: {self.deferred}; sẽ thử lại: {self.retried}; "
            f"chuyển kênh dự phòng: {self.fallbacks}; hết hiệu lực, không gửi: {self.expired}."
        )


@dataclass(frozen=True)
class Restated:
    """What a message says at send time: `expired` with the reason it no longer holds, `rendered` anew, or `held`
    back with the reason it could not be checked (it waits, and is checked again on a later try)."""

    expired: str | None = None
    rendered: Rendered | None = None
    held: str | None = None


StillTrue = Callable[[Sequence[Row[Any]], datetime], Mapping[int, Restated]]
"""Checks claimed rows (plan, year, unit_code, milestone, step, kind, channel, recipient) at `now`;
rows it leaves out of its answer go out as stored."""


def message_key(plan: str, year: int, unit_code: str, milestone: str, step: str, channel: str) -> str:
    """The deterministic id of one message on one channel (Message-ID, ZNS tracking_id)."""
    raw = "\x1f".join((plan, str(year), unit_code, milestone, step, channel))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def backoff(attempts: int) -> timedelta:
    """Delay before attempt `attempts + 1`: 1, 2, 4 … minutes, at most `MAX_BACKOFF`."""
    return min(timedelta(minutes=2 ** min(max(attempts - 1, 0), 20)), MAX_BACKOFF)


def valid_until(context: MessageContext) -> datetime | None:
    """Until when a message is true: a reminder until the end of its deadline day; a launch notice (which may go
    out after the launch day, when a run was missed) until the end of the last deadline it announces."""
    if context.kind == "launch":
        return end_of_day(context.last_deadline) if context.last_deadline else None
    return end_of_day(context.deadline) if context.kind in UNTIL_DEADLINE else None


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
        "valid_until": valid_until(draft.context),
        "created_at": now,
    }


def _insert_new(conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Insert the rows whose key is not there yet; returns how many were new."""
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = insert(TABLE).on_conflict_do_nothing(index_elements=list(KEY)).returning(C.id)
    chunks = (rows[start : start + _INSERT_CHUNK] for start in range(0, len(rows), _INSERT_CHUNK))
    return sum(len(conn.execute(statement, list(chunk)).all()) for chunk in chunks)


def enqueue(session: Session, drafts: Iterable[Draft], renderer: Renderer, now: datetime | None = None) -> int:
    """Render and write `drafts`, due from `now` (default: this instant), skipping those already in the outbox;
    returns the number of new rows.

    The caller commits. Each context is rendered once even if it goes to several channels.
    """
    now = now or utcnow()
    rendered: dict[MessageContext, Rendered] = {}
    rows = []
    for draft in drafts:
        if draft.context not in rendered:
            rendered[draft.context] = renderer.render(draft.context)
        rows.append(_row(draft, rendered[draft.context], now))
    return _insert_new(session.connection(), rows) if rows else 0


def _due(channels: Iterable[str], now: datetime, claim_timeout: timedelta) -> Any:
    """Rows to claim: waiting and due, or claimed long ago by a worker that never handed them to the provider."""
    waiting = and_(C.status.in_([OutboxStatus.pending, OutboxStatus.deferred]), C.next_attempt_at <= now)
    stalled = and_(C.status == OutboxStatus.sending, C.claimed_at < now - claim_timeout, C.attempt_started_at.is_(None))
    return and_(C.channel.in_(list(channels)), or_(waiting, stalled))


def _claim(engine: Engine, channel: str, worker: str, now: datetime, limit: int, claim_timeout: timedelta) -> list[Row[Any]]:
    """Atomically take up to `limit` due rows of `channel` for `worker`."""
    ids = select(C.id).where(_due([channel], now, claim_timeout)).order_by(C.next_attempt_at, C.id).limit(limit)
    if engine.dialect.name == "postgresql":
        ids = ids.with_for_update(skip_locked=True)
    statement = (
        update(TABLE)
        .where(C.id.in_(ids.scalar_subquery()))
        .values(status=OutboxStatus.sending, claimed_by=worker, claimed_at=now, attempt_started_at=None)
        .returning(TABLE)
    )
    with engine.begin() as conn:
        return sorted(conn.execute(statement).all(), key=lambda row: row.id)


def release_dead(engine: Engine) -> int:
    """Put back in the queue the rows claimed by workers that are no longer alive; returns how many.

    Their rows handed to the provider may have been sent before the worker died: they go again, once.
    """
    with engine.connect() as conn:
        workers = list(conn.execute(select(C.claimed_by).where(C.status == OutboxStatus.sending).distinct()).scalars())
    dead = [worker for worker in workers if worker and not alive(engine, worker)]
    if not dead:
        return 0
    statement = (
        update(TABLE)
        .where(C.status == OutboxStatus.sending, C.claimed_by.in_(dead))
        .values(status=OutboxStatus.pending, claimed_by=None, claimed_at=None, attempt_started_at=None)
    )
    with engine.begin() as conn:
        released = conn.execute(statement).rowcount
    log.warning("Đưa lại %d tin về hàng chờ: tiến trình gửi %s đã dừng giữa chừng", released, ", ".join(dead))
    return released


def transition(outcome: DeliveryResult, attempts: int, now: datetime, last_error: str | None = None) -> dict[str, Any]:
    """The new column values of a claimed row after `outcome` (its claim is released).

    `attempts` counts the tries that failed for this message; it only sets the backoff. Nothing but a
    refusal of the recipient ends a message: a server or configuration problem leaves it waiting,
    its attempts unchanged, due again at the next run.
    """
    values: dict[str, Any] = {
        "status": OutboxStatus.pending,
        "attempts": attempts,
        "next_attempt_at": now,
        "last_error": outcome.error,
        "provider_id": None,
        "sent_at": None,
    }
    match outcome.delivery:
        case Delivery.sent:
            values.update(status=OutboxStatus.sent, attempts=attempts + 1, provider_id=outcome.provider_id, sent_at=now, last_error=None)
        case Delivery.transient:
            values.update(attempts=attempts + 1, next_attempt_at=now + backoff(attempts + 1))
        case Delivery.deferred:  # not the recipient's fault and not a try
            values.update(status=OutboxStatus.deferred, next_attempt_at=outcome.retry_at or now + backoff(1))
        case Delivery.recipient:
            values.update(status=OutboxStatus.failed, attempts=attempts + 1)
        case Delivery.skipped:
            values.update(last_error=last_error)
        case Delivery.unavailable | Delivery.config:  # stays due: it goes out on the first run that can send it
            pass
    return values


def _fallback_row(row: Row[Any], now: datetime) -> dict[str, Any]:
    """A message on the fallback channel carrying the same text as the refused row `row`."""
    return {
        **{name: getattr(row, name) for name in ("plan", "year", "unit_code", "milestone", "step", "recipient_name", "kind", "subject", "body_text", "body_html", "valid_until")},
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


_RELEASED = {"claimed_by": None, "claimed_at": None, "attempt_started_at": None}
_MARK_SENT = (
    update(TABLE)
    .where(C.id == bindparam("b_id"), C.claimed_by == bindparam("b_worker"), C.status == OutboxStatus.sending)
    .values(status=bindparam("status"), attempts=bindparam("attempts"), provider_id=bindparam("provider_id"),
            sent_at=bindparam("sent_at"), last_error=None, **_RELEASED)
)
_MARK_OTHER = (
    update(TABLE)
    .where(C.id == bindparam("b_id"), C.claimed_by == bindparam("b_worker"), C.status == OutboxStatus.sending)
    .values(status=bindparam("status"), attempts=bindparam("attempts"), next_attempt_at=bindparam("next_attempt_at"),
            last_error=bindparam("last_error"), **_RELEASED)
)


def _owned(conn: Connection, worker: str, ids: Iterable[int]) -> set[int]:
    """Of `ids`, the rows `worker` still holds, locked until the transaction ends.

    A write that changes nothing: it takes the row locks (PostgreSQL) or the write lock (SQLite), so no
    other worker can take these rows over before this transaction's marks are written.
    """
    statement = (
        update(TABLE)
        .where(C.id.in_(list(ids)), C.claimed_by == worker, C.status == OutboxStatus.sending)
        .values(claimed_by=worker)
        .returning(C.id)
    )
    return set(conn.execute(statement).scalars())


def _count(report: SendReport, row: Row[Any], values: Mapping[str, Any], outcome: DeliveryResult) -> None:
    status = values["status"]
    where = f"#{row.id} {row.channel} → {row.recipient} ({row.unit_code})"
    if status == OutboxStatus.sent:
        report.sent[row.channel] = report.sent.get(row.channel, 0) + 1
    elif status == OutboxStatus.failed:
        report.failed += 1
        report.refused.append(f"{where}: {outcome.error}")
    elif status == OutboxStatus.deferred:
        report.deferred += 1
    elif outcome.delivery == Delivery.transient:
        report.retried += 1
        report.errors.append(f"{where}: {outcome.error}")


def _mark(engine: Engine, worker: str, now: datetime, rows: Mapping[int, Row[Any]], outcomes: Sequence[DeliveryResult], report: SendReport) -> set[int]:
    """Write `outcomes` of the rows `worker` still holds in one transaction, add fallback messages, count
    them in `report`; returns the ids written.

    A row another worker took over belongs to that worker, and so does its outcome: this one's is dropped.
    """
    sent, other, fallbacks = [], [], []
    with engine.begin() as conn:
        ours = _owned(conn, worker, [outcome.id for outcome in outcomes])
        for outcome in outcomes:
            row = rows[outcome.id]
            if row.id not in ours:
                continue
            values = {"b_id": row.id, "b_worker": worker, **transition(outcome, row.attempts, now, row.last_error)}
            (sent if values["status"] == OutboxStatus.sent else other).append(values)
            if values["status"] == OutboxStatus.failed and row.fallback_recipient:
                fallbacks.append(_fallback_row(row, now))
            _count(report, row, values, outcome)
        for statement, marks in ((_MARK_SENT, sent), (_MARK_OTHER, other)):
            if marks:
                conn.execute(statement, marks)
        if fallbacks:
            report.fallbacks += _insert_new(conn, fallbacks)
    return ours


def _renew(engine: Engine, worker: str, ids: Iterable[int], now: datetime) -> set[int]:
    """Move the claims `worker` still holds on `ids` to `now`; returns the ids renewed (the others are lost)."""
    statement = (
        update(TABLE)
        .where(C.id.in_(list(ids)), C.claimed_by == worker, C.status == OutboxStatus.sending)
        .values(claimed_at=now)
        .returning(C.id)
    )
    with engine.begin() as conn:
        return set(conn.execute(statement).scalars())


def _start(engine: Engine, worker: str, row_id: int, now: datetime) -> bool:
    """Mark row `row_id` as handed to the provider by `worker`, if `worker` still holds it."""
    statement = (
        update(TABLE)
        .where(C.id == row_id, C.claimed_by == worker, C.status == OutboxStatus.sending)
        .values(attempt_started_at=now, claimed_at=now)
    )
    with engine.begin() as conn:
        return conn.execute(statement).rowcount == 1


def _expired_reason(row: Row[Any]) -> str:
    return f"hết hiệu lực: hạn {long_date(local_day(row.valid_until))} đã qua, không gửi nữa"


def _restate(engine: Engine, worker: str, rows: list[Row[Any]], now: datetime, still_true: StillTrue | None, report: SendReport) -> list[Row[Any]]:
    """The claimed `rows` still true at `now`, as they read now; the others are kept as `expired` with the reason."""
    verdicts: dict[int, Restated] = {row.id: Restated(expired=_expired_reason(row)) for row in rows if row.valid_until and row.valid_until < now}
    if still_true is not None:
        verdicts.update(still_true([row for row in rows if row.id not in verdicts], now))
    if not verdicts:
        return rows
    with engine.begin() as conn:
        ours = _owned(conn, worker, verdicts)
        for row_id in ours:
            verdict = verdicts[row_id]
            if verdict.expired:
                values: dict[str, Any] = {"status": OutboxStatus.expired, "expired_reason": verdict.expired, **_RELEASED}
            elif verdict.held:
                values = {"status": OutboxStatus.pending, "last_error": verdict.held, "next_attempt_at": now + backoff(1), **_RELEASED}
            elif verdict.rendered:
                new = verdict.rendered
                values = {"subject": new.subject, "body_text": new.text, "body_html": new.html, "payload": new.template_data}
            else:
                continue
            conn.execute(update(TABLE).where(C.id == row_id).values(**values))
        gone = {row_id for row_id in ours if verdicts[row_id].expired or verdicts[row_id].held}
        left = [row.id for row in rows if row.id not in verdicts or (row.id in ours and row.id not in gone)]
        fresh = sorted(conn.execute(select(TABLE).where(C.id.in_(left))).all(), key=lambda row: row.id)
    by_id = {row.id: row for row in rows}
    report.errors += [f"#{i} {by_id[i].channel} → {by_id[i].recipient} ({by_id[i].unit_code}): {verdicts[i].held}" for i in sorted(ours) if verdicts[i].held]
    expired = [row_id for row_id in ours if verdicts[row_id].expired]
    report.expired += len(expired)
    if expired:
        log.info("Không gửi %d tin đã hết hiệu lực (giữ ở trạng thái expired kèm lý do)", len(expired))
    return fresh


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


class _Batch:
    """The claims of one batch while it is sent: the lease its transport asks before each message.

    Writes of the batch (outcomes, renewals) take turns, so a renewal sees exactly the rows whose
    outcome is not written yet; any of them not renewed was taken over, and the batch is fenced.
    """

    def __init__(self, engine: Engine, worker: str, rows: Sequence[Row[Any]], clock: Callable[[], datetime]) -> None:
        self._engine, self._worker, self._clock = engine, worker, clock
        self.rows = {row.id: row for row in rows}
        self._outstanding = set(self.rows)
        self._writes = asyncio.Lock()
        self.lost: set[int] = set()

    @property
    def fenced(self) -> bool:
        return bool(self.lost)

    def _lose(self, ids: set[int]) -> None:
        if ids and not self.lost:
            log.warning("Worker %s mất quyền gửi %d tin (đã do worker khác nhận lại): dừng lô, không gửi thêm tin nào", self._worker, len(ids))
        self.lost |= ids

    async def begin(self, message: Outgoing) -> bool:
        if self.fenced:
            return False
        if await asyncio.to_thread(_start, self._engine, self._worker, message.id, self._clock()):
            return True
        self._lose({message.id})
        return False

    async def renew(self) -> None:
        async with self._writes:
            expected = set(self._outstanding)
            if expected:
                self._lose(expected - await asyncio.to_thread(_renew, self._engine, self._worker, expected, self._clock()))

    async def keep(self, every: float) -> None:
        """Renew the batch's claims every `every` seconds, until cancelled."""
        while True:
            await asyncio.sleep(every)
            try:
                await self.renew()
            except Exception:  # a missed renewal is retried; at worst a stalled batch is fenced
                log.warning("Worker %s: không gia hạn được quyền gửi của %d tin", self._worker, len(self._outstanding), exc_info=True)

    async def write(self, outcomes: list[DeliveryResult], report: SendReport) -> None:
        async with self._writes:
            ours = await asyncio.to_thread(_mark, self._engine, self._worker, self._clock(), self.rows, outcomes, report)
            done = {outcome.id for outcome in outcomes}
            self._outstanding -= done
            self._lose(done - ours)


async def _send_batch(
    engine: Engine,
    channel: Transport,
    rows: list[Row[Any]],
    worker: str,
    clock: Callable[[], datetime],
    report: SendReport,
    claim_timeout: timedelta = CLAIM_TIMEOUT,
) -> tuple[str | None, set[int]]:
    """Send claimed `rows` through `channel`, marking outcomes as they come.

    Returns the channel's server or configuration error, if any, and the rows found taken over.
    Outcomes are written with the time they are written (`clock()`); while the batch is sent, its
    claims are renewed three times per `claim_timeout`, so a slow batch is not taken for stalled.
    """
    batch = _Batch(engine, worker, rows, clock)
    gathered: list[DeliveryResult] = []
    writing: asyncio.Future[None] | None = None
    stopped: str | None = None
    renewing = asyncio.ensure_future(batch.keep(max(claim_timeout.total_seconds() / 3, 0.05)))
    try:
        async for outcome in channel.deliver([_outgoing(row) for row in rows], batch):
            if outcome.delivery.stops_channel:
                stopped = stopped or outcome.error
            gathered.append(outcome)
            if writing is None or writing.done():
                if writing is not None:
                    writing.result()
                group, gathered = gathered, []
                writing = asyncio.ensure_future(batch.write(group, report))
    finally:  # record every known outcome, even if the channel failed half-way
        renewing.cancel()
        if writing is not None:
            await writing
        if gathered:
            await batch.write(gathered, report)
    return stopped, batch.lost


def _run_clock(now: datetime | None) -> Callable[[], datetime]:
    """The clock of one run: the real time, or, if the caller gave `now`, `now` advancing in real time."""
    if now is None:
        return utcnow
    started = utcnow()
    return lambda: now + (utcnow() - started)


@dataclass
class _Run:
    """One sending run: its worker, clock and settings."""

    engine: Engine
    worker: str
    clock: Callable[[], datetime]
    batch_size: int
    claim_timeout: timedelta
    still_true: StillTrue | None


async def _send_channel_batch(run: _Run, name: str, channel: Transport, report: SendReport) -> tuple[int, str | None, bool]:
    """Claim and send one batch of `name`: (rows claimed, the channel's stop reason, whether the claim was lost)."""
    rows = _claim(run.engine, name, run.worker, run.clock(), run.batch_size, run.claim_timeout)
    if not rows:
        return 0, None, False
    live = await asyncio.to_thread(_restate, run.engine, run.worker, rows, run.clock(), run.still_true, report)
    if not live:
        return len(rows), None, False
    stopped, lost = await _send_batch(run.engine, channel, live, run.worker, run.clock, report, run.claim_timeout)
    report.claims_lost += len(lost)
    return len(rows), stopped, bool(lost)


async def _send_all(run: _Run, channels: Mapping[str, Transport], report: SendReport, progress: Callable[[int, int], None] | None) -> None:
    active = dict(channels)
    with run.engine.connect() as conn:
        total = conn.execute(select(func.count()).where(_due(active, run.clock(), run.claim_timeout))).scalar_one()
    done = 0
    while active:
        progressed = False
        for name, channel in list(active.items()):
            claimed, stopped, fenced = await _send_channel_batch(run, name, channel, report)
            if fenced:
                log.warning("Worker %s dừng gửi: %d tin đã do worker khác nhận lại", run.worker, report.claims_lost)
                return
            if not claimed:
                continue
            progressed = True
            done += claimed
            if progress:
                progress(done, max(total, done))
            if stopped:
                log.error("Kênh %s dừng gửi, cần quản trị viên xử lý: %s", name, stopped)
                report.stopped = "; ".join(filter(None, [report.stopped, f"{name}: {stopped}"]))
                report.down[name] = stopped
                del active[name]
        if not progressed:
            break


async def send_due_async(
    engine: Engine,
    channels: Mapping[str, Transport],
    *,
    now: datetime | None = None,
    worker: str | None = None,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
    claim_timeout: timedelta = CLAIM_TIMEOUT,
    still_true: StillTrue | None = None,
) -> SendReport:
    """`send_due` for callers that already run an event loop."""
    run = _Run(engine, worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}", _run_clock(now), batch_size, claim_timeout, still_true)
    report = SendReport()
    with held(engine, run.worker):
        await asyncio.to_thread(release_dead, engine)
        await _send_all(run, channels, report, progress)
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
    still_true: StillTrue | None = None,
) -> SendReport:
    """Claim, send and mark every due row of `channels` (batches of `batch_size`) until none is due.

    `now` (default: the real time) is the time the run starts at, for deciding what is due; the
    run's clock advances in real time from it, and each batch is claimed, and each outcome
    written, at that clock's current time, never at the run's start. `still_true` checks each
    claimed row just before it goes out (see `StillTrue`).

    A channel that reports a server or configuration problem stops (its unsent rows stay waiting)
    and the error is logged for the administrator and returned in `SendReport.stopped`. A sender
    that finds its claim lost stops at once (`SendReport.claims_lost`).
    """
    return asyncio.run(
        send_due_async(
            engine, channels, now=now, worker=worker, batch_size=batch_size, progress=progress,
            claim_timeout=claim_timeout, still_true=still_true,
        )
    )


def requeue(engine: Engine, ids: Sequence[int] | None = None, *, now: datetime | None = None) -> int:
    """Make failed or deferred rows (or the rows `ids`, unless sent, being sent or expired) due again; returns how many."""
    now = now or utcnow()
    statuses = [OutboxStatus.failed, OutboxStatus.deferred] + ([OutboxStatus.pending] if ids else [])
    statement = update(TABLE).where(C.status.in_(statuses))
    if ids:
        statement = statement.where(C.id.in_(list(ids)))
    statement = statement.values(status=OutboxStatus.pending, attempts=0, next_attempt_at=now, claimed_by=None, claimed_at=None)
    with engine.begin() as conn:
        return conn.execute(statement).rowcount
