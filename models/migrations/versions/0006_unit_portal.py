"""unit portal: files and decisions on documents, link generations, audit trail, bad links per address

A document handed in gets a status (received, accepted, rejected) with the reason and who decided,
how often it was rejected, and who recorded it (an administrator, or a unit's link); its files are
rows of `documentfile`, stored under content-derived names. `unitlink` holds the generation of a
unit's personal link (none: generation 0), `auditentry` every upload and decision, `badtokenhit`
the bad links and passwords per address and 10-minute window. Existing documents become `received`
by an administrator.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STATUS = sa.Enum("received", "accepted", "rejected", name="documentstatus")
TEXT = sqlmodel.sql.sqltypes.AutoString()


def upgrade() -> None:
    op.create_table(
        "auditentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", TEXT, nullable=False),
        sa.Column("action", TEXT, nullable=False),
        sa.Column("plan", TEXT, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_code", TEXT, nullable=False),
        sa.Column("link", TEXT, nullable=True),
        sa.Column("ip", TEXT, nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_auditentry_cycle", "auditentry", ["plan", "year", "unit_code"])
    op.create_table(
        "badtokenhit",
        sa.Column("ip", TEXT, nullable=False),
        sa.Column("window", sa.Integer(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("ip", "window"),
    )
    op.create_table(
        "unitlink",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan", TEXT, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_code", TEXT, nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("rotated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("rotated_by", TEXT, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan", "year", "unit_code", name="uq_unitlink_unit"),
    )
    op.create_table(
        "documentfile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("stored_name", TEXT, nullable=False),
        sa.Column("original_name", TEXT, nullable=False),
        sa.Column("content_type", TEXT, nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("link", TEXT, nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["submitteddocument.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_documentfile_document_id", "documentfile", ["document_id"])
    STATUS.create(op.get_bind(), checkfirst=True)  # PostgreSQL: the enum type first (SQLite: nothing)
    with op.batch_alter_table("submitteddocument", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", STATUS, nullable=False, server_default="received"))
        batch_op.add_column(sa.Column("reason", TEXT, nullable=True))
        batch_op.add_column(sa.Column("decided_at", models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("decided_by", TEXT, nullable=True))
        batch_op.add_column(sa.Column("rejections", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("source", TEXT, nullable=False, server_default="quản trị viên"))


def downgrade() -> None:
    with op.batch_alter_table("submitteddocument", schema=None) as batch_op:
        for column in ("source", "rejections", "decided_by", "decided_at", "reason", "status"):
            batch_op.drop_column(column)
    STATUS.drop(op.get_bind(), checkfirst=True)
    op.drop_index("ix_documentfile_document_id", table_name="documentfile")
    op.drop_table("documentfile")
    op.drop_table("unitlink")
    op.drop_table("badtokenhit")
    op.drop_index("ix_auditentry_cycle", table_name="auditentry")
    op.drop_table("auditentry")
