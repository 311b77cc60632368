"""outbox: a fallback on any channel, not only email

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.alter_column("fallback_email", new_column_name="fallback_recipient", existing_type=sa.String())
        batch_op.add_column(sa.Column("fallback_channel", sa.String(), nullable=True))
    op.execute("UPDATE outboxmessage SET fallback_channel = 'email' WHERE fallback_recipient IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.drop_column("fallback_channel")
        batch_op.alter_column("fallback_recipient", new_column_name="fallback_email", existing_type=sa.String())
