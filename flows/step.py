"""One due step of a cycle as a flow run of its own: what the daily dispatcher starts on the work pool.

`thidua deploy` registers this flow as the cycle deployment (`flows.registry.STEP_DEPLOYMENT`). A run holds
a global concurrency slot named for its (plan, year, step), so two runs of one step never overlap, even
when two workers pick the same step by accident; the slot of a worker that died is freed when its lease
runs out (`SLOT_LEASE_S`). The outbox's claims keep every message single either way.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from prefect import flow, tags
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.concurrency.sync import concurrency
from prefect.exceptions import ObjectAlreadyExists

from flows.naming import due_run_name
from flows.registry import TAG, run_step
from services.runtime import today
from thidua.cycle.decide import CycleFlow

SLOT_LEASE_S = 60.0  # the shortest lease Prefect grants; renewed while the run lives


class StepProblems(Exception):
    """The step ran, but met problems the administrator must fix (the daily dispatcher reports them)."""

    def __init__(self, result: dict[str, Any]) -> None:
        self.result = result
        super().__init__("\n".join(result["issues"].values()))


def slot_name(plan: str, year: int, step: str) -> str:
    """The global concurrency limit of one step: `thidua · loc-ninh-2024-2025 · 2025 · launch` (Prefect names hold no '/')."""
    return f"thidua · {plan} · {year} · {step.replace('/', ' · ')}"


@contextmanager
def one_run_at_a_time(plan: str, year: int, step: str) -> Iterator[None]:
    """Hold the step's slot (a limit of 1, created on first use) while the block runs."""
    name = slot_name(plan, year, step)
    with get_client(sync_client=True) as client:
        try:
            client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=1))
        except ObjectAlreadyExists:
            pass
    with concurrency(name, occupy=1, lease_duration=SLOT_LEASE_S, strict=True):
        yield


@flow(name="Bước của chu kỳ", flow_run_name=due_run_name)
def cycle_step(plan: str, year: int, flow: CycleFlow, step: str, as_of: date | None = None) -> dict[str, Any]:
    """Chạy một bước đến hạn của chu kỳ thành một lượt chạy riêng trên work pool (điều phối hằng ngày tách ra);
    mỗi bước chỉ một lượt chạy một lúc; gặp sự cố thì kết thúc ở trạng thái Failed, kèm lời giải thích.

    Args:
        plan: mã kế hoạch
        year: năm của chu kỳ
        flow: luồng của bước (notify, appraisal, annual_review, phase_summary)
        step: bước, ví dụ launch hoặc ho_so_khen_thuong/submission_deadline@2025-12-01/remind-7d
        as_of: chạy như vào ngày này (để trống: hôm nay)
    """
    with one_run_at_a_time(plan, year, step), tags(TAG):  # its subflow carries the tag the pool's automations match
        result = run_step(flow, plan, year, step, as_of or today())
    if result.get("issues"):
        raise StepProblems(result)
    return result
