"""A cycle replayed in memory, as the daily dispatcher and the flows would run it, with no database or Prefect.

Each day: the units' receipts up to that day, the agenda of the day, every due step that has not run
yet batched and recorded; the drafts written are collected by (unit, step, channel).
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time

from thidua.calendar import WorkingCalendar
from thidua.channels import Person
from thidua.cycle.decide import StepBatch, after, agenda, batch
from thidua.cycle.drafts import Draft
from thidua.cycle.state import CycleDates, CycleState, Event, Received, cycle_state
from thidua.dates import TZ, end_of_day
from thidua.directory import Unit
from thidua.plan.milestones import milestones_for_year, plan_calendar
from thidua.plan.schema import Plan


def unit(code: str, name: str = "", *, email: bool = True, zalo_user: str | None = None, phone: str | None = None,
         valid_to: date | None = None, merged_into: str | None = None, group: str = "ubnd-xa") -> Unit:  # fmt: skip
    """A directory unit reachable by email (and Zalo when given a follower id or a phone)."""
    name = name or f"UBND xã {code}"
    return Unit(
        code=code, name=name, group=group,
        focal=Person(f"Cán bộ {name}", f"{code}@example.vn" if email else None, phone, zalo_user),
        head=Person(f"Thủ trưởng {name}", f"head-{code}@example.vn" if email else None),
        valid_to=valid_to, merged_into=merged_into,
    )  # fmt: skip


class Simulation:
    """One plan's cycle over chosen days; `drafts` holds every message written, `batches` every step run."""

    def __init__(
        self, plan: Plan, year: int, units: Sequence[Unit],
        receipts: Mapping[str | tuple[str, str], Sequence[tuple[date, Sequence[str]]]] = {},  # noqa: B006
        admin_dates: Mapping[str, date] = {},  # noqa: B006
        calendar: WorkingCalendar | None = None,
    ) -> None:  # fmt: skip
        self.plan, self.year, self.units, self.receipts = plan, year, list(units), receipts
        self.calendar = calendar or plan_calendar(plan)
        self.admin_dates = dict(admin_dates)
        self.events: dict[tuple[str, str], Event] = {}
        self.drafts: list[Draft] = []
        self.batches: list[StepBatch] = []

    def dates(self, day: date) -> CycleDates:
        milestones = {m.kind: m for m in milestones_for_year(self.plan, self.year, self.calendar, self.admin_dates)}
        return CycleDates(self.plan, self.year, day, self.calendar, milestones, dict(self.events))

    def state(self, day: date) -> CycleState:
        """The state at the end of `day`; a receipt keyed by unit code is for the dossier, else by (deliverable, unit)."""
        dates = self.dates(day)
        received = {}
        for key, steps in self.receipts.items():
            code, unit_code = key if isinstance(key, tuple) else (self.plan.dossier.code, key)  # type: ignore[union-attr]
            for occurrence in (o for o in dates.occurrences if o.deliverable.code == code):
                arrived = [Received(doc, datetime.combine(when, time(9), TZ)) for when, docs in steps for doc in docs if when <= day]
                received[(occurrence.key, unit_code)] = (arrived, ())
        return cycle_state(dates, self.units, received, end_of_day(day))

    def run(self, day: date) -> list[StepBatch]:
        """The daily dispatcher on `day`: each due step that has not run yet, decided and recorded."""
        state, done = self.state(day), []
        for due in agenda(state).to_run():
            work = batch(state, due)
            if work is None:
                continue
            state = after(state, work)
            done.append(work)
        self.events = dict(state.events)
        self.batches += done
        self.drafts += [d for work in done for d in work.drafts]
        return done

    def replay(self, days: Sequence[date]) -> None:
        for day in days:
            self.run(day)

    def sent(self, deliverable: str | None = None) -> Counter[tuple[str, str, str]]:
        """Messages written by (unit, step code, channel) for the launch and `deliverable` (default: the dossier);
        the outbox would keep one of each."""
        about = {"launch", f"{deliverable or self.plan.dossier.code}/"}  # type: ignore[union-attr]
        return Counter(
            (d.unit_code, d.step.rpartition("/")[2], d.channel)
            for d in self.drafts
            if d.milestone in about or d.milestone.startswith(tuple(about))
        )

    def steps_of(self, deliverable: str | None = None) -> dict[str, set[str]]:
        """The step codes each unit (or `*`, the aggregate reports) received for the launch and `deliverable`."""
        out: dict[str, set[str]] = {}
        for unit_code, step, _ in self.sent(deliverable):
            out.setdefault(unit_code, set()).add(step)
        return out
