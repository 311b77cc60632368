"""Facts an appraisal works from (scores) and what it proposes (awards)."""

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class Score(SQLModel, table=True):
    """A unit's facts for one cycle: PAR INDEX, recognised initiatives, discipline, excellent group."""

    __table_args__ = (UniqueConstraint("plan", "year", "unit_code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan: str = Field(index=True)
    year: int
    unit_code: str
    par_index: float
    initiatives_recognized: int = 0
    discipline: str = "none"
    excellent_group: bool = False


class AwardProposal(SQLModel, table=True):
    """One proposed award of an appraisal, with the reasons behind it."""

    id: int | None = Field(default=None, primary_key=True)
    plan: str = Field(index=True)
    year: int
    form: str
    nominee_kind: str
    nominee_name: str
    unit_code: str
    rank: int | None = None
    tie: bool = False
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
