"""Zalo's token endpoint down or a refresh token revoked (issue 11, Deliver 2): transient errors are retried with
backoff and are not a reason to re-authorise; a refused refresh is recorded and never repeated."""

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from test_notify_zalo import SECRET, seed, settings

from models import OutboxMessage, OutboxStatus, ZaloToken
from notifications.channels.base import Masker, SendRate
from notifications.channels.zalo import TokenStore, ZaloChannel, bootstrap_token
from notifications.devservers.zalo_server import ZaloServer
from notifications.outbox import send_due

IN_FLIGHT = 8  # the channel's concurrency: messages that meet an expired token at once


@pytest.fixture
def zalo() -> Iterator[ZaloServer]:
    with ZaloServer(app_secret=SECRET, template_ids=("1001",)) as server:
        yield server


def zalo_channel(engine: Engine, zalo: ZaloServer, rate: SendRate | None = None) -> ZaloChannel:
    store = TokenStore(engine, oa_id="demo-oa", app_id="demo-app", app_secret=lambda: SECRET, oauth_url=zalo.url, mask=Masker(), retry_wait_s=0.01)
    return ZaloChannel(store, openapi_url=zalo.url, business_url=zalo.url, zns_template_id="1001", concurrency=IN_FLIGHT, rate=rate)


def rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def phones(count: int) -> list[str]:
    return [f"849123456{i:02d}" for i in range(count)]


def test_a_token_endpoint_503_is_retried_with_backoff_and_the_batch_goes_out(engine: Engine, zalo: ZaloServer) -> None:
    seed(engine, zalo, phones(IN_FLIGHT))
    zalo.expire_access_tokens()
    zalo.faults.token_5xx = 1
    report = send_due(engine, {"zalo": zalo_channel(engine, zalo)})
    assert report.sent == {"zalo": IN_FLIGHT} and not report.stopped
    assert zalo.token_outages == 1 and len(zalo.refreshes) == 1 and zalo.reused_refresh_tokens() == []


def test_a_token_endpoint_that_stays_down_defers_the_channel_without_asking_to_reauthorise(engine: Engine, zalo: ZaloServer) -> None:
    seed(engine, zalo, phones(IN_FLIGHT))
    zalo.expire_access_tokens()
    zalo.faults.token_5xx = 100
    report = send_due(engine, {"zalo": zalo_channel(engine, zalo)})
    assert report.stopped and "tạm thời lỗi (HTTP 503)" in report.stopped and "cấp quyền lại" not in report.stopped
    assert zalo.token_outages == 3  # one refresh, three tries, for all the messages in flight together
    assert {(r.status, r.attempts) for r in rows(engine)} == {(OutboxStatus.pending, 0)}
    with Session(engine) as session:
        assert session.exec(select(ZaloToken)).one().refresh_error is None  # the token is still good
    zalo.faults.token_5xx = 0
    assert send_due(engine, {"zalo": zalo_channel(engine, zalo)}).sent == {"zalo": IN_FLIGHT}


def test_a_revoked_refresh_token_is_presented_once_then_recorded_until_a_new_pair_is_stored(engine: Engine, zalo: ZaloServer) -> None:
    seed(engine, zalo, phones(IN_FLIGHT))
    zalo.expire_access_tokens()
    zalo.revoke_refresh_tokens()
    for _ in range(2):  # two runs, each with every message in flight
        report = send_due(engine, {"zalo": zalo_channel(engine, zalo)})
        assert report.stopped and "cấp quyền lại" in report.stopped and SECRET not in report.stopped
    assert len(zalo.refreshes) == 1 and zalo.refreshes[0][1] is False  # never presented a second time
    assert {(r.status, r.attempts) for r in rows(engine)} == {(OutboxStatus.pending, 0)}
    bootstrap_token(engine, settings(zalo), *zalo.issue_tokens(), 90000)  # the administrator authorises again
    assert send_due(engine, {"zalo": zalo_channel(engine, zalo)}).sent == {"zalo": IN_FLIGHT}


def test_the_zalo_send_rate_is_capped(engine: Engine, zalo: ZaloServer) -> None:
    seed(engine, zalo, phones(30))
    started = time.monotonic()
    assert send_due(engine, {"zalo": zalo_channel(engine, zalo, SendRate(20))}).sent == {"zalo": 30}
    assert time.monotonic() - started >= 0.45  # a burst of 20, then 10 more at 20 a second
