"""A launch notice holds until the last deadline it announces (found by the fault suite: a launch caught up after a
missed launch day was written, then expired at once, as its validity ended with the launch day itself)."""

from datetime import date

from cycle_sim import Simulation, unit
from test_decide import PLAN

from notifications.outbox import valid_until
from thidua.dates import end_of_day


def test_a_launch_caught_up_after_its_day_holds_until_the_last_deadline_it_announces() -> None:
    sim = Simulation(PLAN, 2025, [unit("a")])
    sim.run(date(2025, 11, 17))  # the dispatcher was down from the launch day (02/01/2025) until today
    launch = [d for d in sim.drafts if d.step == "launch"]
    assert launch and all(d.context.deadline < date(2025, 11, 17) for d in launch)
    assert {valid_until(d.context) for d in launch} == {end_of_day(date(2025, 12, 1))}
    reminder = next(d for d in sim.drafts if d.step.endswith("remind-14d"))
    assert valid_until(reminder.context) == end_of_day(reminder.context.deadline)
