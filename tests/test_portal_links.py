"""Each unit's personal link: signed, bound to plan, year, unit and generation, closing with its cycle, in every
message to an owner (email, OA text, ZNS parameter) and never in those about all late owners; a message
still waiting when a link is revoked goes out with the new link."""

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from cycle_sim import Simulation, unit
from portal_fixture import PLAN, UNIT, YEAR, portal_plans
from sqlalchemy import Engine, select
from sqlmodel import Session

from config import get_settings
from imports.plans import load_plan
from models import OutboxMessage
from models.db import session_scope
from notifications.outbox import enqueue
from notifications.render import Renderer
from notifications.samples import sample_context
from services.freshness import still_true
from services.imports import import_units
from services.links import LinkId, LinkSigner, current_link, revoke
from services.plans import find_plan
from services.runtime import message_renderer
from thidua.cycle.closing import closing_day
from thidua.cycle.decide import agenda, batch
from thidua.cycle.drafts import AGGREGATE_UNIT, MessageKind
from thidua.dates import TZ

LINK = LinkId(PLAN, YEAR, UNIT, 0)


def test_a_token_stands_for_its_unit_and_nothing_else_verifies() -> None:
    signer = LinkSigner([b"khoa-1"])
    token = signer.token(LINK)
    assert signer.read(token) == LINK and len(token) < 110
    payload, _, signature = token.partition(".")
    assert signer.read(payload + "." + signature[:-4]) is None  # cut short
    assert signer.read(payload.replace("V", "W", 1) + "." + signature) is None  # edited
    assert signer.read("rác") is None and signer.read("") is None
    assert LinkSigner([b"khoa-khac"]).read(token) is None
    assert LinkSigner([b"khoa-1", b"khoa-2"]).read(token) == LINK  # a newer key signs, the old one still verifies
    assert LinkSigner([b"khoa-1"]).read(LinkSigner([b"khoa-1", b"khoa-2"]).token(LINK)) is None


def test_a_cycle_closes_at_its_last_dated_milestone_and_not_before_a_month_after_the_last_unit_deadline() -> None:
    plan = load_plan(Path("plans/loc-ninh-2024-2025.yaml"))
    sim = Simulation(plan, 2025, [unit("x")])
    assert closing_day(sim.dates(date(2025, 11, 20))) == date(2026, 3, 16)  # the quarter-I review (15/03/2026 is a Sunday)
    early = Simulation(plan, 2025, [unit("x")], admin_dates={"annual_review": date(2025, 12, 15)})
    assert closing_day(early.dates(date(2025, 11, 20))) == date(2025, 12, 31)  # 30 days after Monday 01/12/2025


def test_messages_to_an_owner_carry_its_link_and_those_about_all_late_owners_none() -> None:
    url = "https://thidua.example.gov.vn/u/" + "x" * 110
    renderer = Renderer().with_links(lambda plan, year, code: url if code == "xa-loc-thai" else None)
    reminder = renderer.render(sample_context())
    assert url in reminder.text and f'<a href="{url}">' in reminder.html and reminder.template_data["link"] == url
    assert all(len(v) <= 100 for k, v in reminder.template_data.items() if k != "link")
    for kind in (MessageKind.escalation_agency, MessageKind.admin_alert):
        rendered = renderer.render(sample_context(kind=kind, unit_code=AGGREGATE_UNIT))
        assert "/u/" not in rendered.text and "link" not in rendered.template_data
    assert "/u/" not in Renderer().render(sample_context()).text  # no link maker: no link


def test_a_waiting_reminder_goes_out_with_the_new_link_after_a_revocation(sqlite_engine: Engine, point_app: Callable[..., None], tmp_path: Path) -> None:
    point_app(sqlite_engine, THIDUA_PLANS_DIR=str(portal_plans(tmp_path)), THIDUA_PUBLIC_URL="https://thidua.example.gov.vn", THIDUA_SECRET_KEYS="k")
    plan = find_plan(PLAN)
    with session_scope(sqlite_engine) as session:
        import_units(session, Path("plans/units/loc-ninh-2024-2025.csv"), PLAN, plan.group_names)
    day = date(2025, 11, 17)
    with session_scope(sqlite_engine) as session:
        from models.queries.cycle import load_state

        state = load_state(session, plan, YEAR, day)
        due = next(d for d in agenda(state).due if d.key.endswith("remind-14d") and d.key.startswith("ho_so"))
        work = batch(state, due)
        assert work is not None
        enqueue(session, [d for d in work.drafts if d.unit_code == UNIT], message_renderer(session), now=datetime(2025, 11, 17, 7, tzinfo=TZ))
        old = current_link(session, plan, YEAR, UNIT)
    with Session(sqlite_engine) as session:
        (row,) = session.exec(select(OutboxMessage)).all()
    assert old in row[0].body_text
    with session_scope(sqlite_engine) as session:
        revoke(session, plan, YEAR, UNIT, "quản trị viên thử", datetime(2025, 11, 17, 8, tzinfo=TZ))
        new = current_link(session, plan, YEAR, UNIT)
    rows = sqlite_engine.connect().execute(select(OutboxMessage.__table__)).all()  # type: ignore[attr-defined]
    (verdict,) = still_true(sqlite_engine)(rows, datetime(2025, 11, 17, 9, tzinfo=TZ)).values()
    assert verdict.rendered is not None and new in verdict.rendered.text and old not in verdict.rendered.text
    assert verdict.rendered.template_data["link"] == new and new != old
    assert get_settings().public_url and new.startswith("https://thidua.example.gov.vn/u/")
