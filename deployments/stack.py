"""A production installation on this machine, on loopback only, for `make rehearsal` and `bench/pool.py`:
PostgreSQL databases for Prefect and for thidua, `prefect server start` with API authentication and an
encryption key, the local SMTP and Zalo servers, a working directory with its `.env`, plans and units,
`thidua deploy`, and process workers.

Everything it starts runs in a process group of its own and is stopped (SIGKILL to the group) when the
stack closes; every database it creates is dropped; every wait is bounded.
"""

import base64
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
import psycopg

from notifications.devservers import LOOPBACK, bare_environ, free_port, wait_until

BIN = Path(sys.executable).parent
PG_ADMIN_URL = os.environ.get("THIDUA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
START_LIMIT_S = 180.0  # Prefect's server answers its health check in ~20 s here; a busy machine needs more
SMTP_LOGIN = "thidua-rehearsal"
HEARTBEAT_S = 30  # the shortest flow-run heartbeat Prefect allows: a dead worker's runs are Crashed after 90 s


def descendants(pid: int) -> set[int]:
    """Every process `pid` started, and they started, whatever session they moved to (Prefect's workers start
    each flow run in a session of its own)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def kill_tree(process: subprocess.Popen[Any]) -> None:
    """SIGKILL `process` and everything it started, at once, as a machine that loses power would."""
    for pid in (process.pid, *descendants(process.pid)):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(timeout=30)


@dataclass
class Stack:
    """The installation: a folder, databases, processes, and the settings every process shares."""

    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="thidua-rehearsal-")))
    auth: str = field(default_factory=lambda: f"admin:{secrets.token_urlsafe(18)}")
    smtp_password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    zalo_secret: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    databases: list[str] = field(default_factory=list)
    processes: dict[str, subprocess.Popen[str]] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    # --- databases ---------------------------------------------------------------------------------------

    def database(self, role: str) -> str:
        """A new PostgreSQL database (dropped on close); its name."""
        name = f"thidua_rehearsal_{role}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return name

    @staticmethod
    def url(name: str, driver: str = "psycopg") -> str:
        return f"{PG_ADMIN_URL.rsplit('/', 1)[0].replace('postgresql://', f'postgresql+{driver}://', 1)}/{name}"

    # --- processes -----------------------------------------------------------------------------------------

    def start(self, name: str, args: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.Popen[str]:
        """`args` in the background, in a process group of its own, its output in `folder/logs/name.log`."""
        logs = self.folder / "logs"
        logs.mkdir(exist_ok=True)
        out: IO[str] = (logs / f"{name}.log").open("w", encoding="utf-8")
        process = subprocess.Popen(
            args, cwd=cwd or self.folder, env={**bare_environ(), **self.env, **(env or {})}, text=True, start_new_session=True,
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.processes[name] = process
        return process

    def ready_line(self, name: str, limit_s: float = 30.0) -> list[str]:
        """The lines a local server printed once ready (`ready 127.0.0.1:PORT`, then any JSON line)."""
        log = self.folder / "logs" / f"{name}.log"
        if not wait_until(lambda: "ready " in log.read_text(encoding="utf-8"), limit_s, 0.1):
            raise RuntimeError(f"{name} không khởi động được: {log.read_text(encoding='utf-8')[-500:]}")
        time.sleep(0.2)
        return log.read_text(encoding="utf-8").splitlines()

    def thidua(self, *args: str, stdin: str | None = None, limit_s: float = 300.0, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`thidua args` in the working directory, to its end; raises with its output if it failed (unless `check` is off)."""
        done = subprocess.run(
            [str(BIN / "thidua"), *args], cwd=self.workdir if self.workdir.exists() else self.folder, env={**bare_environ(), **self.env},
            input=stdin, text=True,
            capture_output=True, timeout=limit_s,
        )  # fmt: skip
        if check and done.returncode != 0:
            raise RuntimeError(f"thidua {' '.join(args)} → {done.returncode}: {done.stderr[-1500:] or done.stdout[-1500:]}")
        return done

    @property
    def workdir(self) -> Path:
        return self.folder / "installation"

    # --- the pieces ------------------------------------------------------------------------------------------

    def start_prefect(self) -> str:
        """`prefect server start` on its own PostgreSQL database, with an API auth string and an encryption key."""
        from cryptography.fernet import Fernet

        port = free_port()
        database = self.database("prefect")
        self.env |= {
            "PREFECT_HOME": str(self.folder / "prefect-home"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
            "PREFECT_API_URL": f"http://{LOOPBACK}:{port}/api",
            "PREFECT_API_AUTH_STRING": self.auth,
            "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": str(HEARTBEAT_S),  # the runs' heartbeats, and `deploy`'s zombie rule
        }
        server_env = {
            "PREFECT_API_DATABASE_CONNECTION_URL": self.url(database, "asyncpg"),
            "PREFECT_SERVER_API_AUTH_STRING": self.auth,
            "PREFECT_SERVER_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        }
        self.start("prefect-server", [str(BIN / "prefect"), "server", "start", "--host", LOOPBACK, "--port", str(port)], env=server_env)
        health = f"http://{LOOPBACK}:{port}/api/health"
        if not wait_until(lambda: _answers(health), START_LIMIT_S, 1.0):
            raise RuntimeError(f"máy chủ Prefect không trả lời sau {START_LIMIT_S:.0f} s (xem {self.folder}/logs/prefect-server.log)")
        return self.env["PREFECT_API_URL"]

    def client_settings(self) -> dict[str, str]:
        """What a Prefect client of this server needs (address and credentials)."""
        return {k: v for k, v in self.env.items() if k.startswith("PREFECT_")}

    def unauthenticated_refused(self) -> bool:
        """A request without credentials is refused (401), the same request with them is answered."""
        url = self.env["PREFECT_API_URL"] + "/deployments/filter"
        without = httpx.post(url, json={}, timeout=30)
        token = base64.b64encode(self.auth.encode()).decode()
        with_auth = httpx.post(url, json={}, headers={"Authorization": f"Basic {token}"}, timeout=30)
        return without.status_code == 401 and with_auth.status_code == 200

    def start_mail_and_zalo(self) -> dict[str, str]:
        """The SMTP sink (it asks for a login) and the Zalo API server; the settings that point at them, without
        the SMTP password and the Zalo app secret (those come from Prefect Secret blocks); Zalo's first token pair."""
        python = str(BIN / "python")
        self.start("smtp", [python, "-m", "notifications.devservers.smtp_sink", "--store", str(self.folder / "smtp"),
                            "--credentials", f"{SMTP_LOGIN}:{self.smtp_password}", "--faults", json.dumps({"auth_required": True})])  # fmt: skip
        template = "2001"
        self.start("zalo", [python, "-m", "notifications.devservers.zalo_server", "--store", str(self.folder / "zalo"),
                            f"--app-secret={self.zalo_secret}", "--template-id", template])  # fmt: skip
        smtp_port = self.ready_line("smtp")[0].split()[1].rsplit(":", 1)[1]
        zalo_lines = self.ready_line("zalo")
        zalo_url = f"http://{zalo_lines[0].split()[1]}"
        self.env |= {
            "THIDUA_SMTP_HOST": LOOPBACK, "THIDUA_SMTP_PORT": smtp_port, "THIDUA_SMTP_USERNAME": SMTP_LOGIN,
            "THIDUA_SMTP_RATE_PER_S": "0", "THIDUA_ZALO_OAUTH_URL": zalo_url, "THIDUA_ZALO_OPENAPI_URL": zalo_url,
            "THIDUA_ZALO_BUSINESS_URL": zalo_url, "THIDUA_ZALO_ZNS_TEMPLATE_ID": template, "THIDUA_ZALO_RATE_PER_S": "0",
        }  # fmt: skip
        return json.loads(zalo_lines[1])

    def save_secret_blocks(self) -> None:
        """The SMTP password and the Zalo app secret as Prefect Secret blocks (encrypted by the server's key), as an
        operator stores them: `thidua notify secret` reading standard input."""
        self.thidua("notify", "secret", "smtp-password", stdin=self.smtp_password + "\n")
        self.thidua("notify", "secret", "zalo-app-secret", stdin=self.zalo_secret + "\n")

    def install(self, plans: dict[str, str], units_csv: str, pool: str, **settings: str) -> None:
        """The working directory the workers run in: plans, a migrated database, units, a Zalo token pair; the
        settings in the environment (a real installation writes them to `.env`)."""
        plans_dir = self.workdir / "plans"
        (plans_dir / "units").mkdir(parents=True)
        database = self.database("thidua")
        self.env |= {
            "THIDUA_DATABASE_URL": self.url(database), "THIDUA_PLANS_DIR": str(plans_dir),
            "THIDUA_DATA_DIR": str(self.workdir / "data"), "THIDUA_WORK_POOL": pool, **settings,
        }  # fmt: skip
        for code, text in plans.items():
            (plans_dir / f"{code}.yaml").write_text(text, encoding="utf-8")
            units = plans_dir / "units" / f"{code}.csv"
            units.write_text(units_csv, encoding="utf-8")
            self.thidua("units", "import", str(units), "--plan", code)

    def start_worker(self, name: str, pool: str, limit: str | None = None) -> subprocess.Popen[str]:
        """A process worker of `pool`, in the working directory, polling every 2 s, holding at most `limit` runs."""
        env = {"PREFECT_WORKER_QUERY_SECONDS": "2"}
        args = [str(BIN / "prefect"), "worker", "start", "--pool", pool, "--name", name, *(["--limit", limit] if limit else [])]
        return self.start(name, args, env=env, cwd=self.workdir)

    def close(self) -> None:
        for process in self.processes.values():
            kill_tree(process)
        for name in self.databases:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(self.folder, ignore_errors=True)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def exit_on_sigterm() -> None:
    """Let a script's SIGTERM unwind like Ctrl-C, so that its stack is torn down (`timeout`, systemd, CI)."""
    signal.signal(signal.SIGTERM, _exit)


@contextmanager
def stack() -> Iterator[Stack]:
    """A stack that is torn down, whatever happens."""
    built = Stack()
    try:
        yield built
    finally:
        built.close()
