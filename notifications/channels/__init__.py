"""Transports of the channels in `thidua.channels.REGISTRY`, built from settings by each channel's module."""

from collections.abc import Callable, Collection
from pkgutil import resolve_name

from sqlalchemy import Engine

from config import Settings
from notifications.channels.base import Transport
from thidua.channels import REGISTRY


def build_channels(settings: Settings, engine: Engine, only: Collection[str] | None = None) -> dict[str, Transport]:
    """The transport of every registered channel by name, or of those in `only`."""
    names = [name for name in REGISTRY if only is None or name in only]
    builders: dict[str, Callable[[Settings, Engine], Transport]] = {name: resolve_name(REGISTRY[name].transport) for name in names}
    return {name: build(settings, engine) for name, build in builders.items()}
