"""The administrator is told (issue 11, Deliver 6): alerts once a day per problem through a working channel, the
outbox lists messages waiting with errors, and Zalo tokens never travel as command-line arguments."""

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

import cli.notify as cli
from cli import app
from models import OutboxMessage, OutboxStatus, ZaloToken
from notifications.outbox import SendReport, enqueue
from notifications.render import Renderer
from notifications.samples import sample_context
from services.alerts import enqueue_alerts
from thidua.cycle.drafts import ALERT_MILESTONE, Draft

runner = CliRunner()
DAY = dt.date(2025, 11, 28)


def test_the_report_names_each_problem_once_by_a_stable_key() -> None:
    report = SendReport(down={"email": "máy chủ SMTP từ chối đăng nhập: 535"}, refused=["#1 email → a@x.vn (u1): 550"], errors=["#2 …", "#3 …"])
    issues = report.issues()
    assert list(issues) == ["stopped-email", "refused", "errors"]
    assert issues["stopped-email"] == "Dừng gửi qua kênh email: máy chủ SMTP từ chối đăng nhập: 535"
    assert issues["errors"].startswith("2 tin gặp lỗi tạm thời") and SendReport().problems() == []


def test_an_alert_goes_to_the_standing_agency_through_a_working_channel_once_a_day(app_engine: Engine) -> None:
    issues = {"stopped-zalo": "Dừng gửi qua kênh zalo: token bị thu hồi", "refused": "1 tin bị người nhận từ chối"}
    with Session(app_engine) as session:
        first = enqueue_alerts(session, DAY, issues, down=["zalo"])
        again = enqueue_alerts(session, DAY, issues, down=["zalo"])  # a re-run of the day: nothing new
        session.commit()
        alerts = list(session.exec(select(OutboxMessage).where(OutboxMessage.milestone == ALERT_MILESTONE)))
    plans = {a.plan for a in alerts}
    assert first == 2 * len(plans) and again == 0 and plans
    assert {a.channel for a in alerts} == {"email"}  # not through Zalo, which stopped
    alert = next(a for a in alerts if a.step == "alert-2025-11-28-stopped-zalo")
    assert "token bị thu hồi" in alert.body_text and "thidua outbox list --status waiting" in alert.body_text
    assert alert.subject.startswith("[Cảnh báo]") and "28/11/2025" in alert.subject


def test_outbox_list_shows_messages_waiting_with_errors(sqlite_engine: Engine, point_app: Callable[..., None]) -> None:
    point_app(sqlite_engine)
    later = dt.date.today() + dt.timedelta(days=60)
    items = [Draft("p", 2025, f"u{i}", "m", "s", "email", f"u{i}@example.vn", sample_context(unit_code=f"u{i}", deadline=later)) for i in range(3)]
    with Session(sqlite_engine) as session:
        enqueue(session, items, Renderer())
        session.commit()
        rows = list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))
        rows[0].last_error = "không kết nối được máy chủ SMTP"  # waiting after an outage, attempts unchanged
        rows[1].status, rows[1].last_error = OutboxStatus.failed, "550 không có hộp thư"
        session.add_all(rows)
        session.commit()
        waiting_id = rows[0].id
    result = runner.invoke(cli.outbox_app, ["list", "--status", "waiting", "--json"])
    assert result.exit_code == 0, result.output
    assert [item["id"] for item in json.loads(result.output)] == [waiting_id]
    assert "waiting (chờ gửi lại sau lỗi)" in runner.invoke(cli.outbox_app, ["list", "--status", "x"]).stderr


def test_zalo_tokens_are_read_from_a_file_or_standard_input_never_from_arguments(app_engine: Engine, tmp_path: Path) -> None:
    answer = tmp_path / "token.json"
    answer.write_text(json.dumps({"access_token": "acc-f", "refresh_token": "ref-f", "expires_in": "7200"}))
    result = runner.invoke(app, ["notify", "zalo-token", "--from-file", str(answer)])
    assert result.exit_code == 0 and "còn hiệu lực 2 giờ" in result.stdout
    with Session(app_engine) as session:
        token = session.exec(select(ZaloToken)).one()
    assert (token.access_token, token.refresh_token) == ("acc-f", "ref-f")
    assert runner.invoke(app, ["notify", "zalo-token", "--access", "acc"]).exit_code == 2  # no such option
    empty = runner.invoke(app, ["notify", "zalo-token"], input="chỉ một dòng\n")
    assert empty.exit_code == 2 and "Không đọc được cặp token từ đầu vào chuẩn" in empty.stderr
