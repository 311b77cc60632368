"""Every bad input of the fault suite (faults/inputs.py), run in process: exit 2 (or 1 for the environment) with a
Vietnamese message on stderr, no other exception, nothing written. `make faults` runs the same cases as processes,
on SQLite and PostgreSQL, with the few that only a process can show."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from cli import app
from config import get_settings
from faults.inputs import CASES, PLAN, Case, prepare, written
from imports.plans import plan_by_code
from models.db import default_engine, make_engine, session_scope
from models.migrate import upgrade
from services.imports import import_units

VIETNAMESE = re.compile(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", re.IGNORECASE)
IN_PROCESS = [case for case in CASES if case.in_process]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Engine]]:
    """The application, in the cases' folder, on a SQLite database holding the plan's unit directory."""
    base = tmp_path_factory.mktemp("bad-inputs")
    prepare(base, base / "plans")
    engine = make_engine(f"sqlite:///{base / 'thidua.db'}")
    upgrade(engine)
    with session_scope(engine) as session:
        import_units(session, Path("plans/units") / f"{PLAN}.csv", PLAN, plan_by_code(base / "plans", PLAN).group_names)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {"THIDUA_DATA_DIR": base / "data", "THIDUA_DATABASE_URL": engine.url, "THIDUA_PLANS_DIR": base / "plans"}.items():
            patch.setenv(key, str(value))
        patch.chdir(base)
        _fresh_settings()
        yield base, engine
    _fresh_settings()
    engine.dispose()


def _fresh_settings() -> None:
    get_settings.cache_clear()
    default_engine.cache_clear()


def test_the_suite_has_over_a_hundred_bad_inputs_across_every_kind_of_input() -> None:
    assert len(CASES) > 100
    kinds = {case.args[0] for case in CASES}
    assert {"plan", "units", "scores", "nominees", "register", "dossier", "outbox", "notify", "calendar"} <= kinds


@pytest.mark.parametrize("case", IN_PROCESS, ids=[case.label for case in IN_PROCESS])
def test_a_bad_input_is_a_clean_error(case: Case, folder: tuple[Path, Engine], monkeypatch: pytest.MonkeyPatch) -> None:
    _, engine = folder
    for key, value in case.env.items():  # a setting of its own: settings and engine read afresh, then put back
        monkeypatch.setenv(key, value)
    before = written(engine)
    try:
        if case.env:
            _fresh_settings()
        result = CliRunner().invoke(app, list(case.args), input=case.stdin)
    finally:
        if case.env:
            monkeypatch.undo()
            _fresh_settings()
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == case.code, result.output
    assert VIETNAMESE.search(result.stderr), result.stderr
    assert written(engine) == before
