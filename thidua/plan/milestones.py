"""Which date each milestone of a plan falls on in a given year, and the rule that produced it."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from thidua.calendar import ONE_DAY, WorkingCalendar
from thidua.errors import InputError, InvalidInput
from thidua.plan.schema import (
    AdminRule,
    CycleStartRule,
    FixedRule,
    GuidanceRule,
    Milestone,
    OffsetRule,
    Plan,
    Roll,
    WindowRule,
    YearlyRule,
)
from thidua.words import ROLL as ROLL_WORDS
from thidua.words import ddmmyyyy


@dataclass(frozen=True)
class ScheduledMilestone:
    """A milestone of one cycle: nominal and effective date (None while pending) and the rule in words."""

    kind: str
    label: str
    nominal: date | None
    date: date | None
    status: Literal["scheduled", "pending", "awaiting_guidance"]
    rule: str

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "nominal_date": self.nominal.isoformat() if self.nominal else None,
            "date": self.date.isoformat() if self.date else None,
            "status": self.status,
            "rule": self.rule,
        }


def plan_calendar(plan: Plan, extra: WorkingCalendar | None = None) -> WorkingCalendar:
    """The working calendar of `plan`: its own changes plus an administrator's (`extra`)."""
    return WorkingCalendar(
        extra_days_off=[*plan.calendar.extra_days_off, *(extra.extra_days_off if extra else ())],
        extra_working_days=[*plan.calendar.extra_working_days, *(extra.extra_working_days if extra else ())],
    )


def _dm(day_month: tuple[int, int]) -> str:
    return f"{day_month[0]:02d}/{day_month[1]:02d}"


def window_of(rule: WindowRule, year: int) -> tuple[date, date]:
    """The first and last day of a window rule in cycle `year`."""
    y = year + rule.year_offset
    return date(y, rule.start[1], rule.start[0]), date(y, rule.end[1], rule.end[0])


def _applies(plan: Plan, milestone: Milestone, year: int) -> bool:
    if milestone.occurs == "final_year" and year != plan.cycle_years[-1]:
        return False
    if isinstance(milestone.rule, FixedRule):
        return (milestone.rule.cycle_year or milestone.rule.date.year) == year
    return True


