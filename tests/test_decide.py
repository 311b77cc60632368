"""The one decider over hand-built cycles, in milliseconds: the ladder, catch-up, merged units, re-runs.

The same year as the Prefect replay (tests/test_flows.py), decided in memory (tests/cycle_sim.py).
"""

from datetime import date
from pathlib import Path

import pytest
from cycle_sim import Simulation, unit

from imports.plans import load_plan
from thidua.calendar import WorkingCalendar
from thidua.cycle.decide import CycleFlow, StepBatch, agenda
from thidua.cycle.drafts import Draft
from thidua.cycle.ladder import ladder
from thidua.cycle.state import CycleDates
from thidua.plan.milestones import milestones_for_year

PLAN = load_plan(Path("plans/loc-ninh-2024-2025.yaml"))
ALL_DOCS = ("to_trinh", "bien_ban", "bao_cao_thanh_tich")
UNITS = [
    unit("a-early", "Phòng Tư pháp"),
    unit("b-midway", "Phòng Nội vụ", zalo_user="1234567890123"),
    unit("c-incomplete", "UBND xã Lộc Thái", phone="84912345678"),
    unit("d-never", "UBND xã Lộc Hưng"),
    unit("e-late", "UBND xã Lộc Tấn"),
    unit("m-merged", "UBND xã Lộc Thịnh", valid_to=date(2025, 6, 30), merged_into="s-successor"),
    unit("s-successor", "UBND xã Lộc Thành"),
]
RECEIPTS = {
    "a-early": [(date(2025, 11, 10), ALL_DOCS)],
    "b-midway": [(date(2025, 11, 25), ALL_DOCS)],
    "c-incomplete": [(date(2025, 11, 20), ("to_trinh",))],
    "e-late": [(date(2025, 12, 3), ALL_DOCS)],
}
DAYS = [
    date(2025, 1, 2), date(2025, 3, 3), date(2025, 11, 10), date(2025, 11, 17), date(2025, 11, 20),
    date(2025, 11, 24), date(2025, 11, 25), date(2025, 11, 28), date(2025, 11, 29), date(2025, 12, 1),
    date(2025, 12, 2), date(2025, 12, 3), date(2025, 12, 4), date(2025, 12, 8), date(2025, 12, 10),
]  # fmt: skip
REMINDERS = {"remind-14d", "remind-7d", "remind-1d", "deadline-day"}
EXPECTED = {
    "a-early": {"launch"},
    "b-midway": {"launch", "remind-14d", "remind-7d"},
    "c-incomplete": {"launch", *REMINDERS, "escalate-1wd-unit_head"},
    "d-never": {"launch", *REMINDERS, "escalate-1wd-unit_head"},
    "e-late": {"launch", *REMINDERS, "escalate-1wd-unit_head"},
    "m-merged": {"launch"},
    "s-successor": {"launch", *REMINDERS, "escalate-1wd-unit_head"},
    "*": {"escalate-3wd-standing_agency", "escalate-5wd-chairman"},
}


def simulation() -> Simulation:
    return Simulation(PLAN, 2025, UNITS, RECEIPTS)


def dossier(work: list[StepBatch]) -> list[StepBatch]:
    """The batches of the nomination dossier (the plan also chases a yearly report on the same day)."""
    return [w for w in work if w.due.occurrence and w.due.occurrence.deliverable.code == "ho_so_khen_thuong"]


def drafts_of(sim: Simulation, step: str) -> list[Draft]:
    return [d for d in sim.drafts if d.milestone.startswith("ho_so_khen_thuong/") and d.step.endswith(f"/{step}")]


def test_the_ladder_of_01_12_2025_in_dates() -> None:
    steps = ladder(PLAN, PLAN.dossier, date(2025, 12, 1), WorkingCalendar())
    assert [(s.code, s.send_on) for s in steps] == [
        ("remind-14d", date(2025, 11, 17)),
        ("remind-7d", date(2025, 11, 24)),
        ("remind-1d", date(2025, 11, 28)),  # 30/11 is a Sunday: rolled back onto the 3-day reminder's Friday
        ("deadline-day", date(2025, 12, 1)),
        ("escalate-1wd-unit_head", date(2025, 12, 2)),
        ("escalate-3wd-standing_agency", date(2025, 12, 4)),
        ("escalate-5wd-chairman", date(2025, 12, 8)),
    ]


def test_a_year_sends_each_unit_exactly_its_steps() -> None:
    sim = simulation()
    sim.replay(DAYS)
    assert sim.steps_of() == EXPECTED
    assert sim.sent()[("b-midway", "remind-7d", "zalo")] == 1  # OA message to the follower
    assert sim.sent()[("c-incomplete", "deadline-day", "zalo")] == 1  # ZNS to the phone
    assert sim.sent()[("a-early", "launch", "zalo")] == 0  # no Zalo address, email only
    (agency,) = drafts_of(sim, "escalate-3wd-standing_agency")
    assert "UBND xã Lộc Thái" in agency.context.late_units and "UBND xã Lộc Tấn" not in agency.context.late_units


def test_re_running_any_day_decides_nothing_new() -> None:
    sim = simulation()
    sim.replay(DAYS)
    before = len(sim.drafts)
    sim.replay([date(2025, 11, 17), date(2025, 12, 1), date(2025, 12, 4)])
    assert len(sim.drafts) == before and max(sim.sent().values()) == 1


