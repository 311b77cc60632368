"""Vietnamese presentation of dates: `dd/mm/yyyy` with the weekday."""

from datetime import date

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def weekday(day: date) -> str:
    """`Thứ Hai` … `Chủ Nhật`."""
    return WEEKDAYS[day.weekday()]


def ddmmyyyy(day: date) -> str:
    """`01/12/2025`."""
    return day.strftime("%d/%m/%Y")


def long_date(day: date) -> str:
    """`Thứ Hai, 01/12/2025`."""
    return f"{weekday(day)}, {ddmmyyyy(day)}"
