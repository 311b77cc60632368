"""outbox: in-flight marker, validity, expired status; Zalo: a refused refresh is recorded

A row handed to the provider carries `attempt_started_at` until its outcome is written, so a second
sender never takes it from a live (even paused) first one. A row knows until when it is true
(`valid_until`) and, once found no longer true at send time, becomes `expired` with the reason.
A refresh token Zalo refused is recorded (`zalotoken.refresh_error`) so that it is never presented again.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":  # SQLite stores the status as plain text
        op.execute("ALTER TYPE outboxstatus ADD VALUE IF NOT EXISTS 'expired'")
    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempt_started_at", models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("valid_until", models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("expired_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table("zalotoken", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refresh_error", sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    # PostgreSQL cannot drop an enum value: expired rows become failed, the value stays in the type.
    op.execute("UPDATE outboxmessage SET status = 'failed', last_error = expired_reason WHERE status = 'expired'")
    with op.batch_alter_table("zalotoken", schema=None) as batch_op:
        batch_op.drop_column("refresh_error")
    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.drop_column("expired_reason")
        batch_op.drop_column("valid_until")
        batch_op.drop_column("attempt_started_at")
