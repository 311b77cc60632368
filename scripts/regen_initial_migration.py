"""Regenerate the initial migration from the models (allowed until the first release ships)."""

import tempfile
from pathlib import Path

from alembic import command

from models.db import make_engine
from models.migrate import MIGRATIONS, alembic_config

for old in (MIGRATIONS / "versions").glob("*.py"):
    old.unlink()
with tempfile.TemporaryDirectory() as tmp:
    engine = make_engine(f"sqlite:///{Path(tmp) / 'blank.db'}")
    command.revision(alembic_config(engine), message="initial schema", autogenerate=True, rev_id="0001")
print("regenerated", *(MIGRATIONS / "versions").glob("*.py"))
