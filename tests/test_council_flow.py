"""The council's Prefect form (deployment `hoi-dong-quyet-dinh`): what only a Prefect run can show — the decision recorded
from the form, the files rewritten, and a refused decision failing the run with its reason."""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from test_council_store import BY, LOC_NINH, PLANS, REASON, seed

from models import CouncilDecision
from models.db import session_scope
from models.queries.appraisal import appraise_cycle

pytestmark = pytest.mark.slow  # a Prefect server


def test_the_council_form_records_the_choice_and_drafts_the_decision(
    sqlite_engine: Engine, point_app: Callable[..., None], prefect_harness: None, tmp_path: Path
) -> None:
    from flows.admin import council_decide
    from flows.forms import CouncilForm, Decision

    def form(nominee: str) -> CouncilForm:
        return CouncilForm(ke_hoach=LOC_NINH.code, nam=2024, quyet_dinh=Decision.choose, hinh_thuc="giay_khen", doi_tuong=[nominee],
                           ly_do=REASON, nguoi_ghi=BY)  # fmt: skip

    point_app(sqlite_engine, THIDUA_PLANS_DIR=str(PLANS), THIDUA_DATA_DIR=str(tmp_path))
    with session_scope(sqlite_engine) as session:
        seed(session)
        appraise_cycle(session, LOC_NINH, 2024, datetime(2024, 12, 15, 5, tzinfo=UTC))
    refused = council_decide(form("u1"), return_state=True)
    assert refused.is_failed() and "u1 không cùng thuộc một trường hợp đồng hạng" in str(refused.message)
    done = council_decide(form("u7"))
    assert done["final"] and "Giấy khen của Chủ tịch UBND huyện: 6 tập thể" in done["summary"]
    assert done["files"] == [
        "de-nghi-khen-thuong-loc-ninh-2024-2025-2024.xlsx", "to-trinh-loc-ninh-2024-2025-2024.docx",
        "quyet-dinh-loc-ninh-2024-2025-2024.docx", "giay-khen-loc-ninh-2024-2025-2024.docx",
    ]  # fmt: skip
    assert (tmp_path / "outputs" / LOC_NINH.code / "2024" / "quyet-dinh-loc-ninh-2024-2025-2024.docx").is_file()
    with Session(sqlite_engine) as session:
        [row] = session.exec(select(CouncilDecision)).all()
    assert (row.nominees, row.reason, row.decided_by) == (["u7"], REASON, BY)
