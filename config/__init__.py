"""All configuration in one place, read from the environment and `.env` (prefix THIDUA_)."""

import re
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Runtime settings; `DATABASE_URL` is also accepted without the prefix."""

    model_config = SettingsConfigDict(env_prefix="THIDUA_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = None
    plans_dir: Path = Path("plans")
    templates_dir: Path | None = None
    dispatch_time: str = "07:00"  # local time of the daily run, HH:MM
    # a claim older than this, not yet handed to the provider, is taken over (a stalled or paused sender); lower it
    # only to reproduce a pause quickly (the fault suite uses 3 s)
    claim_timeout_s: float = Field(default=600.0, ge=1.0, le=86400.0)

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_tls: str = "none"  # none | starttls | implicit
    smtp_timeout_s: float = 20.0
    smtp_connections: int = 4
    smtp_ca_file: Path | None = None  # CA bundle (PEM) that signed the mail server's certificate; default: the system's
    smtp_tls_verify: bool = True  # False only for a test server: the certificate is then not checked
    smtp_rate_per_s: float = 0.0  # at most this many messages a second (0: no limit)
    mail_from: str = "Thi đua CCHC <thidua@localhost>"

    zalo_oa_id: str = "demo-oa"
    zalo_app_id: str = "demo-app"
    zalo_app_secret: SecretStr | None = None
    zalo_oauth_url: str = "https://oauth.zaloapp.com"
    zalo_openapi_url: str = "https://openapi.zalo.me"
    zalo_business_url: str = "https://business.openapi.zalo.me"
    zalo_zns_template_id: str | None = None
    zalo_rate_per_s: float = 10.0  # requests a second to Zalo (it is reported to allow 20; 0: no limit)

    # Production on a Prefect work pool (`thidua deploy`, docs/deployment.md).
    work_pool: str = Field(default="thidua", pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")  # a process pool, created if missing
    step_wait_s: float = Field(default=6 * 3600.0, ge=60.0, le=86400.0)  # how long the daily run waits for its step runs

    # The unit portal (`thidua web`, docs/portal.md).
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8000, ge=1, le=65535)
    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")  # unset: messages carry no link
    secret_keys: SecretStr | None = None  # signing keys, comma-separated, newest last; unset: a key file in data_dir
    uploads_dir: Path | None = None  # default: data_dir/uploads
    upload_file_mb: float = Field(default=20, gt=0)  # at most this many MB per file
    upload_deliverable_mb: float = Field(default=50, gt=0)  # at most this many MB of current files per deliverable
    admin_users: dict[str, SecretStr] = {}  # JSON {"name": "<argon2 hash from `thidua portal hash-password`>"}; {}: no admin side
    bad_token_limit: int = Field(default=20, ge=1)  # bad links or passwords per IP in 10 minutes before it is refused

    @field_validator("dispatch_time")
    @classmethod
    def _hh_mm(cls, value: str) -> str:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError("giờ điều phối phải viết dạng HH:MM, từ 00:00 đến 23:59")
        return value

    def resolved_database_url(self) -> str:
        """The database URL: THIDUA_DATABASE_URL, DATABASE_URL, or a SQLite file in the data dir."""
        import os

        return self.database_url or os.environ.get("DATABASE_URL") or f"sqlite:///{(self.data_dir / 'thidua.db').resolve()}"

    def resolved_uploads_dir(self) -> Path:
        """Where uploaded files are stored: THIDUA_UPLOADS_DIR, or `uploads` in the data dir."""
        return self.uploads_dir or self.data_dir / "uploads"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (tests build their own `Settings`)."""
    return Settings()
