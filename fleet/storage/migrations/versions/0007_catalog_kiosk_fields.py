"""The store's catalog keeps what a kiosk needs beyond the shop's columns (barcodes, unit,
tax rate, age limit, sold by weight, PLU) as JSON, so ``fleet push catalog`` can send
the whole product the fleet imported or learned.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shop_products") as batch:
        batch.add_column(sa.Column("kiosk_fields", sa.Text(), server_default="{}", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("shop_products") as batch:
        batch.drop_column("kiosk_fields")
