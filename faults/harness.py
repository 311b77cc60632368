"""What every fault scenario needs: a workspace (a folder, a database of its own on SQLite or PostgreSQL, plan
files, settings), `thidua` run as a real process with a time limit, the mail sink, and the counts a scenario reports.

Everything listens on 127.0.0.1; every wait is bounded; every process started is stopped (its whole process
group), every database created is dropped.
"""

import csv
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine
from sqlmodel import Session, select

from notifications.devservers import bare_environ

ROOT = Path(__file__).resolve().parent.parent
THIDUA = Path(sys.executable).with_name("thidua")
PG_ADMIN_URL = os.environ.get("THIDUA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)
COMMAND_LIMIT_S = 180.0  # a command that runs longer is a hang (Prefect's temporary server alone may take 20–60 s here)


@dataclass
class Run:
    """One `thidua` process: its arguments, exit code (None: killed after the time limit), output and duration."""

    args: list[str]
    code: int | None
    stdout: str
    stderr: str
    seconds: float

    @property
    def hung(self) -> bool:
        return self.code is None

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stdout + self.stderr

    @property
    def clean_error(self) -> bool:
        """Exit 2 (bad input) or 1 (environment) with a Vietnamese message on stderr and no traceback."""
        return self.code in (1, 2) and bool(VIETNAMESE.search(self.stderr)) and not self.traceback


@dataclass
class Outcome:
    """What one scenario measured; the suite sums these into its JSON line."""

    scenario: str
    database: str
    ok: bool = True
    lost: int = 0
    duplicated: int = 0
    duplicated_bound: int = 0
    stale_sent: int = 0
    bad_inputs: int = 0
    clean_errors: int = 0
    tracebacks: int = 0
    hangs: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def check(self, condition: bool, note: str) -> None:
        """Record `note` as a failure of the scenario unless `condition` holds."""
        if not condition:
            self.ok = False
            self.notes.append(f"KHÔNG ĐẠT: {note}")

    def note(self, text: str) -> None:
        self.notes.append(text)

    def count(self, run: Run) -> Run:
        """Count a command's traceback or hang against the scenario."""
        self.tracebacks += run.traceback
        self.hangs += run.hung
        self.check(not run.traceback, f"traceback from thidua {' '.join(run.args)[:80]}")
        self.check(not run.hung, f"thidua {' '.join(run.args)[:80]} did not finish in {COMMAND_LIMIT_S:.0f} s")
        return run


def _database(kind: str, folder: Path) -> tuple[str, Callable[[], None]]:
    """A new empty database (URL) and how to drop it."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'thidua.db'}", lambda: None
    name = f"thidua_faults_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}", drop


class Workspace:
    """A folder, a database and the settings `thidua` processes of one scenario share."""

    def __init__(self, kind: str, name: str) -> None:
        self.kind = kind
        self.folder = Path(tempfile.mkdtemp(prefix=f"thidua-faults-{name}-{kind}-"))
        self.plans = self.folder / "plans"
        self.plans.mkdir()
        self.url, self._drop = _database(kind, self.folder)
        self.env: dict[str, str] = {
            "THIDUA_DATA_DIR": str(self.folder / "data"),
            "THIDUA_DATABASE_URL": self.url,
            "THIDUA_PLANS_DIR": str(self.plans),
            "THIDUA_SMTP_PORT": "1",  # nothing listens there until a scenario starts a sink
            "THIDUA_SMTP_RATE_PER_S": "0",
            "PREFECT_HOME": str(self.folder / "prefect-home"),  # removed with the workspace, even after a kill -9
            "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING",
            "COLUMNS": "200",
        }
        self._engine: Engine | None = None
        self._children: list[subprocess.Popen[str]] = []

    @property
    def engine(self) -> Engine:
        """This process's engine on the workspace's database, migrated."""
        if self._engine is None:
            from models.db import make_engine
            from models.migrate import upgrade

            self._engine = make_engine(self.url)
            upgrade(self._engine)
        return self._engine

    def process_env(self, **extra: str) -> dict[str, str]:
        """The environment of a `thidua` process: this one's, without THIDUA_*/Prefect server settings, plus ours."""
        return {**bare_environ(), **self.env, **extra}

    def start(self, args: Iterable[str], *, stdin: str | None = None, **env: str) -> subprocess.Popen[str]:
        """`thidua args` in the background, in a process group of its own (stopped with `stop`)."""
        process = subprocess.Popen(
            [str(THIDUA), *args], cwd=self.folder, env=self.process_env(**env), text=True, start_new_session=True,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        process.started = time.monotonic()  # type: ignore[attr-defined]
        process.given = stdin  # type: ignore[attr-defined]
        self._children.append(process)
        return process

    def finish(self, process: subprocess.Popen[str], limit_s: float = COMMAND_LIMIT_S) -> Run:
        """Wait for `process` (at most `limit_s`; then it is killed and counts as a hang)."""
        started: float = getattr(process, "started", time.monotonic())
        try:
            stdout, stderr = process.communicate(getattr(process, "given", None), timeout=limit_s)
            code: int | None = process.returncode
        except subprocess.TimeoutExpired:
            stop(process)
            stdout, stderr = process.communicate()
            code = None
        args = process.args[1:] if isinstance(process.args, list) else []
        return Run([str(a) for a in args], code, stdout, stderr, time.monotonic() - started)

    def thidua(self, *args: str, stdin: str | None = None, limit_s: float = COMMAND_LIMIT_S, **env: str) -> Run:
        """Run `thidua args` to its end (at most `limit_s`)."""
        return self.finish(self.start(args, stdin=stdin, **env), limit_s)

    def close(self) -> None:
        for process in self._children:
            stop(process)
        if self._engine is not None:
            self._engine.dispose()
        self._drop()
        shutil.rmtree(self.folder, ignore_errors=True)


def stop(process: subprocess.Popen[str], sig: int = signal.SIGKILL) -> None:
    """Stop `process` and every process it started (its process group), if still running."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGCONT)
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@contextmanager
def workspace(kind: str, name: str) -> Iterator[Workspace]:
    space = Workspace(kind, name)
    try:
        yield space
    finally:
        space.close()


def plan_text(code: str, source: str = "loc-ninh-2024-2025", **replacements: str) -> str:
    """A seed plan under another code, sending by email only (the scenarios' Zalo server runs only where one
    is meant), with text replaced (old → new)."""
    text = (ROOT / "plans" / f"{source}.yaml").read_text(encoding="utf-8").replace(f"code: {source}", f"code: {code}")
    text = text.replace("channels: [email, zalo]", "channels: [email]")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


# --- the outbox, as the scenarios look at it ---------------------------------------------------------------


def outbox_rows(engine: Engine) -> list[Any]:
    from models import OutboxMessage

    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def in_flight(engine: Engine) -> int:
    """Rows handed to the provider whose outcome is not recorded: what a dead sender may have sent unrecorded."""
    return sum(1 for row in outbox_rows(engine) if row.status == "sending" and row.attempt_started_at is not None)


def mail_keys(message_ids: Iterable[str | None]) -> list[str]:
    """The outbox keys of received mail: `<key@domain>` → `key`."""
    return [mid.strip("<>").partition("@")[0] for mid in message_ids if mid]


def delivery_counts(engine: Engine, received: Iterable[str]) -> tuple[int, int]:
    """(lost, duplicated): rows meant to go (neither expired nor refused) whose key never arrived, and arrivals
    beyond the first of each key (Message-ID for mail, tracking_id for ZNS). A row still waiting with the reason
    (a channel down) is not lost; scenarios that expect everything sent check that too."""
    arrivals = Counter(received)
    gone = [row for row in outbox_rows(engine) if row.status not in ("expired", "failed") and row.message_id not in arrivals]
    lost = sum(1 for row in gone if row.status == "sent" or not row.last_error)
    return lost, sum(count - 1 for count in arrivals.values())


def write_messages(engine: Engine, count: int, *, channel: str = "email", plan: str = "faults-outbox", start: int = 0) -> None:
    """`count` launch notices of a plan no folder holds (sent as written), valid for 60 days, one per unit."""
    from datetime import date, timedelta

    from notifications.outbox import enqueue
    from notifications.render import Renderer
    from notifications.samples import sample_context
    from thidua.cycle.drafts import Draft, MessageKind

    deadline = date.today() + timedelta(days=60)
    drafts = [
        Draft(
            plan, deadline.year, f"u{i:05d}", "launch", "launch", channel,
            f"u{i:05d}@faults.example.vn" if channel == "email" else f"8491{i:07d}",
            sample_context(kind=MessageKind.launch, plan_code=plan, unit_code=f"u{i:05d}", deadline=deadline),
        )
        for i in range(start, start + count)
    ]  # fmt: skip
    with Session(engine) as session:
        enqueue(session, drafts, Renderer())
        session.commit()


def unit_rows(count: int, group: str = "ubnd-xa", names: dict[int, str] | None = None) -> str:
    """A unit directory CSV of `count` units reachable by email (name `names[i]` for unit i when given)."""
    from thidua.directory import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for i in range(count):
        values = {"code": f"u{i:05d}", "name": (names or {}).get(i, f"UBND xã Thử Nghiệm {i}"), "group": group,
                  "focal_name": f"Cán bộ {i}", "focal_email": f"u{i:05d}@faults.example.vn"}  # fmt: skip
        writer.writerow([values.get(column, "") for column in COLUMNS])
    return out.getvalue()
