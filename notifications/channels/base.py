"""The transport interface: a channel's transport turns a batch of outbox messages into one result per message."""

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Protocol

from aiolimiter import AsyncLimiter


class Delivery(StrEnum):
    """What happened to one message, which decides what the outbox does with its row.

    Only `recipient` ends a message (failed, then its fallback). A problem of the server or of the
    configuration (`unavailable`, `config`) is the channel's, not the message's: the row waits,
    its attempts unchanged, and the channel stops for the run.
    """

    sent = "sent"  # accepted by the provider: mark sent
    transient = "transient"  # this message, now: a 4xx for it, a connection lost mid-send, HTTP 5xx: retry with capped backoff
    deferred = "deferred"  # quota or sending hours: try again at `retry_at`
    recipient = "recipient"  # permanent for this recipient (RCPT TO 5xx, Zalo recipient codes): failed, fallback, listed
    unavailable = "unavailable"  # the server cannot be reached or is out of service: the channel waits for the next run
    config = "config"  # login, TLS, sender, token, app or template: stop the channel, alert the administrator
    skipped = "skipped"  # not attempted (the channel stopped first, or the claim was lost): release the row unchanged

    @property
    def stops_channel(self) -> bool:
        return self in (Delivery.unavailable, Delivery.config)


@dataclass(frozen=True)
class Outgoing:
    """One claimed outbox row, as a channel needs it."""

    id: int
    recipient: str
    recipient_name: str
    subject: str
    text: str
    html: str | None
    key: str  # deterministic id of (plan, year, unit, milestone, step, channel)
    template_data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DeliveryResult:
    id: int
    delivery: Delivery
    provider_id: str | None = None
    error: str | None = None  # already masked
    retry_at: datetime | None = None


@dataclass(frozen=True)
class Health:
    """A transport checked without sending anything: `problem` would stop the channel; `detail` is what was seen."""

    problem: str | None = None
    detail: str = ""


class Lease(Protocol):
    """The sender's right to send the messages it claimed (the outbox's fence)."""

    async def begin(self, message: Outgoing) -> bool:
        """Whether `message` may go out now; True marks it as handed to the provider. False once the claim is lost."""
        ...


class Unclaimed:
    """The lease of a message that is not in the outbox (`thidua notify test`): always granted."""

    async def begin(self, message: Outgoing) -> bool:
        return True


class Transport(Protocol):
    """How one channel reaches people; implementations: `EmailChannel`, `ZaloChannel`.

    A transport asks `lease.begin(message)` immediately before each message leaves, and sends nothing
    it was refused (it yields `skipped` for it): a sender that lost its claim sends nothing more.
    """

    name: ClassVar[str]

    def deliver(self, messages: Sequence[Outgoing], lease: Lease) -> AsyncIterator[DeliveryResult]:
        """Send `messages`, yielding one outcome per message as soon as it is known."""
        ...

    async def check(self) -> Health:
        """Connect and authenticate as a send would (`thidua doctor`), without sending a message."""
        ...


class Masker:
    """Replaces every known secret in a text by `***`, so that errors can be logged and stored."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if secret and len(secret) >= 4:
            self._secrets.add(secret)

    def __call__(self, text: object) -> str:
        masked = str(text)
        for secret in sorted(self._secrets, key=len, reverse=True):
            masked = masked.replace(secret, "***")
        return masked


class SendRate:
    """At most `per_second` messages a second on one channel (None or 0: no limit).

    aiolimiter's leaky bucket, one per event loop (each sending run has its own loop).
    """

    def __init__(self, per_second: float | None = None) -> None:
        self.per_second = per_second or None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._limiter: AsyncLimiter | None = None

    def slot(self) -> AbstractAsyncContextManager[None]:
        """`async with rate.slot():` waits until one more message may go out."""
        if not self.per_second:
            return nullcontext()
        loop = asyncio.get_running_loop()
        if self._limiter is None or self._loop is not loop:
            rate = self.per_second
            self._loop, self._limiter = loop, AsyncLimiter(rate, 1.0) if rate >= 1 else AsyncLimiter(1, 1 / rate)
        return self._limiter
