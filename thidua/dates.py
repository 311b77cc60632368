"""Dates in Vietnam: the timezone, the day of an instant, and parsing the dates people write.

Parsing accepts `30/11/2025`, `2025-11-30` and yearly `30/11`, with reasons in plain Vietnamese.
"""

import calendar
import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

TIMEZONE = "Asia/Ho_Chi_Minh"  # UTC+7, no daylight saving
TZ = ZoneInfo(TIMEZONE)


def end_of_day(day: date) -> datetime:
    """The last instant of `day` in Vietnam: a deadline on `day` ends then."""
    return datetime.combine(day, time.max, tzinfo=TZ)


def local_day(instant: datetime) -> date:
    """The Vietnamese calendar day of an instant."""
    return instant.astimezone(TZ).date()

_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DM = re.compile(r"^\s*(\d{1,2})/(\d{1,2})\s*$")


FIRST_YEAR, LAST_YEAR = 1900, 2200
"""The years a date may fall in: anything outside is a typing error, and date arithmetic stays far from its limits."""

Years = tuple[int, int]
PLAN_YEARS: Years = (2000, 2100)  # the years a plan may cover


def _year(year: int, years: Years, what: str) -> int:
    if not years[0] <= year <= years[1]:
        raise ValueError(f"năm {year} nằm ngoài khoảng {years[0]}–{years[1]}{what}")
    return year


def _check(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"không có tháng {month}; tháng phải từ 1 đến 12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        if month == 2:
            raise ValueError(f"tháng 2 năm {year} chỉ có {last} ngày")
        raise ValueError(f"tháng {month} chỉ có {last} ngày")
    return date(year, month, day)


def parse_date(value: object, years: Years = (FIRST_YEAR, LAST_YEAR), what: str = "") -> date:
    """A date from `dd/mm/yyyy`, ISO `yyyy-mm-dd` or a `date`, in `years`; ValueError says why not (`what` names
    the range: " của một kế hoạch")."""
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        _year(day.year, years, what)
        return day
    text = str(value)
    if m := _DMY.match(text):
        return _check(_year(int(m[3]), years, what), int(m[2]), int(m[1]))
    if m := _ISO.match(text):
        return _check(_year(int(m[1]), years, what), int(m[2]), int(m[3]))
    raise ValueError("ngày phải viết dạng dd/mm/yyyy (ví dụ 30/11/2025) hoặc yyyy-mm-dd")


def parse_day_month(value: object) -> tuple[int, int]:
    """A yearly `dd/mm` as (day, month); 29/02 is refused since it does not occur every year."""
    m = _DM.match(str(value))
    if not m:
        raise ValueError("ngày hằng năm phải viết dạng dd/mm (ví dụ 30/11)")
    day, month = int(m[1]), int(m[2])
    if (day, month) == (29, 2):
        raise ValueError("29/02 không có ở mọi năm; hãy chọn 28/02 hoặc 01/03")
    _check(2001, month, day)
    return day, month
