"""`thidua init`: a working directory with a commented `.env`, an example plan and its unit directory."""

import shutil
from pathlib import Path

from thidua.errors import InputError, InvalidInput

EXAMPLE = Path(__file__).parents[1] / "examples" / "workspace"
FILES = {  # written in the working directory → copied from the example
    ".env": ".env.example",
    "plans/vi-du-tinh-2026-2027.yaml": "plans/vi-du-tinh-2026-2027.yaml",
    "plans/units/vi-du-tinh-2026-2027.csv": "plans/units/vi-du-tinh-2026-2027.csv",
}


def create_workspace(target: Path) -> list[Path]:
    """Write the example files into `target` (created if missing); nothing is written if any of them exists."""
    existing = [target / name for name in FILES if (target / name).exists()]
    if existing:
        raise InvalidInput([InputError(str(path), "(tệp)", path.name, "đã có: thidua init không ghi đè tệp nào") for path in existing])
    written = []
    for name, source in FILES.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXAMPLE / source, path)
        written.append(path)
    (target / "data").mkdir(exist_ok=True)
    return written
