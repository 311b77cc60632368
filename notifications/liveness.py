"""Whether a sender is alive: each sending run holds a lock that the operating system keeps for a
paused process and drops for a dead one.

PostgreSQL: a session advisory lock named by the worker id, held on a connection of its own (the
server releases it when that connection ends). SQLite (one machine by construction): an exclusive
`flock` on a file named by the worker id, in a folder beside the database file.
"""

import fcntl
import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text


def _key(worker: str) -> int:
    """A signed 64-bit advisory lock key for `worker`."""
    return int.from_bytes(hashlib.sha256(worker.encode()).digest()[:8], "big", signed=True)


def _lock_file(engine: Engine, worker: str) -> Path:
    database = engine.url.database
    folder = Path(f"{database}.senders") if database and database != ":memory:" else Path(tempfile.gettempdir()) / "thidua-senders"
    return folder / f"{hashlib.sha256(worker.encode()).hexdigest()[:24]}.lock"


@contextmanager
def held(engine: Engine, worker: str) -> Iterator[None]:
    """Hold `worker`'s liveness lock while the block runs."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _key(worker)})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _key(worker)})
                conn.commit()
        return
    path = _lock_file(engine, worker)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            path.unlink(missing_ok=True)


def alive(engine: Engine, worker: str) -> bool:
    """Whether the process of `worker` still runs (paused or not): its lock is still held."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            free = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _key(worker)}).scalar_one()
            if free:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _key(worker)})
            conn.commit()
        return not free
    path = _lock_file(engine, worker)
    try:
        with path.open("r") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            path.unlink(missing_ok=True)
            return False
    except FileNotFoundError:
        return False
