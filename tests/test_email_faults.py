"""Every SMTP outcome classified (issue 11, Deliver 2): only a 5xx to RCPT TO fails a message; the server's or the
configuration's problems stop the channel and leave the messages waiting, uncharged, with the reason."""

import datetime as dt
import ssl
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from test_notify_email import _tls_context

from models import OutboxMessage, OutboxStatus
from notifications.channels.base import SendRate
from notifications.channels.email import EmailChannel, tls_context
from notifications.devservers.smtp_sink import SmtpSink
from notifications.outbox import enqueue, send_due
from notifications.render import Renderer
from notifications.samples import sample_context
from thidua.cycle.drafts import Draft

AT = dt.datetime(2025, 11, 28, 1, 0, tzinfo=dt.UTC)


def write(engine: Engine, count: int) -> None:
    items = [Draft("p", 2025, f"u{i}", "submission", "d-1", "email", f"u{i}@example.vn", sample_context(unit_code=f"u{i}")) for i in range(count)]
    with Session(engine) as session:
        enqueue(session, items, Renderer(), now=AT - dt.timedelta(minutes=1))
        session.commit()


def rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def channel(port: int, **options: object) -> EmailChannel:
    return EmailChannel(host="127.0.0.1", port=port, mail_from="Thi đua <td@example.vn>", timeout=5, retry_wait_s=0.01, **options)  # type: ignore[arg-type]


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as server:
        yield server


def assert_waiting_uncharged(engine: Engine, reason: str) -> None:
    for row in rows(engine):
        assert (row.status, row.attempts) == (OutboxStatus.pending, 0) and reason in (row.last_error or ""), row


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("auth_required", "530"),  # 530 Authentication required: the server's policy, not the recipient's
        ("sender_refused", "553"),  # MAIL FROM 5xx
        ("unavailable", "421"),  # 421 service not available
    ],
)
def test_a_server_wide_refusal_stops_the_channel_and_charges_no_message(engine: Engine, sink: SmtpSink, fault: str, reason: str) -> None:
    write(engine, 6)
    setattr(sink.faults, fault, True)
    report = send_due(engine, {"email": channel(sink.port)}, now=AT)
    assert report.stopped and reason in report.stopped and report.failed == 0 and report.sent == {}
    assert report.problems() and report.problems()[0].startswith("Dừng gửi qua kênh email")
    assert_waiting_uncharged(engine, reason)
    setattr(sink.faults, fault, False)
    assert send_due(engine, {"email": channel(sink.port)}, now=AT + dt.timedelta(minutes=1)).sent == {"email": 6}


def test_only_a_refused_recipient_fails_and_is_listed_a_greylisted_one_waits(engine: Engine, sink: SmtpSink) -> None:
    write(engine, 4)
    sink.faults.refused_recipients.add("u1@example.vn")
    sink.faults.greylisted_recipients.add("u2@example.vn")
    report = send_due(engine, {"email": channel(sink.port)}, now=AT)
    assert report.sent == {"email": 2} and report.failed == 1 and report.retried == 1 and not report.stopped
    assert len(report.refused) == 1 and "u1@example.vn" in report.refused[0] and "550" in report.refused[0]
    assert len(report.errors) == 1 and "u2@example.vn" in report.errors[0]
    by_unit = {row.unit_code: row for row in rows(engine)}
    assert by_unit["u1"].status == OutboxStatus.failed
    assert by_unit["u2"].status == OutboxStatus.pending and by_unit["u2"].attempts == 1 and "450" in (by_unit["u2"].last_error or "")


def test_content_refused_at_data_waits_with_its_error(engine: Engine, sink: SmtpSink) -> None:
    write(engine, 2)
    sink.faults.data_refused = True
    report = send_due(engine, {"email": channel(sink.port)}, now=AT)
    assert report.failed == 0 and report.retried == 2 and not report.stopped
    assert all(r.status == OutboxStatus.pending and "554" in (r.last_error or "") for r in rows(engine))


