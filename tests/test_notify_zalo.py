import datetime as dt
import threading
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from config import Settings
from models import OutboxMessage, OutboxStatus, ZaloToken
from models.types import utcnow
from notifications.channels.base import Masker
from notifications.channels.email import EmailChannel
from notifications.channels.zalo import TokenStore, ZaloChannel, bootstrap_token, next_morning, zns_phone
from notifications.devservers.smtp_sink import SmtpSink
from notifications.devservers.zalo_server import ZaloServer
from notifications.outbox import enqueue, send_due
from notifications.render import Renderer
from notifications.samples import sample_context
from thidua.cycle.drafts import Draft

SECRET = "app-secret-4f9a"
AT = dt.datetime(2025, 11, 28, 1, 0, tzinfo=dt.UTC)  # 08:00 on 28/11/2025: the sample reminder (deadline 01/12/2025) still holds
LATER = dt.date.today() + dt.timedelta(days=60)  # a deadline still ahead whatever day the tests run
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def zalo() -> Iterator[ZaloServer]:
    with ZaloServer(app_secret=SECRET, template_ids=("1001",)) as server:
        yield server


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as server:
        yield server


def settings(zalo: ZaloServer) -> Settings:
    return Settings(zalo_oauth_url=zalo.url, zalo_openapi_url=zalo.url, zalo_business_url=zalo.url, zalo_app_secret=SECRET, zalo_zns_template_id="1001")


def tokens(engine: Engine, zalo: ZaloServer) -> TokenStore:
    return TokenStore(engine, oa_id="demo-oa", app_id="demo-app", app_secret=lambda: SECRET, oauth_url=zalo.url, mask=Masker())


def channels(engine: Engine, zalo: ZaloServer, sink: SmtpSink | None = None, timeout: float = 5.0) -> dict:
    result: dict = {"zalo": ZaloChannel(tokens(engine, zalo), openapi_url=zalo.url, business_url=zalo.url, zns_template_id="1001", timeout=timeout)}
    if sink:
        result["email"] = EmailChannel(host="127.0.0.1", port=sink.port, mail_from="Thi đua <td@example.vn>")
    return result


def seed(engine: Engine, zalo: ZaloServer, recipients: list[str], at: dt.datetime | None = None) -> tuple[str, str]:
    """Tokens, and a reminder to each of `recipients` written at `at`: the sample's (2025) if given, else one still ahead."""
    access, refresh = zalo.issue_tokens()
    bootstrap_token(engine, settings(zalo), access, refresh, 90000)
    changes = {} if at else {"deadline": LATER}
    items = [
        Draft("loc-ninh", 2025, f"u{i}", "submission", "d-3", "zalo", to, sample_context(unit_code=f"u{i}", **changes), fallback=("email", f"u{i}@example.vn"))
        for i, to in enumerate(recipients)
    ]
    with Session(engine) as session:
        enqueue(session, items, Renderer(), now=at)
        session.commit()
    return access, refresh


def rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def token_row(engine: Engine) -> ZaloToken:
    with Session(engine) as session:
        return session.exec(select(ZaloToken)).one()


def test_zns_and_oa_messages_arrive_once_in_vietnamese(engine: Engine, zalo: ZaloServer) -> None:
    seed(engine, zalo, ["84912345678", "user:4242"], at=AT)
    assert send_due(engine, channels(engine, zalo), now=AT).sent == {"zalo": 2}
    assert send_due(engine, channels(engine, zalo), now=AT).sent == {}
    zns, oa = sorted(zalo.messages, key=lambda m: m.path)
    assert zns.recipient == "84912345678" and zns.template_data and zns.template_data["deadline"] == "Thứ Hai, 01/12/2025"
    assert zns.key == rows(engine)[0].message_id  # tracking_id is the deterministic key
    assert oa.recipient == "user:4242" and oa.text and "Hạn nộp hồ sơ đề nghị khen thưởng: Thứ Hai, 01/12/2025." in oa.text
    assert {r.provider_id for r in rows(engine)} == {"msg-1", "msg-2"}


def test_expired_token_is_refreshed_persisted_then_the_send_retried_once(engine: Engine, zalo: ZaloServer) -> None:
    _, first_refresh = seed(engine, zalo, ["84912345678"])
    zalo.expire_access_tokens()
    report = send_due(engine, channels(engine, zalo))
    assert report.sent == {"zalo": 1}
    assert zalo.refreshes == [(first_refresh, True)]
    stored = token_row(engine)
    assert stored.version == 1 and stored.refresh_token != first_refresh


@pytest.mark.parametrize(
    ("switch", "recipient"),
    [("invalid_phone", "84900000000"), ("not_follower", "user:77"), ("bad_phone_format", "0912")],
)
def test_recipient_errors_fail_the_row_and_fall_back_to_email(engine: Engine, zalo: ZaloServer, sink: SmtpSink, switch: str, recipient: str) -> None:
    zalo.faults.invalid_phones.add("84900000000")
    zalo.faults.non_followers.add("77")
    seed(engine, zalo, [recipient])
    report = send_due(engine, channels(engine, zalo, sink))
    assert report.failed == 1 and report.fallbacks == 1 and report.sent == {"email": 1}
    failed, fallback = rows(engine)
    assert failed.status == OutboxStatus.failed and failed.last_error
    assert fallback.channel == "email" and fallback.fallback_for == failed.id and fallback.status == OutboxStatus.sent
    assert [m.rcpt_tos for m in sink.messages] == [("u0@example.vn",)]
    assert sink.messages[0].parse()["Subject"] == failed.subject
    assert send_due(engine, channels(engine, zalo, sink)).fallbacks == 0 and len(sink.messages) == 1


