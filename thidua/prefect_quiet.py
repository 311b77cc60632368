"""Prefect settings for a clean terminal: the console shows warnings and errors, the UI keeps every log."""

import os


def quiet_prefect() -> None:
    """Call before Prefect is imported; explicit environment settings still win."""
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT", "false")
