"""Sending under faults, each with a real sender process (`thidua outbox retry --send`) and a real SMTP or Zalo
server on 127.0.0.1: killed (SIGKILL) or paused (SIGSTOP past the claim timeout) mid-batch, two at once, SMTP down
longer than any retry budget or asking for a login, the database's connections cut mid-batch, Zalo's token
endpoint answering 503 and a revoked token."""

import json
import os
import signal
import time

import psycopg

from faults.harness import (
    PG_ADMIN_URL,
    Outcome,
    Workspace,
    delivery_counts,
    in_flight,
    mail_keys,
    outbox_rows,
    write_messages,
)
from notifications.devservers import wait_until
from notifications.devservers.smtp_sink import SmtpSink
from notifications.devservers.zalo_server import ZaloServer

SEND = ("outbox", "retry", "--send")


def _sink(space: Workspace, delay_s: float = 0.0, **switches: object) -> SmtpSink:
    sink = SmtpSink().start()
    sink.control({"delay_s": delay_s, **switches})
    space.env["THIDUA_SMTP_PORT"] = str(sink.port)
    return sink


def _settle(space: Workspace, outcome: Outcome, sink: SmtpSink) -> None:
    """Count what was lost and repeated; every row must have been sent."""
    outcome.lost, outcome.duplicated = delivery_counts(space.engine, mail_keys(sink.message_ids()))
    unsent = [row.id for row in outbox_rows(space.engine) if row.status != "sent"]
    outcome.check(outcome.lost == 0 and not unsent, f"{outcome.lost} lost, rows not sent: {unsent[:5]}")