def test_a_wrong_password_costs_one_login_per_run(engine: Engine) -> None:
    write(engine, 12)
    with SmtpSink(credentials=("thidua", "đúng")) as sink:
        wrong = channel(sink.port, username="thidua", password="sai-mat-khau", connections=4)
        report = send_due(engine, {"email": wrong}, now=AT, batch_size=3)
        assert sink.logins == [("thidua", False)]  # one connection, one mechanism, one batch: the channel stopped
    assert report.stopped and "từ chối đăng nhập" in report.stopped and "sai-mat-khau" not in report.stopped
    assert {(r.status, r.attempts) for r in rows(engine)} == {(OutboxStatus.pending, 0)}
    assert sum("535" in (r.last_error or "") for r in rows(engine)) == 3  # the one batch tried; the others never claimed


def test_a_server_without_auth_while_a_username_is_set_is_a_configuration_error(engine: Engine, sink: SmtpSink) -> None:
    write(engine, 2)
    report = send_due(engine, {"email": channel(sink.port, username="thidua", password="x")}, now=AT)
    assert report.stopped and "không hỗ trợ đăng nhập (AUTH)" in report.stopped
    assert_waiting_uncharged(engine, "THIDUA_SMTP_USERNAME")


def test_tls_required_and_certificates_are_configuration_errors_and_a_ca_file_fixes_them(sqlite_engine: Engine, tmp_path) -> None:
    server_ctx, _ = _tls_context(tmp_path)
    write(sqlite_engine, 2)
    with SmtpSink(starttls_context=server_ctx) as sink:
        plain = send_due(sqlite_engine, {"email": channel(sink.port)}, now=AT)
        assert plain.stopped and "530" in plain.stopped  # the server requires STARTTLS first
        unknown_ca = send_due(sqlite_engine, {"email": channel(sink.port, tls="starttls", tls_context=tls_context())}, now=AT + dt.timedelta(minutes=1))
        assert unknown_ca.stopped and "lỗi TLS" in unknown_ca.stopped and "THIDUA_SMTP_CA_FILE" in unknown_ca.stopped
        assert_waiting_uncharged(sqlite_engine, "TLS")
        trusted = channel(sink.port, tls="starttls", tls_context=tls_context(tmp_path / "cert.pem"))
        assert send_due(sqlite_engine, {"email": trusted}, now=AT + dt.timedelta(minutes=2)).sent == {"email": 2}


def test_tls_verification_can_be_turned_off_for_a_test_server(sqlite_engine: Engine, tmp_path) -> None:
    server_ctx, _ = _tls_context(tmp_path)
    write(sqlite_engine, 1)
    unverified = tls_context(verify=False)
    assert unverified.verify_mode == ssl.CERT_NONE and tls_context().verify_mode == ssl.CERT_REQUIRED
    with SmtpSink(starttls_context=server_ctx) as sink:
        assert send_due(sqlite_engine, {"email": channel(sink.port, tls="starttls", tls_context=unverified)}, now=AT).sent == {"email": 1}


def test_an_outage_longer_than_any_retry_budget_fails_nothing(engine: Engine) -> None:
    """20 runs with the server down (the old budget was 8 attempts): every message still waits, then goes."""
    write(engine, 5)
    down = SmtpSink()  # port reserved, nothing listening
    for day in range(20):
        report = send_due(engine, {"email": channel(down.port, connect_attempts=1)}, now=AT + dt.timedelta(hours=2 * day))
        assert report.stopped and report.failed == 0
    assert_waiting_uncharged(engine, "không kết nối được")
    with down:
        back = send_due(engine, {"email": channel(down.port)}, now=AT + dt.timedelta(days=2))
    assert back.sent == {"email": 5} and Counter(m.rcpt_tos[0] for m in down.messages) == {f"u{i}@example.vn": 1 for i in range(5)}


def test_the_send_rate_is_capped(sqlite_engine: Engine, sink: SmtpSink) -> None:
    write(sqlite_engine, 30)
    started = time.monotonic()
    report = send_due(sqlite_engine, {"email": channel(sink.port, rate=SendRate(20))}, now=AT)
    assert report.sent == {"email": 30}
    assert time.monotonic() - started >= 0.45  # a burst of 20, then 10 more at 20 a second
