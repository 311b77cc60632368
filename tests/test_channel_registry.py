"""A channel is one transport plus one registry entry: a test-only SMS channel goes through plan validation,
drafting, the outbox and the sender without touching any other module."""

from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
from cycle_sim import Simulation, unit
from sqlalchemy import Engine
from sqlmodel import Session, select

from config import Settings
from models import OutboxMessage, OutboxStatus
from notifications.channels import build_channels
from notifications.channels.base import Delivery, DeliveryResult, Lease, Outgoing
from notifications.outbox import enqueue, send_due
from notifications.render import Renderer
from thidua.channels import REGISTRY, ChannelSpec, register
from thidua.dates import TZ
from thidua.errors import InvalidInput
from thidua.plan.parse import parse_plan

PLAN_TEXT = Path("plans/loc-ninh-2024-2025.yaml").read_text()


class SmsTransport:
    """Accepts every message and keeps it."""

    def __init__(self) -> None:
        self.received: list[Outgoing] = []

    async def deliver(self, messages: Sequence[Outgoing], lease: Lease) -> AsyncIterator[DeliveryResult]:
        for message in messages:
            if not await lease.begin(message):
                yield DeliveryResult(message.id, Delivery.skipped)
                continue
            self.received.append(message)
            yield DeliveryResult(message.id, Delivery.sent, provider_id=f"sms-{message.id}")


TRANSPORT = SmsTransport()


def build_sms(settings: Settings, engine: Engine) -> SmsTransport:
    return TRANSPORT


@pytest.fixture
def sms() -> Iterator[None]:
    register(ChannelSpec("sms", "SMS", lambda person: person.phone, "test_channel_registry:build_sms", fallback="email"))
    TRANSPORT.received.clear()
    yield
    del REGISTRY["sms"]


def test_a_plan_may_name_only_registered_channels() -> None:
    with pytest.raises(InvalidInput) as error:
        parse_plan(PLAN_TEXT.replace("channels: [email, zalo]", "channels: [email, sms]"), "p.yaml")
    (problem,) = error.value.errors
    assert (problem.field, problem.value) == ("channels[1]", "sms") and "kênh chưa đăng ký" in problem.reason


def test_a_registered_channel_is_drafted_queued_and_sent(sms: None, sqlite_engine: Engine) -> None:
    plan = parse_plan(PLAN_TEXT.replace("channels: [email, zalo]", "channels: [email, sms]"), "p.yaml")
    sim = Simulation(plan, 2025, [unit("a", phone="84912345678"), unit("b")])
    sim.run(date(2025, 1, 2))
    (draft,) = [d for d in sim.drafts if d.channel == "sms"]
    assert (draft.unit_code, draft.recipient, draft.fallback) == ("a", "84912345678", ("email", "a@example.vn"))
    sending_day = datetime(2025, 1, 2, 8, tzinfo=TZ)  # the launch notice is true until the year's last deadline
    with Session(sqlite_engine) as session:
        assert enqueue(session, sim.drafts, Renderer(), now=sending_day) == 3
        session.commit()
    report = send_due(sqlite_engine, build_channels(Settings(), sqlite_engine, only=["sms"]), now=sending_day)
    assert report.sent == {"sms": 1} and [m.recipient for m in TRANSPORT.received] == ["84912345678"]
    with Session(sqlite_engine) as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.channel == "sms")).one()
    assert row.status == OutboxStatus.sent and row.provider_id.startswith("sms-")
