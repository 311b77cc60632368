"""Alembic environment: the engine comes from `models.migrate`, the metadata from `models`."""

from alembic import context
from sqlmodel import SQLModel

import models  # noqa: F401  (registers the tables)

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
