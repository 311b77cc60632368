"""Channels built from settings; secrets come from settings or, when absent there, from Prefect Secret blocks."""

from collections.abc import Collection
from functools import cache

from pydantic import SecretStr
from sqlalchemy import Engine

from notifications.base import Channel, Masker
from notifications.email import EmailChannel
from notifications.zalo import TokenStore, ZaloChannel
from config import Settings

SMTP_PASSWORD_BLOCK = "thidua-smtp-password"
ZALO_APP_SECRET_BLOCK = "thidua-zalo-app-secret"


def resolve_secret(value: SecretStr | None, block_name: str) -> str | None:
    """`value`, or the Prefect Secret block `block_name` if `value` is unset, or None if neither exists."""
    if value is not None:
        return value.get_secret_value()
    from prefect.blocks.system import Secret

    try:
        return str(Secret.load(block_name).get())
    except ValueError:  # no block of that name
        return None


def build_channels(settings: Settings, engine: Engine, only: Collection[str] | None = None) -> dict[str, Channel]:
    """The configured channels by name (`email`, `zalo`), or just those in `only`."""
    channels: dict[str, Channel] = {}
    if only is None or "email" in only:
        password = resolve_secret(settings.smtp_password, SMTP_PASSWORD_BLOCK) if settings.smtp_username else None
        channels["email"] = EmailChannel(
            host=settings.smtp_host,
            port=settings.smtp_port,
            mail_from=settings.mail_from,
            tls=settings.smtp_tls,  # type: ignore[arg-type]  # validated by EmailChannel
            username=settings.smtp_username,
            password=password,
            timeout=settings.smtp_timeout_s,
            connections=settings.smtp_connections,
        )
    if only is None or "zalo" in only:
        tokens = TokenStore(
            engine,
            oa_id=settings.zalo_oa_id,
            app_id=settings.zalo_app_id,
            app_secret=cache(lambda: resolve_secret(settings.zalo_app_secret, ZALO_APP_SECRET_BLOCK)),
            oauth_url=settings.zalo_oauth_url,
            mask=Masker(),
        )
        channels["zalo"] = ZaloChannel(
            tokens,
            openapi_url=settings.zalo_openapi_url,
            business_url=settings.zalo_business_url,
            zns_template_id=settings.zalo_zns_template_id,
        )
    return channels
