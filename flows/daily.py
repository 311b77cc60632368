"""The daily dispatcher: for a day, run every plan's cycle flows that are due, as subflows."""

from datetime import date
from typing import Any

from prefect import flow, get_run_logger, tags, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.annual_review import annual_review
from flows.appraisal import appraisal
from flows.chase import chase
from flows.launch import launch
from flows.phase_summary import phase_summary
from models.db import session_scope
from tasks.cycle import plan_file_errors, plans, send_now, today
from thidua.cycle import cycle_milestones, working_calendar
from thidua.dispatch import candidate_years, due_flows
from thidua.words import long_date

FLOWS = {
    "launch": launch,
    "chase": chase,
    "appraisal": appraisal,
    "annual_review": annual_review,
    "phase_summary": phase_summary,
}


def _run_name() -> str:
    as_of = flow_run.parameters.get("as_of")
    return f"điều phối hằng ngày · {as_of or today()}"


@task(name="xác định việc đến hạn", cache_policy=NO_CACHE)
def what_is_due(day: date) -> list[tuple[str, int, str]]:
    """(plan, year, flow) for everything due on `day`, from dates and recorded events only."""
    from sqlmodel import select

    from models import CycleEvent

    due = []
    with session_scope() as session:
        for plan in plans().values():
            cal = working_calendar(session, plan)
            for year in candidate_years(plan, day):
                done = set(
                    session.exec(
                        select(CycleEvent.kind, CycleEvent.key).where(
                            CycleEvent.plan == plan.code, CycleEvent.year == year
                        )
                    ).all()
                )
                milestones = cycle_milestones(session, plan, year, cal)
                due += [(plan.code, year, name) for name in due_flows(plan, year, day, milestones, done, cal)]
    return due


@flow(name="daily", flow_run_name=_run_name)
def daily(as_of: date | None = None) -> list[dict[str, Any]]:
    """Chạy mọi việc đến hạn trong ngày của các kế hoạch đang hoạt động; gửi lại tin nhắn đến lượt thử lại."""
    day = as_of or today()
    results = []
    for plan, year, name in what_is_due(day):
        with tags(plan, str(year), name):
            results.append({"flow": name, **FLOWS[name](plan=plan, year=year, as_of=day)})
    sent, alerts = send_now()  # confirmations, retries and deferred messages whose time has come
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
