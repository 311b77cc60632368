"""The daily flow with a broken plan beside a valid one (issue 11, Deliver 4 and 5), through Prefect: the valid plan's
reminders go out, the broken ones are reported and the run ends Failed; its artifacts show names as written."""

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from test_plan_limits import billion_laughs
from test_units import write_csv

from models import OutboxMessage
from models.cycle import Cycle
from models.db import session_scope
from notifications.devservers.smtp_sink import SmtpSink
from services.imports import import_units
from services.plans import find_plan
from thidua.markdown import md

pytestmark = pytest.mark.slow  # a Prefect server: subflows failing inside the daily run, and artifacts
LOC_NINH = Path("plans/loc-ninh-2024-2025.yaml").read_text(encoding="utf-8")
MARKUP = '<img src=x onerror="alert(1)">'


def _artifact(key: str) -> str:
    """The data of the artifact stored under `key` (Artifact.get sends a filter Prefect 3.8's server refuses)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey, FlowRunFilter, TaskRunFilter
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        (found,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])), flow_run_filter=FlowRunFilter(),
            task_run_filter=TaskRunFilter(), limit=1, offset=0, sort=ArtifactSort.UPDATED_DESC,
        )  # fmt: skip
    return str(found.data)


def test_a_broken_plan_is_reported_and_the_valid_one_is_dispatched(
    tmp_path: Path, sqlite_engine: Engine, point_app: Callable[..., None], prefect_harness: None
) -> None:
    from flows.daily import DispatchProblems, daily

    plans = tmp_path / "plans"
    plans.mkdir()
    for code in ("faults-valid", "faults-broken-data"):
        (plans / f"{code}.yaml").write_text(LOC_NINH.replace("code: loc-ninh-2024-2025", f"code: {code}"), encoding="utf-8")
    (plans / "bomb.yaml").write_text(billion_laughs(), encoding="utf-8")
    with SmtpSink() as sink:
        point_app(sqlite_engine, THIDUA_PLANS_DIR=str(plans), THIDUA_SMTP_PORT=str(sink.port), THIDUA_DATA_DIR=str(tmp_path))
        units = [{"code": f"u{i}", "name": MARKUP if i == 0 else f"UBND xã {i}", "group": "ubnd-xa", "focal_email": f"u{i}@x.vn"} for i in range(3)]
        with session_scope() as session:
            for code in ("faults-valid", "faults-broken-data"):
                import_units(session, write_csv(tmp_path / f"{code}.csv", units), code, find_plan(code).group_names)
            session.add(Cycle(plan="faults-broken-data", year=2025, admin_dates={"par_announcement": "0001-01-05"}))
        with pytest.raises(DispatchProblems) as failed:
            daily(as_of=date(2025, 11, 17))
        received = len(sink.messages)
    text = str(failed.value)
    assert "bomb.yaml" in text and "Kế hoạch faults-broken-data" in text and "OverflowError" in text and "thidua plan check" in text
    with session_scope() as session:
        rows = list(session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reminder")))
    assert rows and {row.plan for row in rows} == {"faults-valid"} and all(row.status == "sent" for row in rows)
    assert received >= len(rows)
    shown = {row["Đơn vị"] for row in json.loads(_artifact("trang-thai-faults-valid-2025"))}
    assert md(MARKUP) in shown and MARKUP not in shown  # escaped: Prefect's UI renders each text cell as Markdown
