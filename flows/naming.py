"""Prefect run names: the plan's short name and year, then what the run does (`thidua.cycle.titles`).

Prefect calls these when a run starts, with the run's parameters in `prefect.runtime.flow_run`; a plan
that cannot be read is named by its code, so a run is never refused for its name.
"""

from collections.abc import Callable, Mapping
from typing import Any

from prefect.runtime import flow_run

from services.plans import find_plan
from thidua.cycle.decide import CycleFlow
from thidua.cycle.titles import cycle_title, step_title
from thidua.errors import InvalidInput
from thidua.plan.schema import Plan
from thidua.words import FLOW


def _plan(code: str) -> Plan | None:
    try:
        return find_plan(code)
    except InvalidInput:
        return None


def _cycle(parameters: Mapping[str, Any]) -> tuple[Plan | None, str]:
    code, year = str(parameters.get("plan", "")), int(parameters.get("year") or 0)
    plan = _plan(code)
    return plan, cycle_title(plan, year) if plan else f"{code} {year}"


def step_run_name() -> str:
    """`Lộc Ninh 2025 · nhắc trước 7 ngày: Hồ sơ đề nghị khen thưởng (hạn 01/12/2025)`."""
    parameters = flow_run.parameters
    plan, title = _cycle(parameters)
    step = str(parameters.get("step", ""))
    return f"{title} · {step_title(plan, step) if plan else step}"


def cycle_run_name(words: str) -> Callable[[], str]:
    """A run name `Lộc Ninh 2025 · <words>` for a flow of one cycle."""

    def name() -> str:
        return f"{_cycle(flow_run.parameters)[1]} · {words}"

    return name


def form_run_name(words: Callable[[Any], str]) -> Callable[[], str]:
    """A run name for an administrator's form: `Lộc Ninh 2025 · <words(form)>`, the form being the run's one parameter."""

    def name() -> str:
        [form] = flow_run.parameters.values()
        values = form if isinstance(form, Mapping) else form.model_dump()
        return f"{_cycle({'plan': values.get('ke_hoach'), 'year': values.get('nam')})[1]} · {words(values)}"

    return name


def due_run_name() -> str:
    """A run of one due step (flows/step.py): named as the run of its flow would be."""
    parameters = flow_run.parameters
    kind = str(parameters.get("flow", ""))
    if kind == CycleFlow.notify:
        return step_run_name()
    return f"{_cycle(parameters)[1]} · {FLOW.get(kind, kind)}"
