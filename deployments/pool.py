"""`thidua deploy`: every deployment on a process work pool of the Prefect server, from the installed project.

Idempotent: each deployment carries a fingerprint of what defines it (entrypoint, parameters, schedule, tags,
job variables, pool) as its version; one whose fingerprint is unchanged is left alone, so running it again
changes nothing and cannot duplicate a schedule (the schedule's stable slug covers a real change). The pool
is created when missing. Two automations keep a worker's death from stopping a day:

- a run whose heartbeats stop (its worker died) is marked Crashed (Prefect's zombie-run recipe; heartbeats
  every `PREFECT_FLOWS_HEARTBEAT_FREQUENCY` seconds, Crashed after three missed);
- when a run of the daily dispatcher crashes, the dispatcher runs again for that day and does what is left
  (the dispatcher itself starts a crashed step once more, `flows/fanout.py`).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from uuid import UUID

from prefect._internal.versioning import VersionType
from prefect.automations import AutomationCore
from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.client.schemas.objects import StateType
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.events.actions import ChangeFlowRunState, RunDeployment
from prefect.events.schemas.automations import EventTrigger, Posture
from prefect.events.schemas.events import ResourceSpecification
from prefect.exceptions import ObjectNotFound
from prefect.settings import get_current_settings
from prefect.workers.process import ProcessWorker

from deployments.catalog import TAG, Entry, catalog
from deployments.schedule import DailySchedule

ZOMBIE = "thidua · lượt chạy mất tín hiệu thì đánh dấu Crashed"
REDISPATCH = "thidua · điều phối bị gián đoạn thì chạy lại trong ngày"
MISSED_HEARTBEATS = 3
FINAL_EVENTS = {f"prefect.flow-run.{state}" for state in ("Completed", "Failed", "Cancelled", "Crashed")}
CREATED, UPDATED, UNCHANGED = "đã tạo", "đã cập nhật", "không đổi"


@dataclass(frozen=True)
class Registered:
    """One thing `deploy` put on the server, and what it did to it (`CREATED`, `UPDATED`, `UNCHANGED`)."""

    kind: str
    name: str
    outcome: str


def ensure_pool(client: SyncPrefectClient, name: str) -> Registered:
    """The process work pool `name`, created with Prefect's default process job template if missing."""
    try:
        pool = client.read_work_pool(name)
    except ObjectNotFound:
        template = ProcessWorker.get_default_base_job_template()
        client.create_work_pool(WorkPoolCreate(name=name, type="process", base_job_template=template))
        return Registered("work pool", name, CREATED)
    if pool.type != "process":
        raise ValueError(f"work pool {name} đã có nhưng là loại {pool.type}, không phải process: đặt THIDUA_WORK_POOL tên khác")
    return Registered("work pool", name, UNCHANGED)


def fingerprint(deployment: RunnerDeployment, pool: str) -> str:
    """What defines a deployment on the pool, hashed: equal fingerprints need no update."""
    parts = deployment.model_dump(mode="json", include={"flow_name", "name", "description", "tags", "schedules", "parameters", "entrypoint", "job_variables"})
    parts |= {"pool": pool, "schema": deployment._parameter_openapi_schema.model_dump(mode="json")}
    return "thidua-" + hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def _runner_deployment(entry: Entry, working_dir: Path) -> RunnerDeployment:
    return entry.flow.to_deployment(
        entry.name, schedule=entry.schedule, tags=list(entry.tags), description=entry.description,
        entrypoint_type=EntrypointType.MODULE_PATH,  # the worker imports it from the installed project
        version_type=VersionType.SIMPLE,  # our fingerprint is the version: Prefect would put a git commit over it
        job_variables={"working_dir": str(working_dir)},  # where the workers find .env, plans/ and data/
    )  # fmt: skip


def apply_deployment(client: SyncPrefectClient, entry: Entry, pool: str, working_dir: Path) -> tuple[Registered, UUID]:
    """Create or update one deployment unless its fingerprint is unchanged; its id."""
    deployment = _runner_deployment(entry, working_dir)
    version = fingerprint(deployment, pool)
    full_name = f"{entry.flow.name}/{entry.name}"
    try:
        existing = client.read_deployment_by_name(full_name)
    except ObjectNotFound:
        existing = None
    if existing is not None and existing.version == version:
        return Registered("deployment", full_name, UNCHANGED), existing.id
    deployment.version = version
    deployment_id = deployment.apply(work_pool_name=pool)
    _drop_other_schedules(client, deployment_id, {schedule.slug for schedule in deployment.schedules})
    return Registered("deployment", full_name, UPDATED if existing else CREATED), deployment_id


