"""Runtime helpers of one process: today's date, where outputs go, the message renderer."""

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from sqlmodel import Session

from config import get_settings
from models.types import utcnow
from notifications.render import Renderer
from services.links import unit_links
from thidua.dates import TZ, local_day


def today() -> date:
    """Today in Asia/Ho_Chi_Minh."""
    return local_day(utcnow())


def instant_on(day: date) -> datetime:
    """Now, as it would be on `day`: this instant for today, the same time of day on another day (a replay)."""
    now = utcnow()
    if day == local_day(now):
        return now
    return datetime.combine(day, now.astimezone(TZ).time(), TZ)


def outputs_dir(plan: str, year: int | None = None) -> Path:
    """Where a cycle's documents (proposal list, tờ trình, reports) are written."""
    base = get_settings().data_dir / "outputs" / plan
    return base / str(year) if year else base


@lru_cache
def renderer() -> Renderer:
    """The message renderer, templates compiled once per process (an authority's overrides first); no links."""
    return Renderer(get_settings().templates_dir)


def message_renderer(session: Session) -> Renderer:
    """The renderer of messages written (or checked again) in `session`: each owner's personal link in them,
    at its generation in this transaction (none while THIDUA_PUBLIC_URL is not set)."""
    return renderer().with_links(unit_links(session))
