"""The unit portal's own records: each unit's link generation, the audit trail, and bad links per address."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class UnitLink(SQLModel, table=True):
    """The generation of a unit's personal link in a cycle; none stored means generation 0. Revoking adds one."""

    __table_args__ = (UniqueConstraint("plan", "year", "unit_code", name="uq_unitlink_unit"),)

    id: int | None = Field(default=None, primary_key=True)
    plan: str
    year: int
    unit_code: str
    generation: int = 0
    rotated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    rotated_by: str = ""


class AuditEntry(SQLModel, table=True):
    """Who did what, when, from which link: every upload, registration, nomination, decision and revocation."""

    __table_args__ = (Index("ix_auditentry_cycle", "plan", "year", "unit_code"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    actor: str  # `đơn vị <code>` or `quản trị viên <name>`
    action: str  # upload | register | nominate | accept | reject | revoke | receive | login
    plan: str
    year: int
    unit_code: str
    link: str | None = None  # `plan/year/unit#generation` when a unit's link did it
    ip: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class BadTokenHit(SQLModel, table=True):
    """Bad links and passwords from one address in one 10-minute window."""

    ip: str = Field(primary_key=True)
    window: int = Field(primary_key=True)
    hits: int = 0
