"""A books event's business day as a column of its own (``events.business_date``, from
its payload; empty for the kinds that carry none), indexed with the store and kind: the
store report read every refund, shift close and Z the store ever made and picked the
period's days out of their JSON, so a one-day report of a store with a year of history
read the year. Filled in here for the events stored before.

Revision ID: 0013
"""

import json

import sqlalchemy as sa
from alembic import op

from fleet.storage.repository import event_day

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None
PAGE = 5000


def upgrade() -> None:
    op.add_column("events", sa.Column("business_date", sa.Date(), nullable=True))
    events = sa.table("events", sa.column("event_id"), sa.column("body"),
                      sa.column("business_date", sa.Date()))  # fmt: skip
    conn = op.get_bind()
    dated = events.c.body.contains('"business_date"')  # only those can carry one
    after = ""
    while True:  # by pages of event ids: a fleet's events may not fit in memory at once
        page = conn.execute(
            sa.select(events.c.event_id, events.c.body)
            .where(dated & (events.c.event_id > after))
            .order_by(events.c.event_id)
            .limit(PAGE)
        ).all()
        if not page:
            break
        after = page[-1][0]
        days = [{"id": event_id, "day": event_day(json.loads(body))} for event_id, body in page]
        found = [row for row in days if row["day"] is not None]
        if found:
            conn.execute(
                events.update()
                .where(events.c.event_id == sa.bindparam("id"))
                .values(business_date=sa.bindparam("day")),
                found,
            )
    op.create_index("events_by_store_kind_day", "events",
                    ["store_id", "kind", "business_date"])  # fmt: skip


def downgrade() -> None:
    op.drop_index("events_by_store_kind_day", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("business_date")
