"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, emptied before each test."""

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from deployments.prefect_env import offline_prefect

offline_prefect()  # before anything imports Prefect: no telemetry from the temporary server
if "THIDUA_DATA_DIR" not in os.environ:  # each test process writes in a data folder of its own, never the checkout's
    os.environ["THIDUA_DATA_DIR"] = tempfile.mkdtemp(prefix="thidua-tests-")
    atexit.register(shutil.rmtree, os.environ["THIDUA_DATA_DIR"], True)

import models  # noqa: E402, F401
from models.db import make_engine  # noqa: E402
from models.migrate import upgrade  # noqa: E402

PG_ADMIN_URL = os.environ.get("THIDUA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    name = f"thidua_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit TO off')  # a test database need not wait for the disk
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'thidua.db'}"


@pytest.fixture(scope="session")
def _engines(sqlite_url: str, pg_url: str) -> Iterator[dict[str, Engine]]:
    engines = {"sqlite": make_engine(sqlite_url), "postgresql": make_engine(pg_url)}
    for engine in engines.values():
        upgrade(engine)
    yield engines
    for engine in engines.values():
        engine.dispose()


def _empty(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(text(f'DELETE FROM "{table.name}"'))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, _engines: dict[str, Engine]) -> Engine:
    """An empty, migrated database; every test using it runs on SQLite and on PostgreSQL."""
    engine = _engines[request.param]
    _empty(engine)
    return engine


@pytest.fixture
def sqlite_engine(_engines: dict[str, Engine]) -> Engine:
    """An empty, migrated SQLite database, for tests where the backend does not matter."""
    engine = _engines["sqlite"]
    _empty(engine)
    return engine


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for the whole session (starting it costs about 14 s)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture
def pg_engine(_engines: dict[str, Engine]) -> Engine:
    """An empty, migrated PostgreSQL database, for behaviour that only a multi-worker deployment has."""
    engine = _engines["postgresql"]
    _empty(engine)
    return engine


@pytest.fixture
def point_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """A function that makes `get_settings()` and `default_engine()` use an engine (and extra THIDUA_ settings)."""
    from config import get_settings
    from models.db import default_engine

    def point(engine: Engine, **env: str) -> None:
        monkeypatch.setenv("THIDUA_DATABASE_URL", engine.url.render_as_string(hide_password=False))
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        default_engine.cache_clear()

    yield point
    get_settings.cache_clear()
    default_engine.cache_clear()


@pytest.fixture
def app_engine(sqlite_engine: Engine, point_app: Callable[..., None]) -> Engine:
    """The application (CLI, flows) pointed at an empty SQLite test database."""
    point_app(sqlite_engine)
    return sqlite_engine
