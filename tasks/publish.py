"""What an administrator sees in the Prefect UI: per-unit status tables and summaries under stable keys."""

import re

from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from models.db import session_scope
from models.queries.messages import message_counts
from tasks.naming import named_task
from thidua.cycle.overview import overview_markdown
from thidua.cycle.state import CycleState
from thidua.cycle.status import status_rows, summary_markdown
from thidua.cycle.titles import cycle_title
from thidua.markdown import md_rows

TABLE_ROWS = 1000  # a larger status table is cut to the units that need attention (the CLI has them all)


def artifact_key(*parts: object) -> str:
    """A stable Prefect artifact key from `parts`: lowercase letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9]+", "-", "-".join(map(str, parts)).lower()).strip("-")


@named_task("công bố trạng thái", cache_policy=NO_CACHE)
def publish_status(state: CycleState, lines: list[str]) -> None:
    """The per-unit table and the summary under stable keys per plan and year, and the plan's overview (user text
    shown as written)."""
    plan_code, year = state.plan.code, state.year
    rows, description = status_rows(state), f"Việc phải nộp của từng đơn vị — {plan_code} · {year}"
    if len(rows) > TABLE_ROWS:
        behind = [row for row in rows if row["Trạng thái"] != "đã đủ"]
        description += (
            f" — {min(len(behind), TABLE_ROWS)} trên {len(rows)} đơn vị chưa đủ hồ sơ; "
            f"danh sách đầy đủ: thidua status --plan {plan_code} --year {year} --json"
        )
        rows = behind[:TABLE_ROWS]
    create_table_artifact(md_rows(rows), key=artifact_key("trang-thai", plan_code, year), description=description)
    create_markdown_artifact(
        summary_markdown(state, lines),
        key=artifact_key("tom-tat", plan_code, year),
        description=f"Tóm tắt {cycle_title(state.plan, year)}: việc tiếp theo, các mốc, việc phải nộp",
    )
    with session_scope() as session:
        messages = message_counts(session, plan_code, year)
    create_markdown_artifact(
        overview_markdown(state, messages),
        key=artifact_key("tong-quan", plan_code),
        description=f"Tổng quan {cycle_title(state.plan, year)}: nộp đúng hạn, đơn vị còn nợ theo nhóm, tin nhắn",
    )
