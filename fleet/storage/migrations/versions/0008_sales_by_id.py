"""Sales found by their id alone: the e-receipt page (``/r/{sale_id}``) knows no business
day, and the primary key starts with it (PostgreSQL partitions by it), so without this
index a receipt lookup would read every month's sales.

Revision ID: 0008
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("sales_by_id", "sales", ["sale_id"], unique=False)


def downgrade() -> None:
    op.drop_index("sales_by_id", table_name="sales")
