"""The cycle's flows by `CycleFlow`, and the names of the deployments that run them: what the daily dispatcher,
the re-run form and `thidua deploy` start."""

from collections.abc import Callable
from datetime import date
from typing import Any

from flows.annual_review import annual_review
from flows.appraisal import appraisal
from flows.notify import notify
from flows.phase_summary import phase_summary
from thidua.cycle.decide import CycleFlow

CYCLE_FLOWS: dict[CycleFlow, Callable[..., dict[str, Any]]] = {
    CycleFlow.notify: notify,
    CycleFlow.appraisal: appraisal,
    CycleFlow.annual_review: annual_review,
    CycleFlow.phase_summary: phase_summary,
}

TAG = "thidua"  # every run of thidua carries it: its deployments' runs, and the subflows they start
DAILY_DEPLOYMENT = "thidua-daily"  # the dispatcher's deployment, under the flow "Điều phối hằng ngày"
STEP_DEPLOYMENT = "buoc-chu-ky"  # one due step a run, on the work pool (flows/step.py), under "Bước của chu kỳ"


def run_step(flow: CycleFlow, plan: str, year: int, step: str, day: date) -> dict[str, Any]:
    """Run one due step of a cycle as a run of its flow (a subflow when called from a flow)."""
    parameters: dict[str, Any] = {"plan": plan, "year": year, "as_of": day}
    if flow is CycleFlow.notify:
        parameters["step"] = step
    return CYCLE_FLOWS[flow](**parameters)