def test_a_week_of_downtime_catches_up_the_latest_reminder_once_and_notes_the_rest() -> None:
    sim = simulation()
    sim.run(date(2025, 1, 2))
    (work,) = dossier(sim.run(date(2025, 11, 28)))  # down from 15/11: the 14- and 7-day reminders were missed
    assert work.due.step is not None and work.due.step.code == "remind-1d"
    assert work.due.key == "ho_so_khen_thuong/submission_deadline@2025-12-01/remind-1d"
    assert [m.code for m in work.due.supersedes] == ["remind-14d", "remind-7d"]
    assert work.notes == [  # the steps in words, as in the titles of the runs, not their codes
        "Bỏ qua bước “nhắc trước 14 ngày” đã lỡ ngày 17/11/2025: đã thay bằng bước “nhắc trước 1 ngày”",
        "Bỏ qua bước “nhắc trước 7 ngày” đã lỡ ngày 24/11/2025: đã thay bằng bước “nhắc trước 1 ngày”",
    ]
    sim.replay([date(2025, 11, 28), date(2025, 12, 1)])
    assert sim.steps_of()["d-never"] == {"launch", "remind-1d", "deadline-day"}  # the latest due reminder, no burst
    sim.replay([date(2025, 12, 9)])  # down over the deadline: escalations once each, sent late with a note
    assert "Gửi bù bước “báo Thủ trưởng đơn vị” (đến hạn 02/12/2025)" in [n for work in sim.batches for n in work.notes]
    sim.replay([date(2025, 12, 9)])
    assert sim.steps_of()["d-never"] == {"launch", "remind-1d", "deadline-day", "escalate-1wd-unit_head"}
    assert sim.steps_of()["*"] == {"escalate-3wd-standing_agency", "escalate-5wd-chairman"}
    assert max(sim.sent().values()) == 1


def test_no_reminder_goes_out_after_the_deadline_and_stale_escalations_are_only_noted() -> None:
    sim = simulation()
    work = sim.run(date(2025, 12, 30))  # first run of the year weeks after the deadline
    assert {w.due.key for w in work} == set()  # the launch window closed at the deadline; escalations stale
    assert not sim.drafts


def test_nothing_goes_out_on_a_day_off() -> None:
    state = simulation().state(date(2025, 11, 29))  # a Saturday
    assert agenda(state).due == []


def test_a_complete_dossier_stops_the_ladder_and_a_merged_unit_is_not_chased() -> None:
    sim = simulation()
    sim.replay([date(2025, 1, 2), date(2025, 11, 17)])
    (reminder,) = [w for w in dossier(sim.batches) if w.due.key.endswith("/remind-14d")]
    chased = {s.unit.code for s in reminder.units}
    assert "a-early" not in chased  # complete on 10/11
    assert "m-merged" not in chased and "s-successor" in chased  # gone on 30/06, chased under its successor


def test_the_reminder_says_the_days_left_on_the_day_it_goes_out() -> None:
    sim = simulation()
    sim.run(date(2025, 1, 2))
    (work,) = dossier(sim.run(date(2025, 11, 28)))  # the 1-day step, sent three days before the deadline
    assert work.describe().startswith("Nhắc hạn: Hồ sơ đề nghị khen thưởng (còn 3 ngày, hạn 01/12/2025)")
    assert {d.context.days_left for d in work.drafts} == {3}


def test_the_dispatcher_sees_the_appraisal_once_its_date_is_set() -> None:
    sim = simulation()
    assert CycleFlow.appraisal not in {d.flow for d in agenda(sim.state(date(2025, 12, 12))).due}  # pending
    sim.admin_dates["par_announcement"] = date(2025, 12, 24)
    (appraisal,) = [d for d in agenda(sim.state(date(2025, 12, 12))).due if d.flow is CycleFlow.appraisal]
    assert appraisal.milestone.date == date(2025, 12, 12)  # 10 days before 24/12, rolled back from Sunday 14/12


@pytest.mark.parametrize("target,step", [("standing_agency", "escalate-3wd-standing_agency"), ("chairman", "escalate-5wd-chairman")])
def test_an_aggregate_report_goes_by_email_to_the_contact_and_lists_every_late_unit(target: str, step: str) -> None:
    sim = simulation()
    sim.replay(DAYS)
    (draft,) = drafts_of(sim, step)
    contact = PLAN.standing_agency if target == "standing_agency" else PLAN.standing_agency.chairman
    assert contact is not None and (draft.channel, draft.recipient, draft.unit_code) == ("email", contact.email, "*")
    assert set(draft.context.late_units) >= {"UBND xã Lộc Thái", "UBND xã Lộc Hưng"}


def test_a_missed_launch_is_not_caught_up_on_a_day_off() -> None:
    plan, cal = PLAN, WorkingCalendar()
    milestones = {m.kind: m for m in milestones_for_year(plan, 2025)}

    def launch_due(day: date) -> bool:
        return any(d.key == "launch" for d in agenda(CycleDates(plan, 2025, day, cal, milestones, {})).to_run())

    assert not launch_due(date(2025, 11, 1))  # a Saturday
    assert launch_due(date(2025, 11, 3))  # the Monday after
