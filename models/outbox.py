"""The notification outbox: every message is a row before it is sent, and stays one after."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class OutboxStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    deferred = "deferred"
    expired = "expired"  # no longer true when it was to go out (deadline passed, dossier complete): kept, not sent


class OutboxMessage(SQLModel, table=True):
    """One message to one recipient on one channel, keyed so that it can only exist once."""

    __table_args__ = (
        UniqueConstraint("plan", "year", "unit_code", "milestone", "step", "channel", "recipient"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan: str
    year: int
    unit_code: str
    milestone: str
    step: str
    channel: str  # a name of thidua.channels.REGISTRY
    recipient: str  # email address, 84xxxxxxxxx phone (ZNS) or zalo user_id (OA)
    recipient_name: str = ""
    kind: str  # template kind: launch, reminder, deadline_day, escalation_head, ...
    subject: str
    body_text: str
    body_html: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    fallback_channel: str | None = None  # the channel that takes over if this one cannot reach the recipient
    fallback_recipient: str | None = None  # the recipient's address on that channel
    fallback_for: int | None = None  # the row this one replaces
    message_id: str  # deterministic key of (plan, year, unit, milestone, step, channel)
    status: OutboxStatus = Field(default=OutboxStatus.pending)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    last_error: str | None = None
    provider_id: str | None = None  # SMTP reply or Zalo message id
    claimed_by: str | None = None
    claimed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    attempt_started_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))  # handed to the provider, outcome not yet written
    valid_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))  # not sent after this instant (a reminder: its deadline)
    expired_reason: str | None = None  # why the message was no longer true when it was to go out
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
