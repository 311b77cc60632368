"""The daily dispatcher: for a day, run every due step of every plan's cycle as a flow run of its own."""

from datetime import date
from typing import Any

from prefect import flow, get_run_logger, tags
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run

from flows.registry import run_step
from services.plans import plan_file_errors
from services.runtime import today
from tasks.dispatch import what_is_due
from tasks.send import send_messages
from thidua.words import long_date


def _run_name() -> str:
    as_of = flow_run.parameters.get("as_of")
    return f"điều phối hằng ngày · {as_of or today()}"


@flow(name="dieu-phoi-hang-ngay", flow_run_name=_run_name)
def daily(as_of: date | None = None) -> list[dict[str, Any]]:
    """Chạy mọi việc đến hạn trong ngày của các kế hoạch đang hoạt động; gửi lại tin nhắn đến lượt thử lại."""
    day = as_of or today()
    results = []
    for due in what_is_due(day):
        with tags(due.plan, str(due.year), due.flow.value):
            results.append(run_step(due.flow, due.plan, due.year, due.step, day))
    sent, alerts = send_messages()  # confirmations, retries and deferred messages whose time has come
    if sum(sent.values()) or alerts:
        line = f"Gửi {sum(sent.values())} tin nhắn còn chờ trong hộp thư đi (xác nhận nhận hồ sơ, gửi lại)"
        results.append({"flow": "outbox", "plan": "*", "year": day.year, "lines": [line, *alerts], "sent": sent})
    if broken := plan_file_errors():
        get_run_logger().error("Bỏ qua tệp kế hoạch lỗi:\n%s", "\n".join(broken))
        results.append({"flow": "plans", "plan": "*", "year": day.year, "lines": [f"Bỏ qua tệp kế hoạch lỗi — {e}" for e in broken]})
    lines = [f"- **{r['plan']} · {r['year']} · {r['flow']}**: {line}" for r in results for line in r["lines"]]
    create_markdown_artifact(
        f"# Điều phối ngày {long_date(day)}\n\n" + ("\n".join(lines) or "Không có việc đến hạn."),
        key="dieu-phoi-hang-ngay",
        description="Việc đã chạy trong lần điều phối gần nhất",
    )
    return results
