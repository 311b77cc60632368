"""The unit directory: who takes part in a plan, how to reach them, and when they exist."""

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Unit(SQLModel, table=True):
    """A collective of a plan's directory (department, district, commune...), valid between two dates."""

    __table_args__ = (UniqueConstraint("plan", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan: str = Field(index=True)
    code: str
    name: str
    group: str
    parent: str | None = None
    focal_name: str | None = None
    focal_email: str | None = None
    focal_phone: str | None = None
    focal_zalo_user_id: str | None = None
    head_name: str | None = None
    head_email: str | None = None
    head_phone: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    merged_into: str | None = None
