"""Production on a work pool (issue 14), without a server: the dispatcher's fan-out and its recovery of a crashed
step, the deployments `thidua deploy` registers and their fingerprints, the automations, the step's slot."""

from collections.abc import Collection, Mapping
from datetime import UTC, date
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from prefect.client.schemas.objects import StateType
from prefect.types.names import BANNED_CHARACTERS

from deployments.catalog import catalog
from deployments.pool import _runner_deployment, fingerprint, redispatch_automation, zombie_automation
from deployments.schedule import DailySchedule
from flows.fanout import RunState, run_on_pool
from flows.registry import DAILY_DEPLOYMENT, STEP_DEPLOYMENT, TAG
from flows.step import slot_name
from tasks.dispatch import DueRun
from thidua.cycle.decide import CycleFlow

DAY = date(2025, 11, 17)
A = DueRun("ln", 2025, CycleFlow.notify, "ho_so/submission_deadline@2025-12-01/remind-14d", "Nhắc hạn: hồ sơ")
B = DueRun("dt", 2025, CycleFlow.notify, "launch", "Thông báo phát động")


class FakePool:
    """Runs end as `script` says, attempt by attempt: (plan, attempt) → the state type its run ends in."""

    def __init__(self, script: dict[tuple[str, int], StateType]) -> None:
        self.script = script
        self.runs: dict[UUID, tuple[DueRun, int]] = {}
        self.polls = 0

    def start(self, due: DueRun, day: date, attempt: int) -> UUID:
        assert day == DAY
        run = uuid4()
        self.runs[run] = (due, attempt)
        return run

    def states(self, runs: Collection[UUID]) -> Mapping[UUID, RunState]:
        self.polls += 1
        out = {}
        for run in runs:
            due, attempt = self.runs[run]
            kind = self.script.get((due.plan, attempt), StateType.RUNNING) if self.polls > 1 else StateType.RUNNING
            out[run] = RunState(kind, f"{due.plan}-{attempt}", "Mất tín hiệu" if kind is StateType.CRASHED else "lỗi gửi")
        return out


def dispatch(pool: FakePool, wait_s: float = 600) -> list[dict[str, object]]:
    clock = iter(range(0, 10_000, 5))
    return run_on_pool(pool, [A, B], DAY, wait_s=wait_s, clock=lambda: next(clock), sleep=lambda s: None)


def test_every_due_step_becomes_a_run_and_the_results_keep_the_agenda_order() -> None:
    pool = FakePool({("ln", 1): StateType.COMPLETED, ("dt", 1): StateType.COMPLETED})
    results = dispatch(pool)
    assert [r["plan"] for r in results] == ["ln", "dt"] and not any("issues" in r for r in results)
    assert results[0]["lines"] == ["Nhắc hạn: hồ sơ: xong, lượt chạy “ln-1”"]
    assert sorted(attempt for _, attempt in pool.runs.values()) == [1, 1]


def test_a_step_whose_worker_died_is_started_once_more_and_its_recovery_is_said() -> None:
    pool = FakePool({("ln", 1): StateType.CRASHED, ("ln", 2): StateType.COMPLETED, ("dt", 1): StateType.COMPLETED})
    ln, _ = dispatch(pool)
    assert [attempt for due, attempt in pool.runs.values() if due is A] == [1, 2]
    assert ln["lines"] == ["Nhắc hạn: hồ sơ: xong, lượt chạy “ln-2” (lượt trước bị gián đoạn vì máy chạy dừng: ln-1; đã chạy lại)"]
    assert "issues" not in ln


def test_a_step_that_crashed_twice_failed_or_never_finished_is_a_problem_of_its_plan() -> None:
    twice = FakePool({("ln", 1): StateType.CRASHED, ("ln", 2): StateType.CRASHED, ("dt", 1): StateType.FAILED})
    ln, dt = dispatch(twice)
    assert ln["issues"] == {"plan-ln": "Kế hoạch ln · 2025: bước “Nhắc hạn: hồ sơ” bị gián đoạn hai lần (máy chạy dừng), "
                            "lượt chạy “ln-2”: Mất tín hiệu (lượt trước bị gián đoạn vì máy chạy dừng: ln-1; đã chạy lại)"}  # fmt: skip
    assert dt["issues"] == {"plan-dt": "Kế hoạch dt · 2025: bước “Thông báo phát động” kết thúc lỗi, lượt chạy “dt-1”: lỗi gửi"}
    stuck = dispatch(FakePool({("dt", 1): StateType.COMPLETED}), wait_s=60)
    assert stuck[0]["issues"]["plan-ln"].endswith("chưa xong sau 1 phút; xem lượt chạy trên giao diện Prefect (work pool có worker nào đang chạy không?)")
    assert "issues" not in stuck[1]


