"""Facts an appraisal works from (scores) and what it proposes (awards)."""

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class Score(SQLModel, table=True):
    """A unit's facts for one cycle: PAR INDEX, recognised initiatives, its key leaders' discipline, excellent
    group, and the council's score or order where the plan ranks on them."""

    __table_args__ = (UniqueConstraint("plan", "year", "unit_code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan: str = Field(index=True)
    year: int
    unit_code: str
    par_index: float | None = None
    initiatives_recognized: int = 0
    discipline: str = "none"
    excellent_group: bool = False
    council_score: float | None = None
    council_rank: int | None = None


class IndividualRecord(SQLModel, table=True):
    """A person's own record for one cycle: position, recognised initiatives, discipline and the
    council's score or order; the person is named as in the unit's dossier."""

    __table_args__ = (UniqueConstraint("plan", "year", "unit_code", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    plan: str = Field(index=True)
    year: int
    unit_code: str
    name: str
    name_key: str  # the name as compared (case and spaces ignored)
    position: str = ""
    initiatives_recognized: int = 0
    discipline: str = "none"
    council_score: float | None = None
    council_rank: int | None = None


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
    outcome: str = "proposed"  # proposed, tie (open), chosen or added by the council
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
