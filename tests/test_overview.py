"""The plan overview: on-time rate over deadlines already passed, who is behind by group, messages by channel."""

from datetime import date
from pathlib import Path

from cycle_sim import Simulation, unit
from sqlalchemy import Engine
from sqlmodel import Session

from imports.plans import load_plan
from models.queries.messages import message_counts
from notifications.outbox import enqueue
from notifications.render import Renderer
from thidua.cycle.overview import behind_by_group, on_time, overview_markdown

PLAN = load_plan(Path(__file__).parents[1] / "plans" / "loc-ninh-2024-2025.yaml")
ALL_DOCS = ("to_trinh", "bien_ban", "bao_cao_thanh_tich")


def cycle() -> Simulation:
    units = [unit("a", "UBND xã An"), unit("b", "UBND xã Bình"), unit("p", "Phòng Tư pháp", group="co-quan-chuyen-mon")]
    receipts = {
        "a": [(date(2025, 11, 10), ALL_DOCS)],  # on time
        "b": [(date(2025, 12, 3), ALL_DOCS)],  # late
        ("bao_cao_ket_qua", "a"): [(date(2025, 11, 10), ("bao_cao_ket_qua",))],
    }
    sim = Simulation(PLAN, 2025, units, receipts)
    sim.replay([date(2025, 1, 2), date(2025, 11, 24), date(2025, 12, 2)])
    return sim


def test_on_time_counts_only_deadlines_already_passed() -> None:
    sim = cycle()
    assert on_time(sim.state(date(2025, 11, 20))).rate is None  # no deadline passed yet
    rate = on_time(sim.state(date(2025, 12, 5)))
    assert (rate.on_time, rate.owed) == (2, 6)  # a's dossier and report; b late; p nothing; b and p owe the report


def test_owners_behind_are_grouped_by_the_plan_group_names() -> None:
    groups = behind_by_group(cycle().state(date(2025, 12, 5)))
    assert {g: [s.unit.code for s in statuses] for g, statuses in groups.items()} == {
        "UBND các xã, thị trấn": ["b"],  # its report is still missing (the dossier arrived late)
        "Cơ quan chuyên môn thuộc UBND huyện": ["p"],
    }


def test_the_overview_shows_the_rate_the_groups_and_the_messages() -> None:
    text = overview_markdown(cycle().state(date(2025, 12, 5)), {"email": {"sent": 12, "failed": 1, "pending": 2}, "zalo": {"expired": 3}})
    assert "**Nộp đúng hạn đến nay:** 33,3% (2/6 lượt nộp đúng hạn)" in text
    assert "- Cơ quan chuyên môn thuộc UBND huyện: 1 — Phòng Tư pháp (p)" in text
    assert "| email | 12 | 2 | 1 | 0 |" in text and "| Zalo | 0 | 0 | 0 | 3 |" in text


def test_message_counts_are_read_per_cycle_and_channel(engine: Engine) -> None:
    sim = cycle()
    with Session(engine) as session:
        enqueue(session, sim.drafts, Renderer())
        session.commit()
        counts = message_counts(session, PLAN.code, 2025)
        assert message_counts(session, PLAN.code, 2024) == {}
    assert counts == {"email": {"pending": sum(d.channel == "email" for d in sim.drafts)}}
