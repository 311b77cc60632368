"""The daily dispatcher on a work pool: each due step becomes a flow run of the cycle deployment (flows/step.py),
so any worker runs it and two workers run two plans at once.

The dispatcher waits for the runs it started. A run that crashed (its worker died; Prefect marks such a run
Crashed when its heartbeats stop, see `deployments/pool.py`) is started once more: what it had done stays
done (a step's messages are recorded with the step, and the outbox hands a dead sender's claims to the next
sender), so the second run finishes the rest. A run that failed, crashed twice or did not finish in time is
reported as a problem of its plan.
"""

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterDeploymentId,
    FlowRunFilterId,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.client.schemas.sorting import FlowRunSort
from prefect.context import FlowRunContext
from prefect.deployments import run_deployment

from flows.registry import STEP_DEPLOYMENT
from flows.step import cycle_step
from tasks.dispatch import DueRun, step_problem
from thidua.dates import local_day

ATTEMPTS = 2  # a step whose run crashed is started once more
REDISPATCHES = 3  # a day whose dispatcher crashed this many times is left to the administrator
PAGE = 200  # runs read per request (the API's limit)
FINAL = {StateType.COMPLETED, StateType.FAILED, StateType.CRASHED, StateType.CANCELLED}


@dataclass(frozen=True)
class RunState:
    """Where a started run stands: its state, its name in the UI, the state's message."""

    type: StateType
    name: str
    message: str = ""


class Pool(Protocol):
    """Starts a due step as a flow run on the pool, and reads the states of started runs."""

    def start(self, due: DueRun, day: date, attempt: int) -> UUID: ...

    def states(self, runs: Collection[UUID]) -> Mapping[UUID, RunState]: ...


@dataclass
class _Started:
    due: DueRun
    attempt: int
    crashed: list[str] = field(default_factory=list)  # names of this step's earlier runs that crashed


def on_pool() -> bool:
    """Whether the current flow run was started by a worker of a work pool (`thidua deploy`), not by `serve`."""
    context = FlowRunContext.get()
    return bool(context and context.flow_run and context.flow_run.work_pool_name)


def _finished(started: _Started, state: RunState) -> dict[str, Any]:
    due = started.due
    again = f" (lượt trước bị gián đoạn vì máy chạy dừng: {', '.join(started.crashed)}; đã chạy lại)" if started.crashed else ""
    if state.type is StateType.COMPLETED:
        return {"flow": due.flow.value, "plan": due.plan, "year": due.year, "step": due.step, "lines": [f"{due.label}: xong, lượt chạy “{state.name}”{again}"]}
    why = {StateType.CRASHED: "bị gián đoạn hai lần (máy chạy dừng)", StateType.CANCELLED: "bị hủy"}.get(state.type, "kết thúc lỗi")
    detail = f": {state.message}" if state.message else ""
    return step_problem(due, f"Kế hoạch {due.plan} · {due.year}: bước “{due.label}” {why}, lượt chạy “{state.name}”{detail}{again}")


def run_on_pool(
    pool: Pool, dues: Sequence[DueRun], day: date, *, wait_s: float, poll_s: float = 5.0,
    clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
) -> list[dict[str, Any]]:  # fmt: skip
    """Start every due step on the pool, wait (at most `wait_s`) until each has finished, and return one result
    per step, in the order of `dues`, as the in-process dispatch does."""
    running = {pool.start(due, day, 1): _Started(due, 1) for due in dues}
    results: dict[DueRun, dict[str, Any]] = {}
    deadline = clock() + wait_s
    while running and clock() < deadline:
        sleep(poll_s)
        for run, state in pool.states(list(running)).items():
            if state.type not in FINAL:
                continue
            started = running.pop(run)
            if state.type is StateType.CRASHED and started.attempt < ATTEMPTS:
                again = _Started(started.due, started.attempt + 1, [*started.crashed, state.name])
                running[pool.start(started.due, day, again.attempt)] = again
                continue
            results[started.due] = _finished(started, state)
    minutes = round(wait_s / 60)
    for started in running.values():
        results[started.due] = step_problem(
            started.due, f"Kế hoạch {started.due.plan} · {started.due.year}: bước “{started.due.label}” chưa xong sau {minutes} phút; "
            "xem lượt chạy trên giao diện Prefect (work pool có worker nào đang chạy không?)",
        )  # fmt: skip
    return [results[due] for due in dues]


class CrashLoop(Exception):
    """The day's dispatcher keeps crashing (its worker dies in it every time): not run again by itself."""


def _day_of(run: Any) -> date | None:
    """The day a dispatcher run was for: its `as_of`, or the local day it was scheduled on."""
    as_of = (run.parameters or {}).get("as_of")
    if as_of:
        return date.fromisoformat(str(as_of))
    return local_day(run.expected_start_time) if run.expected_start_time else None


def crash_loop(crashed: Sequence[Any], day: date) -> str | None:
    """Why `day` must not be dispatched again by itself: its dispatcher already crashed `REDISPATCHES` times (an
    automation runs a crashed one again; one that crashes every time, e.g. out of memory, must not loop for ever)."""
    times = sum(1 for run in crashed if _day_of(run) == day)
    if times < REDISPATCHES:
        return None
    return (
        f"Điều phối ngày {day:%d/%m/%Y} đã bị gián đoạn {times} lần (worker chạy nó dừng giữa chừng): không tự chạy lại nữa. "
        "Xem nhật ký và bộ nhớ của các máy chạy worker, sửa rồi chạy lại ngày này bằng thidua tick --as-of hoặc trên giao diện Prefect."
    )


def stop_a_crash_loop(client: SyncPrefectClient, deployment_id: UUID | None, day: date) -> None:
    """Raise `CrashLoop` if the dispatcher of `deployment_id` crashed too often on `day`."""
    if deployment_id is None:
        return
    crashed = FlowRunFilter(
        deployment_id=FlowRunFilterDeploymentId(any_=[deployment_id]),
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.CRASHED])),
    )
    if why := crash_loop(client.read_flow_runs(flow_run_filter=crashed, sort=FlowRunSort.ID_DESC, limit=PAGE), day):
        raise CrashLoop(why)


class PrefectPool:
    """The work pool through the Prefect API: runs of the cycle deployment, linked to the dispatcher's run."""

    def __init__(self, client: SyncPrefectClient) -> None:
        self._client = client
        context = FlowRunContext.get()
        self._parent = str(context.flow_run.id) if context and context.flow_run else "-"

    def start(self, due: DueRun, day: date, attempt: int) -> UUID:
        run = run_deployment(
            f"{cycle_step.name}/{STEP_DEPLOYMENT}",
            parameters={"plan": due.plan, "year": due.year, "flow": due.flow.value, "step": due.step, "as_of": day.isoformat()},
            timeout=0,
            tags=[due.plan, str(due.year), due.flow.tag],
            idempotency_key=f"{self._parent} · {due.plan} · {due.year} · {due.step} · {attempt}",
        )
        return run.id

    def states(self, runs: Collection[UUID]) -> Mapping[UUID, RunState]:
        ids, found = list(runs), []
        for start in range(0, len(ids), PAGE):  # limit and sort given: the sync client would send nulls (Prefect 3.8.8)
            chunk = FlowRunFilter(id=FlowRunFilterId(any_=ids[start : start + PAGE]))
            found += self._client.read_flow_runs(flow_run_filter=chunk, sort=FlowRunSort.ID_DESC, limit=PAGE)
        return {run.id: RunState(run.state.type, run.name, run.state.message or "") for run in found if run.state}
