"""Products bought together, counted as sales arrive (``sale_pairs``): per store and
business day, the sales holding each pair of SKUs (sku_a < sku_b) and, where sku_a ==
sku_b, each SKU with the largest name on its lines. Counted here for the sales stored
before, from their lines. SKUs compare byte-wise (collation "C" on PostgreSQL), as ingest
orders a pair.

Revision ID: 0010
"""

import sqlalchemy as sa
from alembic import op

from fleet.storage.sale_pairs import count_from_lines

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sku = sa.String(length=64).with_variant(sa.String(length=64, collation="C"), "postgresql")
    op.create_table(
        "sale_pairs",
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("sku_a", sku, nullable=False),
        sa.Column("sku_b", sku, nullable=False),
        sa.Column("sales", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("store_id", "business_date", "sku_a", "sku_b"),
    )
    lines = sa.table("sale_lines", *(sa.column(c) for c in
                     ("store_id", "business_date", "sale_id", "sku", "name")))  # fmt: skip
    into = sa.table("sale_pairs", *(sa.column(c) for c in
                    ("store_id", "business_date", "sku_a", "sku_b", "sales", "name")))  # fmt: skip
    count_from_lines(op.get_bind(), lines, into)


def downgrade() -> None:
    op.drop_table("sale_pairs")
