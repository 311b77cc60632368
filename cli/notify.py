"""`thidua notify …` (try a channel) and `thidua outbox …` (inspect and retry the outbox)."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta
from enum import Enum
from errno import errorcode
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.frame import Typer
from thidua.channels import OA_PREFIX, REGISTRY
from thidua.dates import TZ
from thidua.words import OUTBOX_STATUS, SEND_RESULT, WAITING_WITH_ERROR, os_error

if TYPE_CHECKING:
    from models.outbox import OutboxMessage
    from notifications.channels.base import DeliveryResult, Outgoing, Transport

notify_app = Typer(no_args_is_help=True, add_completion=False, help="Thử các kênh gửi thông báo.")
outbox_app = Typer(no_args_is_help=True, add_completion=False, help="Xem và gửi lại tin trong hộp thư đi.")


@notify_app.callback()
def notify_group() -> None:
    """Thử các kênh gửi thông báo (email, Zalo)."""


WAITING = "waiting"  # `--status waiting`: not sent yet (pending, deferred or being sent) and the last try failed
STATUS_FILTERS = {**OUTBOX_STATUS, WAITING: WAITING_WITH_ERROR}


def _status(value: str | None) -> str | None:
    """`--status` checked here, not by click, so that a wrong value gets a Vietnamese message."""
    if value is None:
        return None
    if (status := value.strip().lower()) in STATUS_FILTERS:
        return status
    choices = ", ".join(f"{code} ({words})" for code, words in STATUS_FILTERS.items())
    typer.echo(f"Trạng thái không hợp lệ: '{value}'. Chọn một trong: {choices}.", err=True)
    raise typer.Exit(2)


def _channel(value: str) -> str:
    """`--channel`, one of the registered channels."""
    if value in REGISTRY:
        return value
    typer.echo(f"Kênh không hợp lệ: '{value}'. Chọn một trong: {', '.join(REGISTRY)}.", err=True)
    raise typer.Exit(2)


def _local(moment: datetime | None) -> str:
    return moment.astimezone(TZ).strftime("%d/%m/%Y %H:%M") if moment else ""


async def _send_one(channel: Transport, message: Outgoing) -> DeliveryResult:
    from notifications.channels.base import Unclaimed

    return [outcome async for outcome in channel.deliver([message], Unclaimed())][0]


@notify_app.command("test")
def notify_test(
    channel: Annotated[str, typer.Option("--channel", help="kênh: email hoặc zalo")],
    to: Annotated[str, typer.Option("--to", help="email; số điện thoại (ZNS); hoặc user:<user_id> (OA)")],
) -> None:
    """Gửi ngay một tin thử nghiệm (không qua hộp thư đi) và in kết quả."""
    from config import get_settings
    from models.db import default_engine
    from notifications.channels import build_channels
    from notifications.channels.base import Delivery, Outgoing
    from notifications.channels.zalo import zns_phone
    from notifications.outbox import message_key
    from notifications.samples import sample_context
    from services.runtime import renderer

    channel, recipient = _channel(channel), to.strip()
    if channel == "zalo" and not recipient.startswith(OA_PREFIX):
        try:
            recipient = zns_phone(recipient)
        except ValueError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(2) from error
    context = sample_context(recipient_name="Người nhận thử nghiệm")
    rendered = renderer().render(context)
    stamp = datetime.now(UTC).isoformat()
    message = Outgoing(
        id=0,
        recipient=recipient,
        recipient_name=context.recipient_name,
        subject="[THỬ NGHIỆM] " + rendered.subject,
        text=rendered.text,
        html=rendered.html,
        key=message_key("thu-nghiem", context.year, "thu-nghiem", "thu-nghiem", stamp, channel),
        template_data=rendered.template_data,
    )
    engine = default_engine()
    outcome = asyncio.run(_send_one(build_channels(get_settings(), engine, only=[channel])[channel], message))
    typer.echo(f"Kênh {channel}, người nhận {recipient}: {SEND_RESULT[outcome.delivery]}.")
    if outcome.provider_id:
        typer.echo(f"Mã của nhà cung cấp: {outcome.provider_id}")
    if outcome.delivery != Delivery.sent:
        typer.echo(f"Lỗi: {outcome.error}", err=True)
        raise typer.Exit(1)


def _as_dict(row: OutboxMessage) -> dict[str, Any]:
    return {
        "id": row.id,
        "status": str(row.status),
        "channel": row.channel,
        "recipient": row.recipient,
        "plan": row.plan,
        "year": row.year,
        "unit_code": row.unit_code,
        "milestone": row.milestone,
        "step": row.step,
        "subject": row.subject,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at.isoformat(),
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        "provider_id": row.provider_id,
        "last_error": row.last_error,
        "expired_reason": row.expired_reason,
        "message_id": row.message_id,
    }


@outbox_app.command("list")
def outbox_list(
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="chỉ các tin ở trạng thái này: pending, sending, sent, failed, deferred, expired; "
            "hoặc waiting: tin chưa gửi được mà lần thử gần nhất bị lỗi",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="in JSON")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100_000, help="số tin tối đa")] = 200,
) -> None:
    """Liệt kê tin trong hộp thư đi, mới nhất trước."""
    from sqlmodel import Session, col, select

    from models.db import default_engine
    from models.outbox import OutboxMessage

    wanted = _status(status)
    query = select(OutboxMessage).order_by(col(OutboxMessage.id).desc()).limit(limit)
    if wanted == WAITING:
        unsent = col(OutboxMessage.status).in_(["pending", "deferred", "sending"])
        query = query.where(unsent, col(OutboxMessage.last_error).is_not(None))
    elif wanted:
        query = query.where(OutboxMessage.status == wanted)
    with Session(default_engine()) as session:
        rows = list(session.exec(query))
    if as_json:
        typer.echo(json.dumps([_as_dict(row) for row in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("Không có tin nào.")
        return
    for row in rows:
        when = f"gửi lúc {_local(row.sent_at)}" if row.sent_at else f"lần thử tới {_local(row.next_attempt_at)}"
        typer.echo(
            f"#{row.id} [{row.status}] {row.channel} → {row.recipient} | {row.plan} {row.year} {row.unit_code} "
            f"{row.milestone}/{row.step} | {row.attempts} lần thử, {when}"
            + (f" | lỗi: {row.last_error}" if row.last_error else "")
            + (f" | {row.expired_reason}" if row.expired_reason else "")
        )


@outbox_app.command("retry")
def outbox_retry(
    ids: Annotated[
        list[int] | None, typer.Option("--id", min=1, max=2**31 - 1, help="mã tin (lặp lại được); mặc định: mọi tin lỗi hoặc tạm hoãn")
    ] = None,
    send: Annotated[bool, typer.Option("--send", help="gửi ngay các tin đến hạn")] = False,
) -> None:
    """Đưa tin lỗi hoặc tạm hoãn về hàng chờ (tin đã gửi không bao giờ bị gửi lại)."""
    from sqlmodel import Session, col, select

    from config import get_settings
    from models.db import default_engine
    from models.outbox import OutboxMessage
    from notifications.channels import build_channels
    from notifications.outbox import requeue, send_due
    from services.freshness import still_true

    engine = default_engine()
    if ids:
        wanted = sorted(set(ids))
        with Session(engine) as session:
            found = dict(session.exec(select(OutboxMessage.id, OutboxMessage.status).where(col(OutboxMessage.id).in_(wanted))).all())
        unknown = [i for i in wanted if i not in found]
        if unknown:
            listed = ", ".join(f"#{i}" for i in unknown)
            typer.echo(f"Không có tin nào mang mã {listed} trong hộp thư đi; không tin nào được đưa về hàng chờ.", err=True)
            raise typer.Exit(2)
    count = requeue(engine, ids or None)
    typer.echo(f"Đã đưa {count} tin về hàng chờ.")
    if ids:
        kept = [f"#{i} ({OUTBOX_STATUS[found[i]]})" for i in wanted if found[i] in ("sent", "sending")]
        if kept:
            typer.echo(f"Không đưa về hàng chờ tin đã gửi hoặc đang gửi: {', '.join(kept)}.", err=True)
    if send:
        settings = get_settings()
        timeout = timedelta(seconds=settings.claim_timeout_s)
        report = send_due(engine, build_channels(settings, engine), still_true=still_true(engine), claim_timeout=timeout)
        typer.echo(report.summary())
        if report.claims_lost:
            typer.echo(f"Dừng gửi: {report.claims_lost} tin đã do một tiến trình gửi khác nhận lại; tiến trình đó gửi tiếp.", err=True)
        if report.stopped:
            typer.echo(f"Dừng gửi, cần quản trị viên xử lý: {report.stopped}", err=True)
            raise typer.Exit(1)


TOKEN_SECONDS = (60, 90 * 86400)  # how long Zalo says an access token lasts (25 h in practice)


def _token(value: object) -> str | None:
    """A token as Zalo writes it (printable ASCII, no spaces), or None."""
    text = str(value) if isinstance(value, str | int) else ""
    return text if text and text.isascii() and text.isprintable() and " " not in text else None


def _seconds(value: object) -> int | None:
    """Zalo's `expires_in` (a number, as text or not) within `TOKEN_SECONDS`, or None."""
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    seconds = int(text) if text.isdigit() and len(text) < 10 else None
    return seconds if seconds is not None and TOKEN_SECONDS[0] <= seconds <= TOKEN_SECONDS[1] else None


