"""Each unit's personal link to the portal: a signed token bound to (plan, year, unit, generation).

The token is itsdangerous' URL-safe signature (HMAC-SHA256) of `[plan, year, unit, generation]`. It
carries no secret and no expiry: it expires when its cycle closes (`thidua.cycle.closing`, read on each
visit, so a date set later moves the close without new links), and it is revoked by moving the unit to
the next generation (`revoke`): the old link then says it was replaced. The signing keys come from
THIDUA_SECRET_KEYS (newest last; older ones still verify) or, unset, from a key file made once in the
data folder.
"""

import hashlib
import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

from itsdangerous import BadData, URLSafeSerializer
from sqlmodel import Session

from config import Settings, get_settings
from models.queries.cycle import load_dates
from models.queries.portal import audit, link_generation, link_generations, linked_unit, rotate_link
from models.queries.units import unit_by_code
from thidua.cycle.closing import closes_at, closing_day
from thidua.cycle.state import CycleDates
from thidua.dates import local_day
from thidua.directory import Unit
from thidua.errors import InputError, InvalidInput
from thidua.plan.schema import Plan
from thidua.words import long_date

LINK_SALT = "thidua.unit-link.v1"  # the kind of token; changing it invalidates every link
KEY_FILE = "portal-secret.key"


@dataclass(frozen=True)
class LinkId:
    """What a link stands for: a unit of a plan's cycle, at one generation."""

    plan: str
    year: int
    unit: str
    generation: int

    def __str__(self) -> str:
        """`loc-ninh-2024-2025/2025/ln-ub-loc-thai#0`: how the audit trail and the files name the link."""
        return f"{self.plan}/{self.year}/{self.unit}#{self.generation}"


def signing_keys(settings: Settings) -> list[bytes]:
    """The signing keys, oldest first: THIDUA_SECRET_KEYS, or the data folder's key file (made once, mode 0600)."""
    if settings.secret_keys is not None:
        keys = [k.strip().encode() for k in settings.secret_keys.get_secret_value().split(",") if k.strip()]
        if keys:
            return keys
    return [_key_file(settings.data_dir / KEY_FILE)]


