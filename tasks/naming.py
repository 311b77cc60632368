"""Prefect tasks whose runs are named as the task is, without Prefect's random suffix."""

from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from prefect import Task, task

P = ParamSpec("P")
R = TypeVar("R")


def named_task(name: str, **options: Any) -> Callable[[Callable[P, R]], Task[P, R]]:
    """`@task(name=…)` whose runs read `name` as written: each shows under its flow run, where the name alone says
    what it did (Prefect would add `-a1b`)."""
    return task(name=name, task_run_name=name, **options)
