"""Loyalty points moves per member, to confirm balances back to the kiosks; filled in
from the points events stored before.

Revision ID: 0006
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_points",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index("member_points_by_member", "member_points",
                    ["member_id", "store_id", "device_id"])  # fmt: skip
    events = sa.table("events", sa.column("event_id"), sa.column("store_id"),
                      sa.column("device_id"), sa.column("kind"), sa.column("body"))  # fmt: skip
    moves = sa.table("member_points", *(sa.column(name) for name in (
        "event_id", "member_id", "store_id", "device_id", "seq", "points", "at")))  # fmt: skip
    conn = op.get_bind()
    found = conn.execute(sa.select(events).where(events.c.kind == "points")).all()
    for event_id, store_id, device_id, _, body in found:
        doc = json.loads(body)
        payload = doc.get("payload") or {}
        conn.execute(sa.insert(moves).values(
            event_id=event_id, member_id=payload["member_id"], store_id=store_id,
            device_id=device_id, seq=int((doc.get("journal") or {}).get("seq", 0)),
            points=int(payload["points"]), at=doc["at"],
        ))  # fmt: skip


def downgrade() -> None:
    op.drop_index("member_points_by_member", table_name="member_points")
    op.drop_table("member_points")
