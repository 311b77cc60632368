"""The transport interface: a channel's transport turns a batch of outbox messages into one result per message."""

from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Protocol


class Delivery(StrEnum):
    """What happened to one message, which decides what the outbox does with its row."""

    sent = "sent"  # accepted by the provider: mark sent
    transient = "transient"  # network, 5xx, timeout, rate limit: retry later with backoff
    deferred = "deferred"  # quota or sending hours: try again at `retry_at`
    recipient = "recipient"  # permanent for this recipient: mark failed, fall back to email
    config = "config"  # bad credentials, app or template: stop the channel, alert the administrator
    skipped = "skipped"  # not attempted (the channel stopped first): release the row unchanged


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


class Transport(Protocol):
    """How one channel reaches people; implementations: `EmailChannel`, `ZaloChannel`."""

    name: ClassVar[str]

    def deliver(self, messages: Sequence[Outgoing]) -> AsyncIterator[DeliveryResult]:
        """Send `messages`, yielding one outcome per message as soon as it is known."""
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
