"""The logger of the current Prefect run (its lines reach the UI), or a plain logger when called outside a run."""

import logging

from prefect.context import FlowRunContext, TaskRunContext
from prefect.logging import get_run_logger


def run_logger(fallback: str) -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    """The run's logger inside a flow or task run; the logger named `fallback` otherwise (`task.fn(...)`, tests)."""
    if TaskRunContext.get() is None and FlowRunContext.get() is None:
        return logging.getLogger(fallback)
    return get_run_logger()
