"""A plan's yearly cycle: admin-set dates, calendar overrides, what owners handed in, registrations, what happened."""

from datetime import date, datetime
from enum import StrEnum
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


class Submission(SQLModel, table=True):
    """What one owner handed in for one occurrence of a deliverable (a dossier, a report...); documents arrive one by one."""

    __table_args__ = (UniqueConstraint("plan", "year", "deliverable", "occurrence", "unit_code", name="uq_submission_owner"),)

    id: int | None = Field(default=None, primary_key=True)
    plan: str = Field(index=True)
    year: int
    deliverable: str  # the deliverable's code in the plan
    occurrence: str  # the milestone kind of its deadline (a report may recur)
    unit_code: str  # the owner: a unit, or `co-quan-thuong-truc` for the standing agency's own obligations
    first_received_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    completed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class DocumentStatus(StrEnum):
    received = "received"  # handed in, not yet looked at: counts as received
    accepted = "accepted"
    rejected = "rejected"  # missing again: the owner is chased for it until it comes back


class SubmittedDocument(SQLModel, table=True):
    """One document of a submission (tờ trình, biên bản, báo cáo thành tích...), its files and the agency's decision."""

    __table_args__ = (UniqueConstraint("submission_id", "kind", name="uq_submitteddocument_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(sa_column=Column(Integer, ForeignKey("submission.id", ondelete="CASCADE"), nullable=False))
    kind: str
    received_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    status: DocumentStatus = Field(default=DocumentStatus.received)
    reason: str | None = None  # why it was rejected
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    decided_by: str | None = None
    rejections: int = 0  # how many times it was rejected (a new round of confirmations each time)
    source: str = "quản trị viên"  # who recorded it: an administrator (CLI, Prefect form) or the unit's link


class DocumentFile(SQLModel, table=True):
    """A file handed in for a document, stored under its content's name; `current` until a rejection replaces it."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(sa_column=Column(Integer, ForeignKey("submitteddocument.id", ondelete="CASCADE"), nullable=False, index=True))
    stored_name: str  # `<sha256>.<ext>` in the uploads folder
    original_name: str  # as the unit's device named it, for display
    content_type: str  # pdf | docx | xlsx | jpeg | png, from the content
    size: int
    uploaded_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    link: str  # the link that made it: `plan/year/unit#generation`
    current: bool = True


class Nominee(SQLModel, table=True):
    """A collective or individual proposed for an award in a dossier."""

    __table_args__ = (UniqueConstraint("submission_id", "kind", "name", name="uq_nominee_name"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(sa_column=Column(Integer, ForeignKey("submission.id", ondelete="CASCADE"), nullable=False))
    kind: str  # collective | individual
    name: str


class Registration(SQLModel, table=True):
    """A unit registered for the movement of a cycle (đăng ký thi đua), with the individuals it named."""

    __table_args__ = (UniqueConstraint("plan", "year", "unit_code", name="uq_registration_unit"),)

    id: int | None = Field(default=None, primary_key=True)
    plan: str = Field(index=True)
    year: int
    unit_code: str
    registered_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class Registrant(SQLModel, table=True):
    """An individual a unit registered, with their position."""

    __table_args__ = (UniqueConstraint("registration_id", "name", name="uq_registrant_name"),)

    id: int | None = Field(default=None, primary_key=True)
    registration_id: int = Field(sa_column=Column(Integer, ForeignKey("registration.id", ondelete="CASCADE"), nullable=False))
    name: str
    position: str = ""


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
