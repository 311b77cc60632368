"""A clock for replays (`thidua web --replay-clock FILE`, the demo, the browser test and the benchmark): the
current instant is read from a file that the replay writes, so a past year can be lived through."""

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from thidua.dates import TZ


def file_clock(path: Path) -> Callable[[], datetime]:
    """A clock reading an ISO instant from `path` (local Vietnam time unless it carries an offset)."""

    def now() -> datetime:
        moment = datetime.fromisoformat(path.read_text(encoding="utf-8").strip())
        return moment if moment.tzinfo else moment.replace(tzinfo=TZ)

    return now


def set_clock(path: Path, moment: datetime) -> None:
    """Move a replay clock to `moment` (written whole, then renamed, so a reader never sees half of it)."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(moment.isoformat(), encoding="utf-8")
    temporary.replace(path)
