"""A plan's yearly cycle: admin-set dates, calendar overrides, dossiers and what happened."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class Cycle(SQLModel, table=True):
    """One year of one plan; holds the dates an administrator sets (PAR announcement, chosen days)."""

    __table_args__ = (UniqueConstraint("plan", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    plan: str = Field(index=True)
    year: int
    # milestone kind -> ISO date chosen by an administrator (e.g. par_announcement, annual_review)
    admin_dates: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class CalendarOverride(SQLModel, table=True):
    """An admin's change to the working-day calendar: an extra day off or a make-up working day."""

    __table_args__ = (UniqueConstraint("plan", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    plan: str | None = Field(default=None, index=True)  # None: applies to every plan
    day: date
    working: bool
    note: str = ""


class Dossier(SQLModel, table=True):
    """A unit's nomination dossier for one cycle; documents arrive one by one."""

    __table_args__ = (UniqueConstraint("plan", "year", "unit_code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan: str = Field(index=True)
    year: int
    unit_code: str
    first_received_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    completed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class DossierDocument(SQLModel, table=True):
    """One document of a dossier (tờ trình, biên bản, báo cáo thành tích...)."""

    __table_args__ = (UniqueConstraint("dossier_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(sa_column=Column(Integer, ForeignKey("dossier.id", ondelete="CASCADE"), nullable=False))
    kind: str
    received_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class Nominee(SQLModel, table=True):
    """A collective or individual proposed for an award in a dossier."""

    __table_args__ = (UniqueConstraint("dossier_id", "kind", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(sa_column=Column(Integer, ForeignKey("dossier.id", ondelete="CASCADE"), nullable=False))
    kind: str  # collective | individual
    name: str


class CycleEvent(SQLModel, table=True):
    """Something the cycle did on a day (launch, a step run, a catch-up), recorded once per key."""

    __table_args__ = (UniqueConstraint("plan", "year", "kind", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    plan: str = Field(index=True)
    year: int
    day: date
    kind: str
    key: str
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
