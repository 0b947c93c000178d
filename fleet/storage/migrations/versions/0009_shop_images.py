"""The pictures an owner uploads for the web shop's products, kept in the database (both
engines, no file store to back up beside it) by their SHA-256 (fleet.shop.images).

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shop_images",
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("store_id", "digest"),
    )


def downgrade() -> None:
    op.drop_table("shop_images")
