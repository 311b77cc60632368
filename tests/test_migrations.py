"""Migrations keep the data: a database of the first version moves its dossiers into the submission tables (0004)."""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from conftest import PG_ADMIN_URL
from sqlalchemy import Engine, text

from models.db import make_engine
from models.migrate import upgrade

RECEIVED = datetime(2025, 11, 20, 2, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def blank(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database with no tables yet, on each backend."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    name = f"thidua_migration_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(f"{PG_ADMIN_URL.rsplit('/', 1)[0].replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}")
    yield engine
    engine.dispose()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_dossiers_of_the_first_version_become_submissions_with_their_documents_and_nominees(blank: Engine) -> None:
    upgrade(blank, "0003")
    with blank.begin() as conn:
        conn.execute(
            text("INSERT INTO dossier (id, plan, year, unit_code, first_received_at, completed_at) VALUES (7, 'p', 2025, 'u1', :t, :t)"),
            {"t": RECEIVED},
        )
        conn.execute(text("INSERT INTO dossierdocument (id, dossier_id, kind, received_at) VALUES (3, 7, 'to_trinh', :t)"), {"t": RECEIVED})
        conn.execute(text("INSERT INTO nominee (id, dossier_id, kind, name) VALUES (5, 7, 'individual', 'Nguyễn Văn An')"))
    upgrade(blank)
    with blank.begin() as conn:
        submission = conn.execute(text("SELECT id, deliverable, occurrence, unit_code FROM submission")).one()
        document = conn.execute(text("SELECT submission_id, kind FROM submitteddocument")).one()
        nominee = conn.execute(text("SELECT submission_id, name FROM nominee")).one()
        conn.execute(
            text("INSERT INTO submission (plan, year, deliverable, occurrence, unit_code, first_received_at) VALUES ('p', 2025, 'x', 'm', 'u2', :t)"),
            {"t": RECEIVED},
        )  # ids continue after the copied ones
        new_id = conn.execute(text("SELECT MAX(id) FROM submission")).scalar_one()
    assert tuple(submission) == (7, "ho_so_khen_thuong", "submission_deadline", "u1")
    assert tuple(document) == (7, "to_trinh") and tuple(nominee) == (7, "Nguyễn Văn An")
    assert new_id > 7
