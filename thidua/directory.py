"""A plan's unit directory as the rules see it: who exists on a day, who merged into whom, and how to reach them."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from thidua.channels import Person
from thidua.words import ddmmyyyy

Target = Literal["focal", "unit_head"]

COLUMNS: tuple[str, ...] = (
    "code", "name", "group", "parent",
    "focal_name", "focal_email", "focal_phone", "focal_zalo_user_id",
    "head_name", "head_email", "head_phone",
    "valid_from", "valid_to", "merged_into",
)  # fmt: skip
"""The header of a directory file; each column is the directory field of the same name."""


def valid_on(valid_from: date | None, valid_to: date | None, day: date) -> bool:
    """Whether `day` falls between two validity dates (inclusive; None is open-ended)."""
    return (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)


@dataclass(frozen=True)
class Unit:
    """A collective of a plan's directory (department, district, commune...), valid between two dates."""

    code: str
    name: str
    group: str
    focal: Person
    head: Person
    parent: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    merged_into: str | None = None

    def exists_on(self, day: date) -> bool:
        """Whether the unit exists on `day` (validity dates inclusive)."""
        return valid_on(self.valid_from, self.valid_to, day)

    def person(self, target: Target) -> Person:
        """The unit's focal point, or its head."""
        return self.head if target == "unit_head" else self.focal


def gone_reason(unit: Unit, units: Mapping[str, Unit], day: date, *, on: str = "ngày thẩm định") -> str | None:
    """Why `unit` does not exist on `day` (`on` names that day), in words; None if it does."""
    if unit.exists_on(day):
        return None
    if unit.valid_from and day < unit.valid_from:
        return f"đơn vị chưa thành lập vào {on} (có hiệu lực từ {ddmmyyyy(unit.valid_from)})"
    assert unit.valid_to is not None
    since = ddmmyyyy(unit.valid_to + timedelta(days=1))
    if unit.merged_into:
        successor = units.get(unit.merged_into)
        name = f"{successor.name} ({successor.code})" if successor else unit.merged_into
        return f"đã sáp nhập vào {name} từ {since}; không xếp hạng riêng"
    return f"đơn vị không còn tồn tại từ {since}"
