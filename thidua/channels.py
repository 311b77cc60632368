"""The channel registry: every way of reaching people, by name, with how a person is addressed on it.

A channel is one transport module (in `notifications/channels/`) plus one `register(...)` line here.
The core knows a channel's transport only by its import path ("module:function", the form APScheduler
and `pkgutil.resolve_name` use), so it imports no network code; `notifications.channels` builds it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """Someone a message is for, and the addresses they can be reached at."""

    name: str
    email: str | None = None
    phone: str | None = None  # a Vietnamese mobile number as 84xxxxxxxxx
    zalo_user_id: str | None = None  # the follower id of the Official Account


@dataclass(frozen=True)
class ChannelSpec:
    """One channel: its name in plan files, its label, how a person is addressed, its fallback, its transport."""

    name: str
    label: str
    address: Callable[[Person], str | None]
    transport: str  # "module:function" taking (settings, engine) and returning the transport
    fallback: str | None = None  # channel that takes over when this one cannot reach the recipient


REGISTRY: dict[str, ChannelSpec] = {}


def register(spec: ChannelSpec) -> ChannelSpec:
    """Add (or replace) a channel; plan files may then name it under `channels`."""
    REGISTRY[spec.name] = spec
    return spec


def addresses(person: Person, channels: Iterable[str]) -> dict[str, str]:
    """The person's address on each of `channels` that can reach them."""
    found = {name: REGISTRY[name].address(person) for name in channels}
    return {name: address for name, address in found.items() if address}


def fallback_address(person: Person, channel: str) -> tuple[str, str] | None:
    """(channel, address) to fall back to when `channel` cannot reach `person`, if any."""
    fallback = REGISTRY[channel].fallback
    address = REGISTRY[fallback].address(person) if fallback else None
    return (fallback, address) if fallback and address else None


OA_PREFIX = "user:"  # a Zalo address of a follower of the Official Account; otherwise a phone for ZNS


def _zalo(person: Person) -> str | None:
    """OA message to a follower when we know the user_id, else ZNS to the phone."""
    return f"{OA_PREFIX}{person.zalo_user_id}" if person.zalo_user_id else person.phone


register(ChannelSpec("email", "email", lambda person: person.email, "notifications.channels.email:from_settings"))
register(ChannelSpec("zalo", "Zalo", _zalo, "notifications.channels.zalo:from_settings", fallback="email"))
