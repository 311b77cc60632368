import json
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

import cli.notify as cli
from config import get_settings
from models import OutboxMessage, OutboxStatus
from notifications.channels.zalo import bootstrap_token
from notifications.devservers.smtp_sink import SmtpSink
from notifications.devservers.zalo_server import ZaloServer
from notifications.outbox import enqueue
from notifications.render import Renderer
from notifications.samples import sample_context
from thidua.cycle.drafts import Draft

runner = CliRunner()


@pytest.fixture
def db(sqlite_engine: Engine, point_app: Callable[..., None]) -> Engine:
    point_app(sqlite_engine)
    return sqlite_engine


def seed(engine: Engine) -> list[int]:
    later = date.today() + timedelta(days=60)  # a deadline still ahead, so that the reminders still hold when sent
    items = [Draft("p", 2025, f"u{i}", "submission", "d-1", "email", f"u{i}@example.vn", sample_context(unit_code=f"u{i}", deadline=later)) for i in range(3)]
    with Session(engine) as session:
        enqueue(session, items, Renderer())
        session.commit()
        rows = list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))
        rows[0].status, rows[0].last_error = OutboxStatus.failed, "550 hộp thư không tồn tại"
        rows[1].status = OutboxStatus.sent
        session.add_all(rows)
        session.commit()
        return [row.id for row in rows]  # type: ignore[misc]


def all_rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_outbox_list_filters_by_status_and_prints_json(db: Engine) -> None:
    failed, _, _ = seed(db)
    result = runner.invoke(cli.outbox_app, ["list", "--status", "failed", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [item["id"] for item in listed] == [failed] and listed[0]["last_error"] == "550 hộp thư không tồn tại"
    text = runner.invoke(cli.outbox_app, ["list"]).output
    assert "[sent]" in text and "[failed]" in text and "lần thử tới" in text


def test_outbox_retry_requeues_failed_rows_but_never_a_sent_one(db: Engine, point_app: Callable[..., None]) -> None:
    failed, sent, _ = seed(db)
    result = runner.invoke(cli.outbox_app, ["retry", "--id", str(sent)])
    assert "Đã đưa 0 tin" in result.output
    with SmtpSink() as sink:
        point_app(db, THIDUA_SMTP_PORT=str(sink.port))
        result = runner.invoke(cli.outbox_app, ["retry", "--send"])
    assert result.exit_code == 0, result.output
    assert "Đã đưa 1 tin" in result.output and "Đã gửi 2 (email 2)" in result.output
    assert sorted(m.rcpt_tos[0] for m in sink.messages) == ["u0@example.vn", "u2@example.vn"]


def test_notify_test_sends_through_each_channel(db: Engine, point_app: Callable[..., None]) -> None:
    with SmtpSink() as sink, ZaloServer(app_secret="s3cret") as zalo:
        point_app(
            db, THIDUA_SMTP_PORT=str(sink.port), THIDUA_ZALO_OAUTH_URL=zalo.url, THIDUA_ZALO_OPENAPI_URL=zalo.url,
            THIDUA_ZALO_BUSINESS_URL=zalo.url, THIDUA_ZALO_APP_SECRET="s3cret", THIDUA_ZALO_ZNS_TEMPLATE_ID="1001",
        )
        bootstrap_token(db, get_settings(), *zalo.issue_tokens(), 90000)
        email = runner.invoke(cli.notify_app, ["test", "--channel", "email", "--to", "admin@example.vn"])
        phone = runner.invoke(cli.notify_app, ["test", "--channel", "zalo", "--to", "0912 345 678"])
        zalo.faults.non_followers.add("9")
        refused = runner.invoke(cli.notify_app, ["test", "--channel", "zalo", "--to", "user:9"])
    assert email.exit_code == 0 and "đã gửi" in email.output
    assert "[THỬ NGHIỆM]" in sink.messages[0].parse()["Subject"]
    assert phone.exit_code == 0 and zalo.messages[0].recipient == "84912345678"
    assert refused.exit_code == 1 and "-213" in refused.output


def test_outbox_retry_of_an_unknown_id_names_it_and_changes_nothing(db: Engine) -> None:
    failed, sent, _ = seed(db)
    before = [(row.id, row.status, row.attempts, row.next_attempt_at) for row in all_rows(db)]
    result = runner.invoke(cli.outbox_app, ["retry", "--id", str(failed), "--id", "999", "--id", "998"])
    assert result.exit_code == 2
    assert "#998, #999" in result.stderr and "Không có tin nào" in result.stderr and "Đã đưa" not in result.stdout
    assert [(row.id, row.status, row.attempts, row.next_attempt_at) for row in all_rows(db)] == before
    kept = runner.invoke(cli.outbox_app, ["retry", "--id", str(failed), "--id", str(sent)])
    assert kept.exit_code == 0 and "Đã đưa 1 tin" in kept.stdout and f"#{sent} (đã gửi)" in kept.stderr


def test_outbox_list_rejects_an_unknown_status_in_vietnamese(db: Engine) -> None:
    result = runner.invoke(cli.outbox_app, ["list", "--status", "bogus"])
    assert result.exit_code == 2
    assert "Trạng thái không hợp lệ: 'bogus'" in result.stderr and "failed (lỗi)" in result.stderr
    assert "is not one of" not in result.output
