"""The first fleet schema: devices, sales (partitioned by month on PostgreSQL), alerts,
stock, events, quarantine, commands.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("alert_id", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("cleared", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("alert_id"),
    )
    op.create_index("alerts_by_store", "alerts", ["store_id", "at"], unique=False)
    op.create_table(
        "command_results",
        sa.Column("command_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("command_id", "device_id"),
    )
    op.create_table(
        "commands",
        sa.Column("command_id", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.String(length=40), nullable=False),
        sa.Column("issued_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("command_id"),
    )
    op.create_table(
        "devices",
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="unknown", nullable=False),
        sa.Column("state_at", sa.String(length=40), server_default="", nullable=False),
        sa.Column("state_reason", sa.String(length=200), server_default="", nullable=False),
        sa.Column("version", sa.String(length=40), server_default="", nullable=False),
        sa.Column("last_seen", sa.String(length=40), server_default="", nullable=False),
        sa.Column("health", sa.Text(), server_default="{}", nullable=False),
        sa.Column("health_at", sa.String(length=40), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("store_id", "device_id"),
    )
    op.create_table(
        "events",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("topic", sa.String(length=300), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("received_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sale_lines",
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("sale_id", sa.String(length=64), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("weight_g", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("gross", sa.BigInteger(), nullable=False),
        sa.Column("discount", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("business_date", "sale_id", "line_no"),
        postgresql_partition_by="RANGE (business_date)",
    )
    op.create_index(
        "sale_lines_by_store_date_sku",
        "sale_lines",
        ["store_id", "business_date", "sku"],
        unique=False,
    )
    op.create_table(
        "sale_taxes",
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("sale_id", sa.String(length=64), nullable=False),
        sa.Column("rate_percent", sa.String(length=16), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("taxable", sa.BigInteger(), nullable=False),
        sa.Column("dpp", sa.BigInteger(), nullable=False),
        sa.Column("ppn", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("business_date", "sale_id", "rate_percent"),
        postgresql_partition_by="RANGE (business_date)",
    )
    op.create_table(
        "sale_tenders",
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("sale_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("business_date", "sale_id", "seq"),
        postgresql_partition_by="RANGE (business_date)",
    )
    op.create_table(
        "sales",
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("sale_id", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("receipt_no", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("received_at", sa.String(length=40), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("discount_total", sa.BigInteger(), nullable=False),
        sa.Column("cash_rounding", sa.BigInteger(), nullable=False),
        sa.Column("payable", sa.BigInteger(), nullable=False),
        sa.Column("cashier", sa.String(length=100), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=32), server_default="store", nullable=False),
        sa.Column("journal_hash", sa.String(length=64), server_default="", nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("business_date", "sale_id"),
        postgresql_partition_by="RANGE (business_date)",
    )
    op.create_index("sales_by_store_date", "sales", ["store_id", "business_date"], unique=False)
    op.create_table(
        "stock_events",
        sa.Column("stock_id", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("stock_id"),
    )
    op.create_table(
        "stock_levels",
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("store_id", "device_id", "sku"),
    )


def downgrade() -> None:
    for table in ("command_results", "commands", "quarantine", "events", "stock_levels",
                  "stock_events", "alerts", "sale_taxes", "sale_tenders", "sale_lines",
                  "sales", "devices"):  # fmt: skip
        op.drop_table(table)
