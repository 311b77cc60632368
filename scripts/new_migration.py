"""Write the next Alembic migration from the models' changes: `python scripts/new_migration.py "what changed"`.

Autogenerate compares the models with a blank database migrated to the current head; read and edit the
result (renames come out as a drop and an add, which would lose data) before committing it.
"""

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from models.db import make_engine
from models.migrate import alembic_config, upgrade

with tempfile.TemporaryDirectory() as tmp:
    engine = make_engine(f"sqlite:///{Path(tmp) / 'head.db'}")
    upgrade(engine)
    config = alembic_config(engine)
    head = ScriptDirectory.from_config(config).get_current_head() or "0000"
    command.revision(config, message=sys.argv[1], autogenerate=True, rev_id=f"{int(head) + 1:04d}")
