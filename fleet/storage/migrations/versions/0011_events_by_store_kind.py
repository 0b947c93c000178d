"""Books events found by store, kind and time: the store report's refunds and closes and
the loss-prevention view read a store's events of a few kinds over a period; without this
index every such read scanned the events of the whole fleet.

Revision ID: 0011
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("events_by_store_kind", "events", ["store_id", "kind", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("events_by_store_kind", table_name="events")