def _drop_other_schedules(client: SyncPrefectClient, deployment_id: UUID, wanted: set[str | None]) -> None:
    """Remove the schedules the deployment no longer has (Prefect keeps a schedule whose slug the update leaves out:
    a new dispatch time would otherwise run the dispatcher twice a day)."""
    for schedule in client.read_deployment_schedules(deployment_id):
        if schedule.slug not in wanted:
            client.delete_deployment_schedule(deployment_id, schedule.id)


def _thidua_runs() -> ResourceSpecification:
    return ResourceSpecification({"prefect.resource.role": "tag", "prefect.resource.id": f"prefect.tag.{TAG}"})


def zombie_automation(heartbeat_s: int) -> AutomationCore:
    """Mark a thidua run Crashed when it does not start running within `MISSED_HEARTBEATS` heartbeat periods of being
    handed to a worker (Pending), or when that many heartbeats in a row do not come after it started or after its
    last heartbeat. Prefect's recipe waits after a heartbeat only: a run whose worker died before it started, or
    before its first heartbeat reached the server, would stay Pending or Running for ever; its states are recorded
    by the server itself."""
    return AutomationCore(
        name=ZOMBIE,
        description="Worker chạy lượt này đã dừng (mất điện, hết bộ nhớ, bị tắt): đánh dấu Crashed để chạy lại.",
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat", "prefect.flow-run.Pending", "prefect.flow-run.Running"},
            expect={"prefect.flow-run.heartbeat", "prefect.flow-run.Running", *FINAL_EVENTS},
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            match_related=_thidua_runs(),
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=timedelta(seconds=MISSED_HEARTBEATS * heartbeat_s),
        ),
        actions=[ChangeFlowRunState(state=StateType.CRASHED, message="Mất tín hiệu của lượt chạy: worker chạy nó đã dừng.")],
    )


def redispatch_automation(daily_id: UUID) -> AutomationCore:
    """Run the daily dispatcher again, for the same day, when one of its runs crashed."""
    return AutomationCore(
        name=REDISPATCH,
        description="Lượt điều phối hằng ngày bị gián đoạn: chạy lại cho cùng ngày để làm nốt việc còn lại.",
        trigger=EventTrigger(
            expect={"prefect.flow-run.Crashed"},
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            match_related=ResourceSpecification({"prefect.resource.role": "deployment", "prefect.resource.id": f"prefect.deployment.{daily_id}"}),
            posture=Posture.Reactive,
            threshold=1,
        ),
        actions=[RunDeployment(source="selected", deployment_id=daily_id, parameters={"as_of": "{{ flow_run.parameters.as_of }}"})],
    )


def _same(stored: AutomationCore, wanted: AutomationCore) -> bool:
    """Whether the server's automation is the one wanted (as models: the trigger's event sets compare as sets)."""
    fields = ("name", "description", "enabled", "trigger", "actions")
    return all(getattr(stored, name) == getattr(wanted, name) for name in fields)


def apply_automation(client: SyncPrefectClient, automation: AutomationCore) -> Registered:
    """Create `automation`, or replace the one of its name if it differs."""
    existing = client.read_automations_by_name(automation.name)
    if len(existing) == 1 and _same(existing[0], automation):
        return Registered("automation", automation.name, UNCHANGED)
    for old in existing:
        client.delete_automation(old.id)
    client.create_automation(automation)
    return Registered("automation", automation.name, UPDATED if existing else CREATED)


def deploy(client: SyncPrefectClient, schedule: DailySchedule, pool: str, working_dir: Path) -> list[Registered]:
    """Register the pool, every deployment and the two automations; what each step did."""
    done = [ensure_pool(client, pool)]
    ids = {}
    for entry in catalog(schedule):
        registered, ids[entry.name] = apply_deployment(client, entry, pool, working_dir)
        done.append(registered)
    heartbeat_s = get_current_settings().flows.heartbeat_frequency or 180
    daily_id = ids[catalog(schedule)[0].name]
    done += [apply_automation(client, zombie_automation(heartbeat_s)), apply_automation(client, redispatch_automation(daily_id))]
    return done