def _token_pair(text: str, source: str) -> tuple[str, str, int | None]:
    """(access, refresh, expires_in) from Zalo's JSON answer or from two lines (access, then refresh)."""
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict):
        access, refresh, expires = body.get("access_token"), body.get("refresh_token"), body.get("expires_in")
    else:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        access, refresh, expires = (lines + [None, None])[:2] + [None]  # type: ignore[assignment]
    pair = (_token(access), _token(refresh))
    if None in pair or (expires is not None and _seconds(expires) is None):
        typer.echo(
            f"Không đọc được cặp token từ {source}: cần JSON có access_token và refresh_token (như Zalo trả về, "
            f"expires_in từ {TOKEN_SECONDS[0]} đến {TOKEN_SECONDS[1]} giây), hoặc hai dòng: access token rồi refresh token.",
            err=True,
        )
        raise typer.Exit(2)
    return str(pair[0]), str(pair[1]), _seconds(expires) if expires is not None else None


@notify_app.command("zalo-token")
def zalo_token(
    from_file: Annotated[
        Path | None, typer.Option("--from-file", help="tệp chứa cặp token (mặc định: đọc từ đầu vào chuẩn)")
    ] = None,
    expires_in: Annotated[
        int, typer.Option("--expires-in", min=TOKEN_SECONDS[0], max=TOKEN_SECONDS[1], help="Số giây còn hiệu lực của access token")
    ] = 90000,
) -> None:
    """Lưu cặp token của Zalo OA sau khi quản trị viên cấp quyền (thay cặp cũ); từ đó hệ thống tự gia hạn.

    Token đọc từ đầu vào chuẩn hoặc từ tệp (--from-file), không bao giờ từ tham số dòng lệnh (ai cũng xem được
    bằng `ps`): JSON Zalo trả về (access_token, refresh_token, expires_in), hoặc hai dòng access rồi refresh.
    """
    from config import get_settings
    from models.db import default_engine
    from notifications.channels.zalo import bootstrap_token

    if from_file is not None:
        try:
            text, source = from_file.read_text(encoding="utf-8"), str(from_file)
        except OSError as error:
            typer.echo(f"Không đọc được tệp token {from_file}: {os_error(errorcode.get(error.errno or 0), str(error.strerror))}", err=True)
            raise typer.Exit(2) from None
        except UnicodeDecodeError:
            typer.echo(f"Không đọc được tệp token {from_file}: tệp phải lưu bằng bảng mã UTF-8", err=True)
            raise typer.Exit(2) from None
    else:
        text, source = sys.stdin.read(), "đầu vào chuẩn"
    access, refresh, given = _token_pair(text, source)
    seconds = given or expires_in
    settings = get_settings()
    bootstrap_token(default_engine(), settings, access, refresh, seconds)
    typer.echo(f"Đã lưu token cho OA {settings.zalo_oa_id}; access token còn hiệu lực {seconds // 3600} giờ.")


