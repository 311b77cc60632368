"""The Zalo OA token pair; the refresh token is single-use, so the row is the only copy that counts."""

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class ZaloToken(SQLModel, table=True):
    """Current OAuth v4 tokens of one Official Account; `version` increases on every rotation."""

    oa_id: str = Field(primary_key=True)
    access_token: str
    refresh_token: str
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    refreshed_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    version: int = 0
    refresh_error: str | None = None  # Zalo refused this refresh token (masked): never presented again
