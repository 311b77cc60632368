"""The daily dispatcher: for a day, run every due step of every plan's cycle as a flow run of its own."""

from datetime import date
from typing import Any

from prefect import flow, tags
from prefect.artifacts import create_markdown_artifact
from prefect.client.orchestration import get_client
from prefect.context import FlowRunContext
from prefect.runtime import flow_run

from config import get_settings
from flows.fanout import PrefectPool, on_pool, run_on_pool, stop_a_crash_loop
from flows.registry import TAG, run_step
from services.plans import plan_file_errors
from services.runtime import today
from tasks.dispatch import PLAN_PROBLEM, DueRun, record_dispatch_done, step_problem, what_is_due
from tasks.logs import run_logger
from tasks.publish import artifact_key
from tasks.send import alert_administrator, send_messages
from thidua.errors import fault_line
from thidua.markdown import md
from thidua.words import ddmmyyyy, long_date, result_heading

SENDING_TO_DO = (
    "Việc cần làm với kênh gửi: kiểm tra cấu hình (thidua notify test --channel …), xem tin đang chờ sau lỗi "
    "(thidua outbox list --status waiting) và tin bị từ chối (thidua outbox list --status failed), "
    "sửa rồi gửi lại (thidua outbox retry --send). Tin chưa gửi được vẫn được giữ, không mất."
)
PLANS_TO_DO = (
    "Việc cần làm với kế hoạch lỗi: sửa tệp kế hoạch (kiểm tra bằng thidua plan check <tệp>) hoặc dữ liệu của nó; "
    "kế hoạch lỗi không được điều phối cho đến khi sửa xong, các kế hoạch khác vẫn chạy."
)


class DispatchProblems(Exception):
    """The day's work is done, but sending or a plan met problems the administrator must fix; carries the day's results."""

    def __init__(self, day: date, issues: dict[str, str], results: list[dict[str, Any]]) -> None:
        self.problems, self.results = list(issues.values()), results
        lines = "\n".join(f"- {line}" for line in self.problems)
        of_plans = [key.startswith(PLAN_PROBLEM) for key in issues]
        to_do = ([SENDING_TO_DO] if not all(of_plans) else []) + ([PLANS_TO_DO] if any(of_plans) else [])
        super().__init__(f"Điều phối ngày {ddmmyyyy(day)} đã chạy xong nhưng gặp sự cố:\n{lines}\n" + "\n".join(to_do))


def _run_name() -> str:
    as_of = flow_run.parameters.get("as_of")
    day = date.fromisoformat(str(as_of)) if as_of else today()
    return f"Điều phối ngày {long_date(day)}"


def _publish(day: date, results: list[dict[str, Any]]) -> None:
    lines = [f"- **{md(result_heading(r))}**: {md(line)}" for r in results for line in r["lines"]]
    create_markdown_artifact(
        f"# Điều phối ngày {long_date(day)}\n\n" + ("\n".join(lines) or "Không có việc đến hạn."),
        key="dieu-phoi-hang-ngay",
        description="Việc đã chạy trong lần điều phối gần nhất",
    )


def _run_isolated(due: DueRun, day: date) -> dict[str, Any]:
    """Run one due step; a step that fails is reported as a problem of its plan, and the day goes on."""
    try:
        with tags(TAG, due.plan, str(due.year), due.flow.tag):
            return run_step(due.flow, due.plan, due.year, due.step, day)
    except Exception as exc:  # noqa: BLE001  (one plan's fault must not stop the others)
        logger = run_logger("thidua.dispatch")
        logger.error("Kế hoạch %s · %s: bước %s gặp lỗi: %s", due.plan, due.year, due.step, fault_line(exc))
        logger.debug("Chi tiết lỗi của bước %s", due.step, exc_info=True)
        return step_problem(due, f"Kế hoạch {due.plan} · {due.year}: bước “{due.label}” gặp lỗi ({fault_line(exc)}); các kế hoạch khác vẫn chạy")


def _run_steps(runs: list[DueRun], day: date) -> list[dict[str, Any]]:
    """Every due step: as flow runs of the cycle deployment when this run came from a work pool (`thidua deploy`),
    any worker running each; otherwise one after another in this process (`thidua serve`, `tick`, the embedded
    scheduler)."""
    if not on_pool():
        return [_run_isolated(due, day) for due in runs]
    with get_client(sync_client=True) as client:
        stop_a_crash_loop(client, FlowRunContext.get().flow_run.deployment_id, day)  # type: ignore[union-attr]
        return run_on_pool(PrefectPool(client), runs, day, wait_s=get_settings().step_wait_s)


def _broken_files(day: date) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The plan files skipped today: a result line and a problem each."""
    issues = {}
    for name, errors in plan_file_errors().items():
        more = f" (và {len(errors) - 3} lỗi khác)" if len(errors) > 3 else ""
        issues[f"{PLAN_PROBLEM}file-{artifact_key(name)}"[:60]] = f"Bỏ qua tệp kế hoạch lỗi {name}: " + "; ".join(errors[:3]) + more
    if issues:
        run_logger("thidua.dispatch").error("Bỏ qua tệp kế hoạch lỗi:\n%s", "\n".join(issues.values()))
    results = [{"flow": "plans", "plan": "*", "year": day.year, "lines": list(issues.values())}] if issues else []
    return results, issues


@flow(name="Điều phối hằng ngày", flow_run_name=_run_name)
def daily(as_of: date | None = None) -> list[dict[str, Any]]:
    """Chạy mọi việc đến hạn trong ngày của các kế hoạch đang hoạt động; gửi lại tin nhắn đến lượt thử lại.

    Mỗi kế hoạch chạy riêng: tệp kế hoạch lỗi hoặc một kế hoạch tính lỗi được báo trong bản tóm tắt, các kế hoạch
    khác vẫn chạy. Gặp sự cố (kênh gửi dừng, tin bị từ chối hoặc lỗi, kế hoạch lỗi): sau khi làm xong mọi việc,
    báo cơ quan thường trực qua kênh còn dùng được và kết thúc ở trạng thái Failed.

    Args:
        as_of: chạy như vào ngày này (để trống: hôm nay)
    """
    day = as_of or today()
    todo = what_is_due(day)
    results = _run_steps(todo.runs, day)
    sending = send_messages(day)  # confirmations, retries and deferred messages whose time has come
    if sum(sending.sent.values()) or sending.problems:
        line = f"Gửi {sum(sending.sent.values())} tin nhắn còn chờ trong hộp thư đi (xác nhận nhận hồ sơ, gửi lại)"
        results.append({"flow": "outbox", "plan": "*", "year": day.year, "lines": [line, *sending.problems], "sent": sending.sent})
    for plan, year, line in todo.awaited:
        results.append({"flow": "guidance", "plan": plan, "year": year, "lines": [line]})
    if todo.broken:
        results.append({"flow": "plans", "plan": "*", "year": day.year, "lines": list(todo.broken.values())})
    broken_files, file_issues = _broken_files(day)
    results += broken_files
    _publish(day, results)
    issues = {key: line for r in results for key, line in r.get("issues", {}).items()} | sending.issues | todo.broken | file_issues
    record_dispatch_done(day)
    if issues:
        down = sorted({name for r in results for name in r.get("down", [])} | set(sending.down))
        alert_administrator(day, issues, down)
        raise DispatchProblems(day, issues, results)
    return results
