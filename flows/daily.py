"""The daily dispatcher: for a day, run every due step of every plan's cycle as a flow run of its own."""

from datetime import date
from typing import Any

from prefect import flow, get_run_logger, tags
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run

from flows.registry import run_step
from services.plans import plan_file_errors
from services.runtime import today
from tasks.dispatch import record_dispatch_done, what_is_due
from tasks.send import alert_administrator, send_messages
from thidua.words import ddmmyyyy, long_date, result_heading

WHAT_TO_DO = (
    "Việc cần làm: kiểm tra cấu hình kênh gửi (thidua notify test --channel …), xem tin đang chờ sau lỗi "
    "(thidua outbox list --status waiting) và tin bị từ chối (thidua outbox list --status failed), "
    "sửa rồi gửi lại (thidua outbox retry --send). Tin chưa gửi được vẫn được giữ, không mất."
)


class DispatchProblems(Exception):
    """The day's work is done, but sending met problems the administrator must fix; carries the day's results."""

    def __init__(self, day: date, problems: list[str], results: list[dict[str, Any]]) -> None:
        self.problems, self.results = problems, results
        lines = "\n".join(f"- {line}" for line in problems)
        super().__init__(f"Điều phối ngày {ddmmyyyy(day)} đã chạy xong nhưng gửi thông báo gặp sự cố:\n{lines}\n{WHAT_TO_DO}")


def _run_name() -> str:
    as_of = flow_run.parameters.get("as_of")
    day = date.fromisoformat(str(as_of)) if as_of else today()
    return f"Điều phối ngày {long_date(day)}"


def _publish(day: date, results: list[dict[str, Any]]) -> None:
    lines = [f"- **{result_heading(r)}**: {line}" for r in results for line in r["lines"]]
    create_markdown_artifact(
        f"# Điều phối ngày {long_date(day)}\n\n" + ("\n".join(lines) or "Không có việc đến hạn."),
        key="dieu-phoi-hang-ngay",
        description="Việc đã chạy trong lần điều phối gần nhất",
    )


@flow(name="Điều phối hằng ngày", flow_run_name=_run_name)
def daily(as_of: date | None = None) -> list[dict[str, Any]]:
    """Chạy mọi việc đến hạn trong ngày của các kế hoạch đang hoạt động; gửi lại tin nhắn đến lượt thử lại.

    Gửi thông báo gặp sự cố (kênh dừng, tin bị từ chối hoặc lỗi): sau khi làm xong mọi việc, báo cơ quan
    thường trực qua kênh còn dùng được và kết thúc ở trạng thái Failed.

    Args:
        as_of: chạy như vào ngày này (để trống: hôm nay)
    """
    day = as_of or today()
    results = []
    todo = what_is_due(day)
    for due in todo.runs:
        with tags(due.plan, str(due.year), due.flow.tag):
            results.append(run_step(due.flow, due.plan, due.year, due.step, day))
    sending = send_messages(day)  # confirmations, retries and deferred messages whose time has come
    if sum(sending.sent.values()) or sending.problems:
        line = f"Gửi {sum(sending.sent.values())} tin nhắn còn chờ trong hộp thư đi (xác nhận nhận hồ sơ, gửi lại)"
        results.append({"flow": "outbox", "plan": "*", "year": day.year, "lines": [line, *sending.problems], "sent": sending.sent})
    for plan, year, line in todo.awaited:
        results.append({"flow": "guidance", "plan": plan, "year": year, "lines": [line]})
    if broken := plan_file_errors():
        get_run_logger().error("Bỏ qua tệp kế hoạch lỗi:\n%s", "\n".join(broken))
        results.append({"flow": "plans", "plan": "*", "year": day.year, "lines": [f"Bỏ qua tệp kế hoạch lỗi — {e}" for e in broken]})
    _publish(day, results)
    issues = {key: line for r in results for key, line in r.get("issues", {}).items()} | sending.issues
    record_dispatch_done(day)
    if issues:
        down = sorted({name for r in results for name in r.get("down", [])} | set(sending.down))
        alert_administrator(day, issues, down)
        raise DispatchProblems(day, list(issues.values()), results)
    return results