def killed_mid_batch(space: Workspace, outcome: Outcome, count: int = 300) -> None:
    """kill -9 of a sender mid-batch; the next sender repeats at most the messages the dead one had in flight."""
    write_messages(space.engine, count)
    sink = _sink(space, delay_s=0.02)
    try:
        sender = space.start(SEND)
        outcome.check(wait_until(lambda: len(sink.messages) >= count // 3, 60), "the sender never got a third of the way")
        os.kill(sender.pid, signal.SIGKILL)
        outcome.count(space.finish(sender))
        outcome.duplicated_bound = in_flight(space.engine)
        outcome.note(f"tiến trình gửi bị kill -9 sau {len(sink.messages)}/{count} thư; {outcome.duplicated_bound} thư đang gửi dở")
        outcome.count(space.thidua(*SEND))
        _settle(space, outcome, sink)
        outcome.check(outcome.duplicated <= outcome.duplicated_bound, f"{outcome.duplicated} repeats > {outcome.duplicated_bound} in flight")
    finally:
        sink.stop()


def paused_past_claim_timeout(space: Workspace, outcome: Outcome, count: int = 200, timeout_s: float = 3.0) -> None:
    """A sender stopped (SIGSTOP) longer than the claim timeout while another finishes the batch, then resumed:
    nothing is sent twice, and the resumed sender stops and says so."""
    write_messages(space.engine, count)
    sink = _sink(space, delay_s=0.05)
    timeout = {"THIDUA_CLAIM_TIMEOUT_S": str(timeout_s)}
    try:
        paused = space.start(SEND, **timeout)
        outcome.check(wait_until(lambda: len(sink.messages) >= count // 6, 60), "the first sender never started sending")
        os.kill(paused.pid, signal.SIGSTOP)
        at_pause = len(sink.messages)
        time.sleep(timeout_s + 1.0)
        outcome.count(space.thidua(*SEND, **timeout))
        os.kill(paused.pid, signal.SIGCONT)
        resumed = outcome.count(space.finish(paused))
        outcome.check("tiến trình gửi khác nhận lại" in resumed.stderr, f"the resumed sender did not say it lost its claim: {resumed.stderr[-300:]!r}")
        outcome.note(f"dừng (SIGSTOP) sau {at_pause}/{count} thư, quá thời hạn nhận việc {timeout_s:.0f} s; tiếp tục (SIGCONT) sau khi tiến trình thứ hai gửi xong")
        _settle(space, outcome, sink)
        outcome.check(outcome.duplicated == 0, f"{outcome.duplicated} repeats after a pause")
    finally:
        sink.stop()


def two_senders_at_once(space: Workspace, outcome: Outcome, count: int = 400) -> None:
    """Two senders started together on one outbox: every message once."""
    write_messages(space.engine, count)
    sink = _sink(space, delay_s=0.005)
    try:
        first, second = space.start(SEND), space.start(SEND)
        for sender in (first, second):
            outcome.count(space.finish(sender))
        _settle(space, outcome, sink)
        outcome.check(outcome.duplicated == 0, f"{outcome.duplicated} repeats with two senders")
        outcome.note(f"{count} thư, hai tiến trình gửi cùng lúc")
    finally:
        sink.stop()


def smtp_down_past_any_budget(space: Workspace, outcome: Outcome, count: int = 40, runs: int = 9) -> None:
    """SMTP unreachable for more sending runs than the old retry budget (8): nothing fails, all go once it is back."""
    write_messages(space.engine, count)
    space.env["THIDUA_SMTP_PORT"] = "1"
    for _ in range(runs):
        run = outcome.count(space.thidua(*SEND))
        outcome.check(run.code == 1 and "Dừng gửi" in run.stderr, f"a run during the outage: exit {run.code}, {run.stderr[-200:]!r}")
    rows = outbox_rows(space.engine)
    outcome.check(all(r.status == "pending" and r.attempts == 0 for r in rows), "rows changed during the outage")
    sink = _sink(space)
    try:
        outcome.count(space.thidua(*SEND))
        _settle(space, outcome, sink)
        outcome.note(f"máy chủ SMTP không tới được qua {runs} lần gửi; {count} thư vẫn chờ, số lần thử không đổi; gửi đủ khi có lại")
    finally:
        sink.stop()


def smtp_asks_for_a_login(space: Workspace, outcome: Outcome, count: int = 20) -> None:
    """530 Authentication required, then a wrong password: the channel stops, no message is charged, one login a run."""
    write_messages(space.engine, count)
    sink = _sink(space, auth_required=True)
    try:
        run = outcome.count(space.thidua(*SEND))
        outcome.check(run.code == 1 and "yêu cầu đăng nhập" in run.stderr, f"530: exit {run.code}, {run.stderr[-200:]!r}")
    finally:
        sink.stop()
    locked = SmtpSink(credentials=("thidua", "đúng-mật-khẩu")).start()
    space.env.update(THIDUA_SMTP_PORT=str(locked.port), THIDUA_SMTP_USERNAME="thidua", THIDUA_SMTP_PASSWORD="mk-sai-4f9e")
    try:
        for _ in range(3):
            run = outcome.count(space.thidua(*SEND))
            outcome.check(run.code == 1 and "mk-sai-4f9e" not in run.stdout + run.stderr, f"wrong password: exit {run.code}")
        outcome.check(len(locked.logins) == 3, f"{len(locked.logins)} logins in 3 runs with a wrong password")
        rows = outbox_rows(space.engine)
        outcome.check(all(r.status == "pending" and r.attempts == 0 for r in rows), "messages charged for the server's refusal")
        space.env["THIDUA_SMTP_PASSWORD"] = "đúng-mật-khẩu"
        outcome.count(space.thidua(*SEND))
        _settle(space, outcome, locked)
        wrong = sum(1 for _, accepted in locked.logins if not accepted)
        outcome.note(f"530, rồi 3 lần chạy với mật khẩu sai: {wrong} lần đăng nhập sai (một lần mỗi lần chạy); 0 tin bị tính lỗi")
    finally:
        locked.stop()
        for key in ("THIDUA_SMTP_USERNAME", "THIDUA_SMTP_PASSWORD"):
            space.env.pop(key, None)


def database_cut_mid_batch(space: Workspace, outcome: Outcome, count: int = 400) -> None:
    """PostgreSQL: every connection of the sender's database terminated mid-batch (pg_terminate_backend; the shared
    server is not restarted). The sender ends with a clean error; the next one repeats at most what was in flight."""
    write_messages(space.engine, count)
    sink = _sink(space, delay_s=0.03)
    name = space.url.rsplit("/", 1)[1]
    try:
        sender = space.start(SEND)
        outcome.check(wait_until(lambda: len(sink.messages) >= count // 4, 60), "the sender never got a quarter of the way")
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            cut = conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s", (name,)).fetchone()
        at_cut = len(sink.messages)
        run = outcome.count(space.finish(sender))
        outcome.check(run.code == 0 or run.clean_error, f"the cut sender: exit {run.code}, {run.stderr[-300:]!r}")
        outcome.duplicated_bound = in_flight(space.engine)
        outcome.note(f"{cut[0] if cut else 0} kết nối bị cắt sau {at_cut}/{count} thư; tiến trình gửi: mã thoát {run.code}"
                     + (f" — {run.stderr.strip().splitlines()[-1][:120]}" if run.stderr.strip() else ""))  # fmt: skip
        outcome.count(space.thidua(*SEND))
        _settle(space, outcome, sink)
        outcome.check(outcome.duplicated <= outcome.duplicated_bound, f"{outcome.duplicated} repeats > {outcome.duplicated_bound} in flight")
    finally:
        sink.stop()


def zalo_token_faults(space: Workspace, outcome: Outcome, count: int = 20) -> None:
    """Zalo's token endpoint answers 503 once (retried, then sent), then the refresh token is revoked: the channel
    stops with "cấp quyền lại", the refused refresh is not repeated, and a new pair sends everything."""
    zalo = ZaloServer(app_secret="faults-secret").start()
    space.env.update(
        THIDUA_ZALO_OAUTH_URL=zalo.url, THIDUA_ZALO_OPENAPI_URL=zalo.url, THIDUA_ZALO_BUSINESS_URL=zalo.url,
        THIDUA_ZALO_APP_SECRET="faults-secret", THIDUA_ZALO_ZNS_TEMPLATE_ID="1001",
    )  # fmt: skip
    try:
        write_messages(space.engine, count, channel="zalo")
        access, refresh = zalo.issue_tokens()
        outcome.count(space.thidua("notify", "zalo-token", stdin=json.dumps({"access_token": access, "refresh_token": refresh})))
        zalo.expire_access_tokens()
        zalo.control({"token_5xx": 1})
        first = outcome.count(space.thidua(*SEND))
        outcome.check(first.code == 0 and zalo.token_outages == 1, f"503 once: exit {first.code}, outages {zalo.token_outages}")
        write_messages(space.engine, count, channel="zalo", start=count)
        zalo.expire_access_tokens()
        zalo.revoke_refresh_tokens()
        for _ in range(2):
            run = outcome.count(space.thidua(*SEND))
            outcome.check(run.code == 1 and "cấp quyền lại" in run.stderr, f"revoked: exit {run.code}, {run.stderr[-200:]!r}")
        outcome.check(not zalo.reused_refresh_tokens(), f"refresh tokens presented twice: {zalo.reused_refresh_tokens()}")
        access, refresh = zalo.issue_tokens()
        outcome.count(space.thidua("notify", "zalo-token", stdin=f"{access}\n{refresh}\n"))
        outcome.count(space.thidua(*SEND))
        outcome.lost, outcome.duplicated = delivery_counts(space.engine, [m.key for m in zalo.messages])
        outcome.check(outcome.lost == 0 and outcome.duplicated == 0, f"zalo: {outcome.lost} lost, {outcome.duplicated} repeats")
        outcome.note(f"503 một lần: gửi đủ {count}; token bị thu hồi: 2 lần chạy dừng kênh, {len(zalo.refreshes)} lần làm mới tổng cộng, không lặp")
    finally:
        zalo.stop()
