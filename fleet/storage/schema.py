"""The fleet's tables, written once for both engines (SQLAlchemy Core).

On PostgreSQL the sales, their lines, tenders and taxes are partitioned by month of the
business day (see migrations/versions/0001_initial.py); their primary keys therefore
start with ``business_date``. A sale's business day comes from the kiosk and never
changes, so a redelivered sale always meets its first copy's key.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

PARTITIONED = ("sales", "sale_lines", "sale_tenders", "sale_taxes")
BY_MONTH = "RANGE (business_date)"

devices = sa.Table(
    "devices",
    metadata,
    sa.Column("store_id", sa.String(64), primary_key=True),
    sa.Column("device_id", sa.String(64), primary_key=True),
    sa.Column("state", sa.String(16), nullable=False, server_default="unknown"),
    sa.Column("state_at", sa.String(40), nullable=False, server_default=""),
    sa.Column("state_reason", sa.String(200), nullable=False, server_default=""),
    sa.Column("version", sa.String(40), nullable=False, server_default=""),
    sa.Column("last_seen", sa.String(40), nullable=False, server_default=""),
    sa.Column("health", sa.Text, nullable=False, server_default="{}"),
    sa.Column("health_at", sa.String(40), nullable=False, server_default=""),
)

sales = sa.Table(
    "sales",
    metadata,
    sa.Column("business_date", sa.Date, primary_key=True),
    sa.Column("sale_id", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.String(64), nullable=False),
    sa.Column("device_id", sa.String(64), nullable=False),
    sa.Column("receipt_no", sa.Integer, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("received_at", sa.String(40), nullable=False),
    sa.Column("total", sa.BigInteger, nullable=False),
    sa.Column("discount_total", sa.BigInteger, nullable=False),
    sa.Column("cash_rounding", sa.BigInteger, nullable=False),
    sa.Column("payable", sa.BigInteger, nullable=False),
    sa.Column("cashier", sa.String(100), nullable=False),
    sa.Column("member_id", sa.String(64), nullable=False),
    sa.Column("mode", sa.String(20), nullable=False),
    sa.Column("channel", sa.String(32), nullable=False, server_default="store"),
    sa.Column("journal_hash", sa.String(64), nullable=False, server_default=""),
    sa.Column("body", sa.Text, nullable=False),
    # Lines voided before payment, as the kiosk's Z counts them (migration 0005).
    sa.Column("void_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("void_amount", sa.BigInteger, nullable=False, server_default="0"),
    sa.Index("sales_by_store_date", "store_id", "business_date"),
    sa.Index("sales_by_id", "sale_id"),  # the e-receipt page's lookup (migration 0008)
    postgresql_partition_by=BY_MONTH,
)

sale_lines = sa.Table(
    "sale_lines",
    metadata,
    sa.Column("business_date", sa.Date, primary_key=True),
    sa.Column("sale_id", sa.String(64), primary_key=True),
    sa.Column("line_no", sa.Integer, primary_key=True),
    sa.Column("store_id", sa.String(64), nullable=False),
    sa.Column("sku", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("category", sa.String(100), nullable=False),
    sa.Column("qty", sa.Integer, nullable=False),
    sa.Column("weight_g", sa.Integer, nullable=False),
    sa.Column("unit_price", sa.BigInteger, nullable=False),
    sa.Column("gross", sa.BigInteger, nullable=False),
    sa.Column("discount", sa.BigInteger, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Index("sale_lines_by_store_date_sku", "store_id", "business_date", "sku"),
    postgresql_partition_by=BY_MONTH,
)

sale_tenders = sa.Table(
    "sale_tenders",
    metadata,
    sa.Column("business_date", sa.Date, primary_key=True),
    sa.Column("sale_id", sa.String(64), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("store_id", sa.String(64), nullable=False),
    sa.Column("method", sa.String(16), nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("reference", sa.String(100), nullable=False),
    postgresql_partition_by=BY_MONTH,
)

sale_taxes = sa.Table(
    "sale_taxes",
    metadata,
    sa.Column("business_date", sa.Date, primary_key=True),
    sa.Column("sale_id", sa.String(64), primary_key=True),
    sa.Column("rate_percent", sa.String(16), primary_key=True),
    sa.Column("store_id", sa.String(64), nullable=False),
    sa.Column("taxable", sa.BigInteger, nullable=False),
    sa.Column("dpp", sa.BigInteger, nullable=False),
    sa.Column("ppn", sa.BigInteger, nullable=False),
    postgresql_partition_by=BY_MONTH,
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("alert_id", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.String(64), nullable=False),
    sa.Column("device_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("severity", sa.String(16), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("cleared", sa.Boolean, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Index("alerts_by_store", "store_id", "at"),
)

stock_events = sa.Table(
    "stock_events",
    metadata,
    sa.Column("stock_id", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.String(64), nullable=False),
    sa.Column("device_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
)

stock_levels = sa.Table(
    "stock_levels",
    metadata,
    sa.Column("store_id", sa.String(64), primary_key=True),
    sa.Column("device_id", sa.String(64), primary_key=True),
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("qty", sa.BigInteger, nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.String(64), nullable=False),
    sa.Column("device_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    # The payload's business day where it carries one (refund, shift and day close), so a
    # report reads its period's events alone (migration 0013); else NULL.
    sa.Column("business_date", sa.Date, nullable=True),
    sa.Index("events_by_store_kind", "store_id", "kind", "at"),  # migration 0011
    sa.Index("events_by_store_kind_day", "store_id", "kind", "business_date"),
)

quarantine = sa.Table(
    "quarantine",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("topic", sa.String(300), nullable=False),
    sa.Column("payload", sa.LargeBinary, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("received_at", sa.String(40), nullable=False),
)

commands = sa.Table(
    "commands",
    metadata,
    sa.Column("command_id", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.String(64), nullable=False),
    sa.Column("device_id", sa.String(64), nullable=False),  # "all" for the whole store
    sa.Column("name", sa.String(32), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("issued_at", sa.String(40), nullable=False),
    sa.Column("issued_by", sa.String(100), nullable=False),
)

command_results = sa.Table(
    "command_results",
    metadata,
    sa.Column("command_id", sa.String(64), primary_key=True),
    sa.Column("device_id", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.String(64), nullable=False),
    sa.Column("ok", sa.Boolean, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
)

# The journal chain as the fleet saw it (migration 0002): one row per published record.
journal_links = sa.Table(
    "journal_links",
    metadata,
    sa.Column("store_id", sa.String(64), primary_key=True),
    sa.Column("device_id", sa.String(64), primary_key=True),
    sa.Column("seq", sa.BigInteger, primary_key=True),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("ref", sa.String(200), nullable=False),
)

# Per device: records missing between the first and last seen (``gaps``; an unpublished
# journal record, such as a void, also counts), forks, hashes that do not match their
# content; ``broken`` is what the dashboard flags, ``problem`` says the latest why.
device_journals = sa.Table(
    "device_journals",
    metadata,
    sa.Column("store_id", sa.String(64), primary_key=True),
    sa.Column("device_id", sa.String(64), primary_key=True),
    sa.Column("first_seq", sa.BigInteger, nullable=False),
    sa.Column("last_seq", sa.BigInteger, nullable=False),
    sa.Column("links", sa.BigInteger, nullable=False),
    sa.Column("gaps", sa.BigInteger, nullable=False),
    sa.Column("forks", sa.BigInteger, nullable=False),
    sa.Column("bad_hashes", sa.BigInteger, nullable=False),
    sa.Column("broken", sa.Boolean, nullable=False),
    sa.Column("problem", sa.Text, nullable=False, server_default=""),
    sa.Column("problem_at", sa.String(40), nullable=False, server_default=""),
)

# Who may open the dashboard (migration 0003). ``role`` is owner, manager or viewer;
# ``all_stores`` grants every store, present and future, else the rows of user_stores.
users = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("password_hash", sa.String(300), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("all_stores", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

user_stores = sa.Table(
    "user_stores",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.String(64), primary_key=True),
)

# One row per signed-in browser: the cookie holds a random token, this table only its
# SHA-256, so a copy of the database opens no session.
sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("expires_at", sa.String(40), nullable=False),
    sa.Index("sessions_by_name", "name"),
)

# Loyalty points moves as the kiosks published them (migration 0006): the fleet's balance
# of a member is their sum over every store; ``seq`` is the move's journal record on its
# kiosk, which the confirmation names so a till knows which of its moves were counted.
member_points = sa.Table(
    "member_points",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("member_id", sa.String(64), nullable=False),
    sa.Column("store_id", sa.String(64), nullable=False),
    sa.Column("device_id", sa.String(64), nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("points", sa.BigInteger, nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Index("member_points_by_member", "member_id", "store_id", "device_id"),
)

# Products bought together, counted as each sale is first stored (migration 0010): per
# store and business day, the sales holding both SKUs (sku_a < sku_b) and, where sku_a ==
# sku_b, the sales holding that SKU. The bought-together view sums a period's rows rather
# than joining its lines to themselves (~18 s over a month's 1M lines on PostgreSQL).
# SKUs compare byte-wise (collation "C" on PostgreSQL, SQLite's own), as Python orders
# them when ingest picks which of a pair is sku_a.
SKU_BYTEWISE = sa.String(64).with_variant(sa.String(64, collation="C"), "postgresql")
sale_pairs = sa.Table(
    "sale_pairs",
    metadata,
    sa.Column("store_id", sa.String(64), primary_key=True),
    sa.Column("business_date", sa.Date, primary_key=True),
    sa.Column("sku_a", SKU_BYTEWISE, primary_key=True),
    sa.Column("sku_b", SKU_BYTEWISE, primary_key=True),
    sa.Column("sales", sa.BigInteger, nullable=False),
    # Where sku_a == sku_b: the largest name on the day's lines of that SKU (the view shows
    # the period's largest, as the other views do), so naming a pair reads no lines; else ''.
    sa.Column("name", sa.String(200), nullable=False, server_default=""),
)
