"""The unit portal under test: a Lộc Ninh plan that also asks for registration, its units, the app on a test
database with a clock the test moves, and helpers to open links, post forms and upload files."""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from test_deliverables import with_registration

from config import get_settings
from models.db import session_scope
from services.imports import import_units
from services.links import current_link
from services.plans import find_plan
from thidua.dates import TZ
from web.app import create_app
from web.auth import hash_password

PLAN, YEAR = "loc-ninh-2024-2025", 2025
UNIT, OTHER = "ln-ub-loc-thai", "ln-ub-loc-tan"
PASSWORD = "mật khẩu thật dài 2025"
HASH = hash_password(PASSWORD)
GUARD = re.compile(r'name="bao_ve" value="([^"]+)"')


@dataclass
class Clock:
    """The portal's clock, moved by the test."""

    now: datetime = field(default_factory=lambda: datetime(2025, 11, 20, 14, 5, tzinfo=TZ))

    def __call__(self) -> datetime:
        return self.now


@dataclass
class PortalUnderTest:
    client: TestClient
    clock: Clock
    engine: Engine
    plans: Path

    def link(self, unit: str = UNIT) -> str:
        """The unit's current link, as a path (`/u/<token>`)."""
        with session_scope(self.engine) as session:
            url = current_link(session, find_plan(PLAN), YEAR, unit)
        return url.removeprefix("http://testserver")

    def guard(self, page: str, action: str) -> str:
        """The guard token of the form posting to `action` on `page`."""
        form = page[page.index(f'action="{action}"') :]
        found = GUARD.search(form)
        assert found, f"no guard token in the form of {action}"
        return found.group(1)

    def upload(self, link: str, document: str, files: list[tuple[str, bytes]], occurrence: str = "ho_so_khen_thuong/submission_deadline"):  # type: ignore[no-untyped-def]
        """Open the unit's page and upload `files` (name, content) as `document`, as the browser would."""
        action = f"{link}/nop/{occurrence}/{document}"
        page = self.client.get(link).text
        data = {"bao_ve": self.guard(page, action)}
        return self.client.post(action, data=data, files=[("tep", (name, content)) for name, content in files], follow_redirects=False)

    def admin_login(self) -> None:
        page = self.client.get("/admin/dang-nhap").text
        response = self.client.post("/admin/dang-nhap", data={"bao_ve": self.guard(page, "/admin/dang-nhap"), "ten": "hoa", "mat_khau": PASSWORD}, follow_redirects=False)
        assert response.status_code == 303, response.text


def portal_plans(tmp_path: Path) -> Path:
    """A plans folder with Lộc Ninh asking for registration too, and email as its only channel."""
    plans = tmp_path / "plans"
    plans.mkdir(exist_ok=True)
    text = with_registration(Path("plans/loc-ninh-2024-2025.yaml").read_text(encoding="utf-8"))
    (plans / "loc-ninh-2024-2025.yaml").write_text(text.replace("channels: [email, zalo]", "channels: [email]"), encoding="utf-8")
    return plans


@pytest.fixture(name="portal")
def portal_under_test(engine: Engine, point_app: Callable[..., None], tmp_path: Path) -> Iterator[PortalUnderTest]:
    """The portal on an empty database (both backends) with Lộc Ninh's units, an administrator, a clock at 14:05
    on Thursday 20/11/2025; messages are written to the outbox, not sent."""
    plans = portal_plans(tmp_path)
    point_app(
        engine, THIDUA_PLANS_DIR=str(plans), THIDUA_DATA_DIR=str(tmp_path / "data"), THIDUA_PUBLIC_URL="http://testserver",
        THIDUA_SECRET_KEYS="khoa-thu-nghiem-1", THIDUA_ADMIN_USERS=json.dumps({"hoa": HASH}), THIDUA_UPLOAD_FILE_MB="0.2",
        THIDUA_UPLOAD_DELIVERABLE_MB="0.5",
    )  # fmt: skip
    with session_scope(engine) as session:
        import_units(session, Path("plans/units/loc-ninh-2024-2025.csv"), PLAN, find_plan(PLAN).group_names)
    clock = Clock()
    with TestClient(create_app(get_settings(), engine, clock=clock, send_messages=False)) as client:
        yield PortalUnderTest(client, clock, engine, plans)
