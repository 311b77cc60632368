"""What the emulation and commendation council decided (the audit trail) and when a cycle was last appraised."""

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class CouncilDecision(SQLModel, table=True):
    """One decision as recorded: who recorded it, when, what (choose at a tie, add, withdraw) and why. Rows are
    only ever added; the latest decision on a tie or a nominee is the one in force."""

    id: int | None = Field(default=None, primary_key=True)
    plan: str = Field(index=True)
    year: int
    action: str  # choose | add | withdraw
    form: str
    nominee_kind: str
    nominees: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # `u1` or `u1:Họ Tên`
    tie: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # choose: the tied nominees
    reason: str
    decided_by: str
    decided_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class AppraisalRun(SQLModel, table=True):
    """The last appraisal of a cycle: the instant its dossiers were judged at, so that every later document and
    report shows the same result."""

    __table_args__ = (UniqueConstraint("plan", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    plan: str = Field(index=True)
    year: int
    as_of: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    ran_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
