import datetime as dt
import ssl
import threading
from collections import Counter

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from models import OutboxMessage, OutboxStatus
from notifications.channels.email import EmailChannel, message_id
from notifications.devservers.smtp_sink import SmtpSink, read_store
from notifications.outbox import enqueue, message_key, send_due
from notifications.render import Renderer
from notifications.samples import sample_context
from thidua.cycle.drafts import Draft

RENDERER = Renderer()
AT = dt.datetime(2025, 11, 28, 1, 0, tzinfo=dt.UTC)  # 08:00 on 28/11/2025: the sample reminder (deadline 01/12/2025) still holds
MAIL_FROM = "Thi đua CCHC Lộc Ninh <thidua@locninh.example.vn>"


def drafts(count: int) -> list[Draft]:
    return [
        Draft("loc-ninh", 2025, f"u{i}", "submission", "d-3", "email", f"u{i}@example.vn", sample_context(unit_code=f"u{i}", unit_name=f"UBND xã số {i}"))
        for i in range(count)
    ]


def write(engine: Engine, items: list[Draft]) -> int:
    """Write `items`, due a minute before `AT`."""
    with Session(engine) as session:
        new = enqueue(session, items, RENDERER, now=AT - dt.timedelta(minutes=1))
        session.commit()
    return new


def channel(port: int, **options: object) -> EmailChannel:
    return EmailChannel(host="127.0.0.1", port=port, mail_from=MAIL_FROM, timeout=5, retry_wait_s=0.01, **options)  # type: ignore[arg-type]


def statuses(engine: Engine) -> Counter[str]:
    with Session(engine) as session:
        return Counter(str(row.status) for row in session.exec(select(OutboxMessage)))


def test_smtp_round_trip_in_vietnamese_and_a_rerun_sends_nothing(engine: Engine, tmp_path) -> None:
    assert write(engine, drafts(3)) == 3
    with SmtpSink(store=tmp_path) as sink:
        report = send_due(engine, {"email": channel(sink.port)}, now=AT)
        assert report.sent == {"email": 3}
        assert write(engine, drafts(3)) == 0
        assert send_due(engine, {"email": channel(sink.port)}, now=AT).sent == {}
    assert len(sink.messages) == 3 and len(read_store(tmp_path)) == 3
    mail = next(m for m in sink.messages if m.rcpt_tos == ("u1@example.vn",))
    assert b"Subject: =?utf-8?" in mail.data  # RFC 2047 on the wire
    parsed = mail.parse()
    assert parsed["Subject"] == "[Nhắc hạn] UBND xã số 1: còn 3 ngày đến hạn nộp hồ sơ đề nghị khen thưởng (01/12/2025)"
    assert parsed["From"].addresses[0].display_name == "Thi đua CCHC Lộc Ninh"
    text = parsed.get_body(("plain",)).get_content()
    assert "Hạn nộp hồ sơ đề nghị khen thưởng: Thứ Hai, 01/12/2025." in text
    assert "Thứ Hai, 01/12/2025" in parsed.get_body(("html",)).get_content()
    expected_id = message_id(message_key("loc-ninh", 2025, "u1", "submission", "d-3", "email"), MAIL_FROM)
    assert parsed["Message-ID"] == expected_id == "<" + message_key("loc-ninh", 2025, "u1", "submission", "d-3", "email") + "@locninh.example.vn>"
    with Session(engine) as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.unit_code == "u1")).one()
    assert row.status == OutboxStatus.sent and row.provider_id and row.sent_at and row.attempts == 1


def test_smtp_down_keeps_rows_waiting_uncharged_and_sends_each_once_when_back(engine: Engine) -> None:
    """A server that cannot be reached is the channel's problem (issue 11): the channel stops for the run, the rows
    wait with the reason, their attempts unchanged, due again at the next run (this used to charge an attempt each)."""
    write(engine, drafts(5))
    sink = SmtpSink()  # port reserved, server not started: connection refused
    now = AT
    report = send_due(engine, {"email": channel(sink.port)}, now=now)
    assert report.sent == {} and report.retried == 0 and report.failed == 0
    assert report.stopped and "không kết nối được máy chủ SMTP" in report.stopped
    with Session(engine) as session:
        rows = list(session.exec(select(OutboxMessage)))
    assert all(r.status == OutboxStatus.pending and r.attempts == 0 and r.next_attempt_at <= now + dt.timedelta(seconds=30) and r.last_error for r in rows)
    with sink:
        report = send_due(engine, {"email": channel(sink.port)}, now=now + dt.timedelta(minutes=5))
    assert report.sent == {"email": 5}
    assert sorted(m.rcpt_tos[0] for m in sink.messages) == sorted(f"u{i}@example.vn" for i in range(5))
    assert statuses(engine) == {"sent": 5}


def test_two_workers_at_once_send_every_row_exactly_once(engine: Engine) -> None:
    write(engine, drafts(120))
    with SmtpSink() as sink:
        start = threading.Barrier(2)

        def work(name: str) -> None:
            start.wait()
            send_due(engine, {"email": channel(sink.port, connections=2)}, worker=name, batch_size=10, now=AT)

        threads = [threading.Thread(target=work, args=(name,)) for name in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert Counter(Counter(sink.message_ids()).values()) == {1: 120}
    assert statuses(engine) == {"sent": 120}


def _tls_context(tmp_path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cafile=str(cert_file))
    return server, client


@pytest.mark.parametrize("mode", ["starttls", "implicit"])
def test_tls_and_authentication(sqlite_engine: Engine, tmp_path, mode: str) -> None:
    server_ctx, client_ctx = _tls_context(tmp_path)
    tls = {"starttls_context": server_ctx} if mode == "starttls" else {"implicit_tls_context": server_ctx}
    write(sqlite_engine, drafts(2))
    with SmtpSink(credentials=("thidua", "đúng-mật-khẩu"), **tls) as sink:  # type: ignore[arg-type]
        wrong = channel(sink.port, tls=mode, tls_context=client_ctx, username="thidua", password="sai-mat-khau-123")
        report = send_due(sqlite_engine, {"email": wrong}, now=AT)
        assert report.stopped and "từ chối đăng nhập" in report.stopped and "sai-mat-khau-123" not in report.stopped
        assert statuses(sqlite_engine) == {"pending": 2} and not sink.messages
        right = channel(sink.port, tls=mode, tls_context=client_ctx, username="thidua", password="đúng-mật-khẩu")
        assert send_due(sqlite_engine, {"email": right}, now=AT + dt.timedelta(minutes=1)).sent == {"email": 2}
    assert len(sink.messages) == 2