def _key_file(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as out:
        out.write(secrets.token_urlsafe(48).encode())
    return path.read_bytes().strip()


def _serializer(keys: Sequence[bytes], salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(list(keys), salt=salt, signer_kwargs={"digest_method": hashlib.sha256})


class LinkSigner:
    """Makes and reads link tokens with the installation's keys."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        self._serializer = _serializer(keys, LINK_SALT)

    def token(self, link: LinkId) -> str:
        return self._serializer.dumps([link.plan, link.year, link.unit, link.generation])

    def read(self, token: str) -> LinkId | None:
        """The link a token stands for; None if it is not one of ours (tampered, cut short, made up)."""
        try:
            data = self._serializer.loads(token)
        except BadData:
            return None
        if not (isinstance(data, list) and len(data) == 4):
            return None
        plan, year, unit, generation = data
        typed = isinstance(plan, str) and isinstance(unit, str) and type(year) is int and type(generation) is int
        return LinkId(plan, year, unit, generation) if typed else None


@lru_cache(maxsize=8)
def _signer(keys: tuple[bytes, ...]) -> LinkSigner:
    return LinkSigner(keys)


def signer(settings: Settings | None = None) -> LinkSigner:
    """The signer of this installation's links."""
    return _signer(tuple(signing_keys(settings or get_settings())))


def link_url(settings: Settings, token: str) -> str:
    """The address of a unit's page: THIDUA_PUBLIC_URL + `/u/<token>`."""
    assert settings.public_url is not None
    return f"{settings.public_url.rstrip('/')}/u/{token}"


class UnitLinks:
    """The link maker of the message renderer: each owner's current link, generations read once per cycle."""

    def __init__(self, session: Session, settings: Settings) -> None:
        self._session, self._settings = session, settings
        self._signer = signer(settings)
        self._generations: dict[tuple[str, int], dict[str, int]] = {}

    def __call__(self, plan: str, year: int, unit: str) -> str | None:
        if (plan, year) not in self._generations:
            self._generations[(plan, year)] = link_generations(self._session, plan, year)
        generation = self._generations[(plan, year)].get(unit, 0)
        return link_url(self._settings, self._signer.token(LinkId(plan, year, unit, generation)))


def unit_links(session: Session, settings: Settings | None = None) -> UnitLinks | None:
    """The link maker for messages written in `session`; None while THIDUA_PUBLIC_URL is not set."""
    settings = settings or get_settings()
    return UnitLinks(session, settings) if settings.public_url else None


def _owner(session: Session, plan: Plan, year: int, unit_code: str) -> Unit:
    unit = unit_by_code(session, plan.code, unit_code)
    if unit is None:
        raise InvalidInput([InputError(plan.code, "--unit", unit_code, "không có đơn vị này trong danh bạ của kế hoạch")])
    return unit


def closed_on(session: Session, plan: Plan, year: int, now: datetime) -> date | None:
    """The last day of the cycle when it has closed by `now` (its links then answer 410); None while it is open."""
    cycle = load_dates(session, plan, year, local_day(now))
    closes = closes_at(cycle)
    return closing_day(cycle) if closes is not None and now > closes else None


def closed_words(day: date) -> str:
    """Why a closed cycle's link is not given, in words."""
    return f"đợt thi đua đã kết thúc ngày {long_date(day)}: đường dẫn riêng của đơn vị không còn mở được"


def current_link(
    session: Session, plan: Plan, year: int, unit_code: str, settings: Settings | None = None, now: datetime | None = None
) -> str:
    """The current link of a unit (for `thidua portal link`); InvalidInput if the unit or the public URL is missing,
    or, given `now`, if the cycle has closed by then (the link would open only "Đợt thi đua đã kết thúc")."""
    settings = settings or get_settings()
    if not settings.public_url:
        raise InvalidInput([InputError("(cấu hình)", "THIDUA_PUBLIC_URL", "", "chưa đặt địa chỉ công khai của cổng thông tin")])
    _owner(session, plan, year, unit_code)
    closed = closed_on(session, plan, year, now) if now is not None else None
    if closed is not None:
        raise InvalidInput([InputError(plan.code, "--year", year, closed_words(closed))])
    token = signer(settings).token(LinkId(plan.code, year, unit_code, link_generation(session, plan.code, year, unit_code)))
    return link_url(settings, token)


def revoke(session: Session, plan: Plan, year: int, unit_code: str, by: str, at: datetime) -> int:
    """Revoke a unit's link (the next generation replaces it); audited. Returns the new generation."""
    _owner(session, plan, year, unit_code)
    generation = rotate_link(session, plan.code, year, unit_code, by, at)
    audit(session, at, by, "revoke", plan.code, year, unit_code, generation=generation)
    return generation


LinkStatus = Literal["ok", "tampered", "unknown", "revoked", "expired"]


@dataclass(frozen=True)
class LinkCheck:
    """What a visited link is: `ok` (with the unit), or why not; `closes` is when its cycle closes."""

    status: LinkStatus
    link: LinkId | None = None
    unit: Unit | None = None
    dates: CycleDates | None = None  # the cycle's dates on the day of the visit
    closes: datetime | None = None


DatesLoader = Callable[[Session, Plan, int, date], CycleDates]


def check_link(
    session: Session, plans: dict[str, Plan], token: str, now: datetime, settings: Settings | None = None, dates: DatesLoader = load_dates
) -> LinkCheck:
    """Whether `token` opens a unit's page at `now`: ours, for a known unit of a plan's cycle, current, not closed
    (`dates` reads the cycle's dates; the portal caches them for a few seconds)."""
    link = signer(settings).read(token)
    if link is None:
        return LinkCheck("tampered")
    plan = plans.get(link.plan)
    found = linked_unit(session, plan.code, link.year, link.unit) if plan and link.year in plan.cycle_years else None
    if plan is None or found is None:
        return LinkCheck("unknown", link)
    unit, generation = found
    cycle = dates(session, plan, link.year, local_day(now))
    closes = closes_at(cycle)
    if link.generation != generation:
        return LinkCheck("revoked", link, unit, cycle, closes)
    if closes is not None and now > closes:
        return LinkCheck("expired", link, unit, cycle, closes)
    return LinkCheck("ok", link, unit, cycle, closes)