@pytest.mark.parametrize(("switch", "days"), [("quota_exhausted", 1), ("outside_hours", 0)])
def test_quota_and_sending_hours_defer_the_whole_path_to_the_next_allowed_time(engine: Engine, zalo: ZaloServer, switch: str, days: int) -> None:
    setattr(zalo.faults, switch, True)
    seed(engine, zalo, ["84912345678", "84912345679", "84912345680"])
    before = utcnow()
    report = send_due(engine, channels(engine, zalo), now=before)
    assert report.deferred == 3 and report.failed == 0 and not zalo.messages
    expected = next_morning(before, days=days)
    assert expected.astimezone(LOCAL).time() == dt.time(7, 0)
    assert all(r.status == OutboxStatus.deferred and r.next_attempt_at == expected and r.attempts == 0 for r in rows(engine))
    setattr(zalo.faults, switch, False)
    assert send_due(engine, channels(engine, zalo), now=expected).sent == {"zalo": 3}


def test_server_errors_and_slow_responses_are_retried_with_backoff(engine: Engine, zalo: ZaloServer) -> None:
    seed(engine, zalo, ["84912345678"])
    zalo.faults.fail_5xx = 1
    now = utcnow()
    assert send_due(engine, channels(engine, zalo), now=now).retried == 1
    zalo.faults.delay_s = 0.5
    later = now + dt.timedelta(minutes=1, seconds=5)  # the backoff runs from when the failure was recorded
    assert send_due(engine, channels(engine, zalo, timeout=0.1), now=later).retried == 1
    (row,) = rows(engine)
    assert row.status == OutboxStatus.pending and row.attempts == 2
    assert later + dt.timedelta(minutes=2) < row.next_attempt_at < later + dt.timedelta(minutes=2, seconds=5)
    assert "Timeout" in (row.last_error or "")
    zalo.faults.delay_s = 0.0
    assert send_due(engine, channels(engine, zalo), now=row.next_attempt_at).sent == {"zalo": 1}


def test_template_not_approved_stops_the_batch_and_keeps_rows_pending(engine: Engine, zalo: ZaloServer) -> None:
    zalo.faults.template_approved = False
    seed(engine, zalo, [f"849123456{i:02d}" for i in range(20)])
    report = send_due(engine, channels(engine, zalo))
    assert report.stopped and "-131" in report.stopped and report.sent == {}
    assert {r.status for r in rows(engine)} == {OutboxStatus.pending}
    assert len([r for r in rows(engine) if r.attempts]) <= 8  # only the requests already in flight were tried


def test_a_refused_refresh_stops_the_channel_with_secrets_masked(engine: Engine, zalo: ZaloServer) -> None:
    _, refresh = seed(engine, zalo, ["84912345678"])
    zalo._refresh.clear()  # the refresh token was revoked: an administrator must re-authorise
    zalo.expire_access_tokens()
    report = send_due(engine, channels(engine, zalo))
    assert report.stopped and "làm mới token" in report.stopped
    assert refresh not in report.stopped and SECRET not in report.stopped and "***" in report.stopped
    assert rows(engine)[0].status == OutboxStatus.pending and refresh not in (rows(engine)[0].last_error or "")


def test_two_concurrent_refreshers_spend_the_refresh_token_exactly_once(engine: Engine, zalo: ZaloServer) -> None:
    _, first_refresh = seed(engine, zalo, [])
    stores = [tokens(engine, zalo), tokens(engine, zalo)]
    start = threading.Barrier(2)
    results: list = []

    def refresh(store: TokenStore) -> None:
        start.wait()
        results.append(store.refresh(seen_version=0))

    threads = [threading.Thread(target=refresh, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert zalo.refreshes == [(first_refresh, True)] and zalo.reused_refresh_tokens() == []
    assert results[0] == results[1] and results[0].version == 1
    assert token_row(engine).refresh_token == results[0].refresh_token


def test_two_senders_with_an_expired_token_refresh_once_and_send_each_message_once(engine: Engine, zalo: ZaloServer) -> None:
    seed(engine, zalo, [f"849123456{i:02d}" for i in range(40)])
    zalo.expire_access_tokens()
    start = threading.Barrier(2)

    def work(name: str) -> None:
        start.wait()
        send_due(engine, channels(engine, zalo), worker=name, batch_size=5)

    threads = [threading.Thread(target=work, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(zalo.refreshes) == 1 and zalo.reused_refresh_tokens() == []
    assert sorted(m.key for m in zalo.messages) == sorted(r.message_id for r in rows(engine))


def test_phone_numbers_are_normalised_for_zns() -> None:
    assert zns_phone("0912 345 678") == zns_phone("+84912345678") == "84912345678"
    with pytest.raises(ValueError):
        zns_phone("12345")
