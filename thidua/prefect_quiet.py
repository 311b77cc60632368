"""Prefect settings for a machine without internet and for a clean terminal (call before importing Prefect)."""

import os


def offline_prefect() -> None:
    """No telemetry or promotional calls (they fail without internet and print errors); explicit settings win."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT", "false")


def quiet_prefect() -> None:
    """Also keep the console to warnings and errors; the Prefect UI still receives every log."""
    offline_prefect()
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