def test_deploy_registers_the_dispatcher_on_its_schedule_the_cycle_step_and_the_admin_actions() -> None:
    entries = catalog(DailySchedule(7, 0))
    assert [e.name for e in entries[:2]] == [DAILY_DEPLOYMENT, STEP_DEPLOYMENT]
    assert entries[0].schedule is not None and entries[0].schedule.slug == "thidua-daily-0700"
    assert all(e.schedule is None for e in entries[1:]) and all(TAG in e.tags for e in entries)
    assert len({(e.flow.name, e.name) for e in entries}) == len(entries) == 7


def test_a_deployment_fingerprint_changes_only_with_what_defines_it(tmp_path: Path) -> None:
    daily, step = catalog(DailySchedule(7, 0))[:2]
    same = fingerprint(_runner_deployment(daily, tmp_path), "p")
    assert same == fingerprint(_runner_deployment(daily, tmp_path), "p")
    assert same != fingerprint(_runner_deployment(daily, tmp_path), "other-pool")
    assert same != fingerprint(_runner_deployment(daily, tmp_path / "elsewhere"), "p")
    assert same != fingerprint(_runner_deployment(catalog(DailySchedule(6, 30))[0], tmp_path), "p")
    assert same != fingerprint(_runner_deployment(step, tmp_path), "p")
    deployment = _runner_deployment(daily, tmp_path)
    assert deployment.entrypoint == "flows.daily.daily" and deployment.job_variables == {"working_dir": str(tmp_path)}


def test_the_automations_crash_silent_runs_and_run_the_day_again() -> None:
    zombie = zombie_automation(heartbeat_s=60)
    assert zombie.trigger.within.total_seconds() == 180 and zombie.trigger.posture == "Proactive"
    # also a run whose worker died before it started (Pending) or before its first heartbeat (Running)
    assert zombie.trigger.after == {"prefect.flow-run.heartbeat", "prefect.flow-run.Pending", "prefect.flow-run.Running"}
    assert {"prefect.flow-run.heartbeat", "prefect.flow-run.Running", "prefect.flow-run.Completed"} <= zombie.trigger.expect
    assert zombie.trigger.match_related.root == {"prefect.resource.role": "tag", "prefect.resource.id": "prefect.tag.thidua"}
    assert zombie.actions[0].state == StateType.CRASHED
    daily_id = uuid4()
    again = redispatch_automation(daily_id)
    assert again.trigger.expect == {"prefect.flow-run.Crashed"}
    assert again.trigger.match_related.root["prefect.resource.id"] == f"prefect.deployment.{daily_id}"
    assert again.actions[0].deployment_id == daily_id and again.actions[0].parameters == {"as_of": "{{ flow_run.parameters.as_of }}"}


@pytest.mark.parametrize("step", ["launch", A.step, "appraisal"])
def test_each_step_has_a_slot_prefect_accepts(step: str) -> None:
    name = slot_name("loc-ninh-2024-2025", 2025, step)
    assert not any(char in name for char in BANNED_CHARACTERS) and name.startswith("thidua · loc-ninh-2024-2025 · 2025 · ")
    assert name != slot_name("loc-ninh-2024-2025", 2024, step)


def test_a_day_whose_dispatcher_keeps_crashing_is_not_run_again_for_ever() -> None:
    from datetime import datetime
    from types import SimpleNamespace

    from flows.fanout import crash_loop

    replayed = SimpleNamespace(parameters={"as_of": "2025-11-17"}, expected_start_time=datetime(2026, 12, 5, 1, tzinfo=UTC))
    scheduled = SimpleNamespace(parameters={"as_of": None}, expected_start_time=datetime(2025, 11, 17, 0, tzinfo=UTC))  # 07:00 local
    other_day = SimpleNamespace(parameters={}, expected_start_time=datetime(2025, 11, 16, 0, tzinfo=UTC))
    assert crash_loop([replayed, scheduled, other_day], DAY) is None  # twice: the automation may run it again
    why = crash_loop([replayed, scheduled, replayed, other_day], DAY)
    assert why is not None and why.startswith("Điều phối ngày 17/11/2025 đã bị gián đoạn 3 lần")


def test_an_automation_read_back_in_another_order_is_the_same_one() -> None:
    from prefect.automations import AutomationCore

    from deployments.pool import _same

    wanted = zombie_automation(heartbeat_s=30)
    stored = wanted.model_dump(mode="json")
    stored["trigger"]["after"].reverse()  # the server gives the trigger's event sets back in any order
    stored["trigger"]["expect"].reverse()
    assert _same(AutomationCore.model_validate(stored), wanted)
    assert not _same(AutomationCore.model_validate(stored), zombie_automation(heartbeat_s=60))
