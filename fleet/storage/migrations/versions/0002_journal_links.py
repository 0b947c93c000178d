"""Each device's journal chain as the fleet saw it: the links of sale and event messages
and, per device, the gaps and forks found in them (the dashboard's "journal broken").

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journal_links",
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("store_id", "device_id", "seq"),
    )
    op.create_table(
        "device_journals",
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("first_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("links", sa.BigInteger(), nullable=False),
        sa.Column("gaps", sa.BigInteger(), nullable=False),
        sa.Column("forks", sa.BigInteger(), nullable=False),
        sa.Column("bad_hashes", sa.BigInteger(), nullable=False),
        sa.Column("broken", sa.Boolean(), nullable=False),
        sa.Column("problem", sa.Text(), server_default="", nullable=False),
        sa.Column("problem_at", sa.String(length=40), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("store_id", "device_id"),
    )


def downgrade() -> None:
    op.drop_table("device_journals")
    op.drop_table("journal_links")
