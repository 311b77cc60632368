"""Every task's runs read as the task is named, in Vietnamese, without Prefect's random suffix."""

import importlib

from prefect import Task
from prefect._internal.engine import resolve_custom_task_run_name

MODULES = ("tasks.appraisal", "tasks.cycle", "tasks.dispatch", "tasks.publish", "tasks.send")


def test_each_task_run_is_named_as_its_task() -> None:
    tasks = [value for name in MODULES for value in vars(importlib.import_module(name)).values() if isinstance(value, Task)]
    named = {t.name: resolve_custom_task_run_name(t, {}) for t in tasks if t.name != "gửi thông báo"}  # its own: test_notify_outbox
    assert len(named) == 11 and all(run_name == name for name, run_name in named.items())
