"""The Vietnamese working-day calendar: weekends, `holidays.VN`, swapped days and local overrides.

Pure and fast: no I/O; holiday tables are built once per year and cached.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays
from holidays.countries.vietnam import VietnamStaticHolidays

from thidua.words import weekday

ONE_DAY = timedelta(days=1)


def _swaps() -> dict[date, date]:
    """Make-up working Saturdays derived from the swapped days off in `holidays.VN` (worked day -> day off)."""
    swaps: dict[date, date] = {}
    for year, entries in VietnamStaticHolidays.special_public_holidays.items():
        for entry in entries if isinstance(entries[0], tuple) else (entries,):
            month, day, from_month, from_day, *from_year = entry
            swaps[date(from_year[0] if from_year else year, from_month, from_day)] = date(year, month, day)
    return swaps


MAKE_UP_WORKING_DAYS: dict[date, date] = _swaps()


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> dict[date, str]:
    return dict(holidays.VN(years=year, language="vi"))


class WorkingCalendar:
    """Which days are working days for civil servants, with an administrator's overrides on top."""

    def __init__(self, extra_days_off: Iterable[date] = (), extra_working_days: Iterable[date] = ()) -> None:
        self.extra_days_off = frozenset(extra_days_off)
        self.extra_working_days = frozenset(extra_working_days)

    def day_off_reason(self, day: date) -> str | None:
        """Why `day` is not a working day (`Chủ Nhật`, `Tết Nguyên Đán`, ...), or None if it is one."""
        if day in self.extra_working_days:
            return None
        if day in self.extra_days_off:
            return "ngày nghỉ do cơ quan bổ sung"
        if name := _public_holidays(day.year).get(day):
            return name
        if day in MAKE_UP_WORKING_DAYS:
            return None
        if day.weekday() >= 5:
            return weekday(day)
        return None

    def is_working_day(self, day: date) -> bool:
        return self.day_off_reason(day) is None

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def previous_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the last working day before it."""
        while not self.is_working_day(day):
            day -= ONE_DAY
        return day

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day` (before it if n < 0); the first day is not counted."""
        step = ONE_DAY if n >= 0 else -ONE_DAY
        for _ in range(abs(n)):
            day += step
            while not self.is_working_day(day):
                day += step
        return day