class _Resolver:
    def __init__(self, plan: Plan, year: int, cal: WorkingCalendar, admin_dates: Mapping[str, date]) -> None:
        self.plan, self.year, self.cal, self.admin_dates = plan, year, cal, admin_dates
        self.done: dict[str, ScheduledMilestone] = {}

    def resolve(self, m: Milestone) -> ScheduledMilestone:
        if m.kind not in self.done:
            self.done[m.kind] = self._resolve(m)
        return self.done[m.kind]

    def _pending(self, m: Milestone, words: str) -> ScheduledMilestone:
        status = "awaiting_guidance" if isinstance(m.rule, GuidanceRule) else "pending"
        return ScheduledMilestone(m.kind, m.label, None, None, status, words)

    def _resolve(self, m: Milestone) -> ScheduledMilestone:
        if m.kind in self.admin_dates:
            nominal = self.admin_dates[m.kind]
            found: tuple[date, str] | str = nominal, f"ngày do quản trị viên ấn định: {ddmmyyyy(nominal)}"
        else:
            found = self._RULES[type(m.rule)](self, m.rule)
        if isinstance(found, str):
            return self._pending(m, found)
        nominal, words = found
        window = window_of(m.rule, self.year) if isinstance(m.rule, WindowRule) else None
        effective, roll_words = self._roll(m, nominal, window)
        return ScheduledMilestone(m.kind, m.label, nominal, effective, "scheduled", f"{words}; {roll_words}")

    # Each date rule gives its nominal date and the rule in words, or (a string) why it is still pending.

    def _admin(self, rule: AdminRule) -> str:
        hint = f" (kế hoạch: {rule.expected})" if rule.expected else ""
        return f"chờ quản trị viên nhập ngày{hint}; chưa ước đoán"

    def _guidance(self, rule: GuidanceRule) -> str:
        return f"chờ hướng dẫn (kế hoạch: “{rule.expected}”); quản trị viên nhập ngày khi có văn bản"

    def _yearly(self, rule: YearlyRule) -> tuple[date, str]:
        nominal = date(self.year + rule.year_offset, rule.day[1], rule.day[0])
        if rule.inclusive:
            return nominal, f"ngày {_dm(rule.day)} hằng năm, tính hết ngày {_dm(rule.day)}"
        nominal -= ONE_DAY
        return nominal, f"trước ngày {_dm(rule.day)} hằng năm, tức hết ngày {ddmmyyyy(nominal)}"

    def _fixed(self, rule: FixedRule) -> tuple[date, str]:
        return rule.date, f"ngày cố định {ddmmyyyy(rule.date)}"

    def _cycle_start(self, rule: CycleStartRule) -> tuple[date, str]:
        nominal = max(self.plan.period.start, date(self.year, 1, 1))
        return nominal, "mở chu kỳ: ngày bắt đầu kế hoạch (năm đầu) hoặc 01/01 (các năm sau)"

    def _window(self, rule: WindowRule) -> tuple[date, str]:
        first, last = window_of(rule, self.year)
        name = rule.name or f"khoảng {_dm(rule.start)}–{_dm(rule.end)}"
        if rule.default == "first_working_day":
            nominal, default_words = first, "ngày làm việc đầu tiên"
        elif rule.default == "last_working_day":
            nominal, default_words = last, "ngày làm việc cuối cùng"
        else:
            nominal = date(self.year + rule.year_offset, rule.default[1], rule.default[0])
            default_words = f"ngày {_dm(rule.default)}"
        return nominal, f"trong {name} ({ddmmyyyy(first)}–{ddmmyyyy(last)}), mặc định {default_words}"

    def _offset(self, rule: OffsetRule) -> tuple[date, str] | str:
        anchor_milestone = self.plan.milestone(rule.from_)
        assert anchor_milestone is not None  # checked when the plan is loaded
        anchor = self.resolve(anchor_milestone) if _applies(self.plan, anchor_milestone, self.year) else None
        unit = "ngày làm việc" if rule.count == "working" else "ngày (theo lịch)"
        side = "trước" if rule.days < 0 else "sau"
        words = f"{abs(rule.days)} {unit} {side} mốc “{anchor_milestone.label}”"
        if anchor is None or anchor.date is None:
            return f"{words}; chờ mốc “{anchor_milestone.label}” được xác định"
        if rule.count == "working":
            nominal = self.cal.add_working_days(anchor.date, rule.days)
        else:
            nominal = anchor.date + rule.days * ONE_DAY
        return nominal, f"{words} ({ddmmyyyy(anchor.date)})"

    _RULES: dict[type, Callable[..., tuple[date, str] | str]] = {
        AdminRule: _admin,
        GuidanceRule: _guidance,
        YearlyRule: _yearly,
        FixedRule: _fixed,
        CycleStartRule: _cycle_start,
        WindowRule: _window,
        OffsetRule: _offset,
    }

    def _roll(self, m: Milestone, nominal: date, window: tuple[date, date] | None) -> tuple[date, str]:
        roll = m.effective_roll
        reason = self.cal.day_off_reason(nominal)
        if reason is None or roll is Roll.none:
            state = "là ngày làm việc" if reason is None else f"là ngày nghỉ ({reason})"
            return nominal, f"{ddmmyyyy(nominal)} {state}; quy tắc ngày nghỉ: {ROLL_WORDS[roll]}"
        if roll is Roll.next_working_day:
            effective = self.cal.next_working_day(nominal)
            if window and effective > window[1]:
                effective = self.cal.previous_working_day(nominal)
                return effective, f"{ddmmyyyy(nominal)} là ngày nghỉ ({reason}) → lùi về {ddmmyyyy(effective)} để còn trong khoảng thời gian"
        else:
            effective = self.cal.previous_working_day(nominal)
        return effective, f"{ddmmyyyy(nominal)} là ngày nghỉ ({reason}) → {ROLL_WORDS[roll]}: {ddmmyyyy(effective)}"


def milestones_for_year(
    plan: Plan, year: int, cal: WorkingCalendar | None = None, admin_dates: Mapping[str, date] | None = None
) -> list[ScheduledMilestone]:
    """Every milestone of `plan` in cycle `year`, in plan order; empty if the year is outside the plan."""
    if year not in plan.cycle_years:
        return []
    resolver = _Resolver(plan, year, cal or plan_calendar(plan), admin_dates or {})
    return [resolver.resolve(m) for m in plan.milestones if _applies(plan, m, year)]


def check_admin_date(plan: Plan, year: int, kind: str, day: date) -> None:
    """Raise InvalidInput unless `day` may be set for milestone `kind` of cycle `year`: an admin or guidance date,
    a day in a window, or a deadline moved (an extension) within the cycle."""
    milestone = plan.milestone(kind)
    if milestone is None:
        known = ", ".join(m.kind for m in plan.milestones)
        raise InvalidInput([InputError(plan.code, "--milestone", kind, "kế hoạch không có mốc này (có: " + known + ")")])
    if year not in plan.cycle_years:
        raise InvalidInput([InputError(plan.code, "--year", year, "năm không thuộc thời gian của kế hoạch")])
    if isinstance(milestone.rule, WindowRule):
        first, last = window_of(milestone.rule, year)
    else:
        first, last = date(year, 1, 1), date(year + 1, 12, 31)
    if not first <= day <= last:
        reason = f"ngày phải nằm trong khoảng {ddmmyyyy(first)}–{ddmmyyyy(last)} của chu kỳ {year}"
        raise InvalidInput([InputError(plan.code, "--date", day.isoformat(), reason)])
