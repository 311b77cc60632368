"""deliverables: what owners hand in is keyed by deliverable and occurrence; registrations

Revision ID: 0004
Revises: 0003

The dossier tables become submission tables keyed by (plan, year, deliverable, occurrence, owner).
Rows of the first version, which knew one deliverable, move to `ho_so_khen_thuong` due at
`submission_deadline`: the code and milestone every seed plan gives its nomination dossier.
"""

import sqlalchemy as sa
from alembic import op

import models.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

DOSSIER, DEADLINE = "ho_so_khen_thuong", "submission_deadline"


def _reset_sequence(table: str) -> None:
    """Ids were copied: PostgreSQL's sequence must continue after them."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}")


def upgrade() -> None:
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("deliverable", sa.String(), nullable=False),
        sa.Column("occurrence", sa.String(), nullable=False),
        sa.Column("unit_code", sa.String(), nullable=False),
        sa.Column("first_received_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan", "year", "deliverable", "occurrence", "unit_code", name="uq_submission_owner"),
    )
    op.create_index("ix_submission_plan", "submission", ["plan"])
    op.create_table(
        "submitteddocument",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("received_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_id", "kind", name="uq_submitteddocument_kind"),
    )
    op.execute(
        "INSERT INTO submission (id, plan, year, deliverable, occurrence, unit_code, first_received_at, completed_at) "
        f"SELECT id, plan, year, '{DOSSIER}', '{DEADLINE}', unit_code, first_received_at, completed_at FROM dossier"
    )
    op.execute(
        "INSERT INTO submitteddocument (id, submission_id, kind, received_at) "
        "SELECT id, dossier_id, kind, received_at FROM dossierdocument"
    )
    op.rename_table("nominee", "nominee_0002")
    op.create_table(
        "nominee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_id", "kind", "name", name="uq_nominee_name"),
    )
    op.execute("INSERT INTO nominee (id, submission_id, kind, name) SELECT id, dossier_id, kind, name FROM nominee_0002")
    op.drop_table("nominee_0002")
    op.drop_table("dossierdocument")
    op.drop_index("ix_dossier_plan", table_name="dossier")
    op.drop_table("dossier")
    for table in ("submission", "submitteddocument", "nominee"):
        _reset_sequence(table)
    op.create_table(
        "registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(), nullable=False),
        sa.Column("registered_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan", "year", "unit_code", name="uq_registration_unit"),
    )
    op.create_index("ix_registration_plan", "registration", ["plan"])
    op.create_table(
        "registrant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("position", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["registration_id"], ["registration.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("registration_id", "name", name="uq_registrant_name"),
    )


def downgrade() -> None:
    raise NotImplementedError("0003 moves data into new tables; restore a backup taken before the upgrade instead")