class SecretName(str, Enum):
    smtp_password = "smtp-password"
    zalo_app_secret = "zalo-app-secret"


@notify_app.command("secret")
def store_secret(name: Annotated[SecretName, typer.Argument(metavar="TÊN", help="smtp-password hoặc zalo-app-secret")]) -> None:
    """Lưu mật khẩu SMTP hoặc app secret của Zalo vào Secret block của máy chủ Prefect (mã hóa bằng khóa của máy
    chủ, ẩn trên giao diện); đọc từ đầu vào chuẩn, không bao giờ từ tham số dòng lệnh. Dùng khi không đặt
    THIDUA_SMTP_PASSWORD / THIDUA_ZALO_APP_SECRET."""
    from deployments.prefect_serve import NO_SERVER, has_server
    from notifications.secrets import SMTP_PASSWORD_BLOCK, ZALO_APP_SECRET_BLOCK

    if not has_server():
        typer.echo(NO_SERVER.split("\n  3.")[0], err=True)
        raise typer.Exit(2)
    value = sys.stdin.readline().strip()
    if not value or any(ord(char) < 32 for char in value):
        typer.echo("Không có giá trị hợp lệ ở đầu vào chuẩn (một dòng, không ký tự điều khiển).", err=True)
        raise typer.Exit(2)
    from prefect.blocks.system import Secret

    block = SMTP_PASSWORD_BLOCK if name is SecretName.smtp_password else ZALO_APP_SECRET_BLOCK
    Secret(value=value).save(block, overwrite=True)
    typer.echo(f"Đã lưu vào Secret block {block} của máy chủ Prefect.")
