"""Against a real `prefect server start` on PostgreSQL with API authentication and an encryption key (issue 14):
a request without credentials is refused; the SMTP password comes from a Secret block, encrypted at rest;
`thidua deploy` creates the pool, the deployments and the automations once, and changes nothing when run again."""

import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

from deployments.pool import CREATED, UNCHANGED, UPDATED, deploy
from deployments.schedule import DailySchedule
from deployments.stack import PG_ADMIN_URL, Stack, stack
from flows.registry import DAILY_DEPLOYMENT
from notifications.secrets import SMTP_PASSWORD_BLOCK, ZALO_APP_SECRET_BLOCK, resolve_secret

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server() -> Iterator[Stack]:
    with stack() as running:
        running.start_prefect()
        with temporary_settings({PREFECT_API_URL: running.env["PREFECT_API_URL"], PREFECT_API_AUTH_STRING: running.auth}):
            yield running


def test_a_request_without_credentials_is_refused(server: Stack) -> None:
    assert server.unauthenticated_refused()


def test_the_smtp_password_comes_from_a_secret_block_encrypted_at_rest(server: Stack) -> None:
    assert resolve_secret(None, SMTP_PASSWORD_BLOCK) is None  # no block yet: no password
    server.save_secret_blocks()
    assert resolve_secret(None, SMTP_PASSWORD_BLOCK) == server.smtp_password
    (database,) = [name for name in server.databases if "_prefect_" in name]
    with psycopg.connect(f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{database}") as conn:
        stored = [str(row[0]) for row in conn.execute("SELECT data FROM block_document")]
    assert stored and not any(server.smtp_password in data for data in stored)


def _git_clone_with_a_remote(path: Path) -> None:
    """Like an installation cloned from a forge: Prefect infers a deployment version from git there."""
    for command in (["init", "-q"], ["remote", "add", "origin", "https://git.example.invalid/thidua.git"],
                    ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "--allow-empty", "-m", "x"]):
        subprocess.run(["git", "-C", str(path), *command], check=True)  # fmt: skip


def test_deploy_creates_everything_once_and_changes_nothing_when_run_again(
    server: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.client.orchestration import get_client

    from flows.daily import daily

    _git_clone_with_a_remote(tmp_path)
    monkeypatch.chdir(tmp_path)

    with get_client(sync_client=True) as client:
        first = deploy(client, DailySchedule(7, 0), "thidua-test", tmp_path)
        again = deploy(client, DailySchedule(7, 0), "thidua-test", tmp_path)
        assert {item.outcome for item in first} == {CREATED} and len(first) == 10
        assert [(item.name, item.outcome) for item in again] == [(item.name, UNCHANGED) for item in first]
        assert client.read_work_pool("thidua-test").type == "process"
        moved = deploy(client, DailySchedule(6, 30), "thidua-test", tmp_path)  # a new dispatch time: one schedule still
        assert [item.name for item in moved if item.outcome == UPDATED] == [f"{daily.name}/{DAILY_DEPLOYMENT}"]
        deployment = client.read_deployment_by_name(f"{daily.name}/{DAILY_DEPLOYMENT}")
        assert [(s.slug, s.schedule.cron) for s in deployment.schedules] == [("thidua-daily-0630", "30 6 * * *")]
        assert deployment.work_pool_name == "thidua-test" and deployment.job_variables == {"working_dir": str(tmp_path)}


def test_notify_secret_stores_the_zalo_app_secret_read_from_standard_input(server: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from cli import app

    monkeypatch.setenv("PREFECT_API_URL", server.env["PREFECT_API_URL"])
    result = CliRunner().invoke(app, ["notify", "secret", "zalo-app-secret"], input="bí-mật-zalo\n")
    assert result.exit_code == 0 and "bí-mật-zalo" not in result.output
    assert resolve_secret(None, ZALO_APP_SECRET_BLOCK) == "bí-mật-zalo"
