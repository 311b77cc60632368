"""Prefect tasks of the appraisal, annual review and phase summary flows: thin wrappers, artifacts on top."""

from datetime import datetime
from pathlib import Path

from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.context import get_run_context
from prefect.exceptions import MissingContextError

from models.db import session_scope
from models.queries.appraisal import appraise_cycle
from services.reports import annual_report, phase_report
from tasks.naming import named_task
from tasks.publish import artifact_key
from thidua.appraisal.export import as_text, council_rows, decision_rows, ranking_rows, summary_markdown
from thidua.appraisal.model import AppraisalResult
from thidua.markdown import md_rows
from thidua.plan.schema import Plan
from thidua.words import BASIS


def _in_run() -> bool:
    try:
        get_run_context()
    except MissingContextError:
        return False
    return True


def publish_appraisal(result: AppraisalResult) -> None:
    """Ranking, decisions with reasons and a summary as artifacts; nothing outside a flow or task run."""
    if not _in_run():
        return
    plan, year = result.plan.code, result.year
    what = f"{plan} năm {year}"
    create_table_artifact(md_rows(as_text(ranking_rows(result))), key=artifact_key("ranking", plan, year), description=f"Xếp hạng theo {BASIS[result.basis]} {what}")
    create_table_artifact(md_rows(as_text(decision_rows(result))), key=artifact_key("proposals", plan, year), description=f"Đề nghị khen thưởng và lý do {what}")
    if rows := council_rows(result):
        create_table_artifact(md_rows(as_text(rows)), key=artifact_key("council", plan, year), description=f"Hội đồng quyết định {what}")
    create_markdown_artifact(summary_markdown(result), key=artifact_key("appraisal", plan, year), description=f"Thẩm định {what}")


@named_task("thẩm định và đề xuất khen thưởng")
def appraise_task(plan: Plan, year: int, as_of: datetime) -> AppraisalResult:
    """Appraise the cycle, save its proposals and publish the artifacts."""
    with session_scope() as session:
        result = appraise_cycle(session, plan, year, as_of)
    publish_appraisal(result)
    return result


@named_task("ghi danh sách, tờ trình, quyết định và giấy khen")
def write_proposal_files_task(result: AppraisalResult, out_dir: Path) -> list[Path]:
    """The XLSX list and the DOCX tờ trình; once the list is final, the quyết định and the certificates."""
    from documents.appraisal_files import write_appraisal_files  # document libraries load only when needed

    return write_appraisal_files(result, out_dir)


@named_task("báo cáo tổng kết năm")
def annual_report_task(plan: Plan, year: int, out_dir: Path) -> Path:
    with session_scope() as session:
        return annual_report(session, plan, year, out_dir)


@named_task("báo cáo sơ kết giai đoạn")
def phase_report_task(plan: Plan, out_dir: Path) -> Path:
    with session_scope() as session:
        return phase_report(session, plan, out_dir)
