"""What ``fleet run`` does for the online orders between requests.

A store with several kiosks stores an order, and holds its stock, at each of them (each
ledger is its own stock). Once one kiosk collects or cancels it, ``release_elsewhere``
sends the store a cancel for it, so the other kiosks free their hold; the kiosk that
finished it answers "already collected/cancelled" and changes nothing, and the fleet
ignores a late "cancelled" for a collected order (statuses never go back).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable

import sqlalchemy as sa

from fleet.services import commands
from fleet.shop.orders import shop_access
from fleet.storage import schema
from fleet.storage.shop_schema import orders
from kiosk.contract.messages import utc_now_iso

log = logging.getLogger(__name__)


def release_elsewhere(engine: sa.Engine, publish: commands.Publish) -> list[str]:
    """Finished orders of stores with more than one kiosk, told to the rest once."""
    o, d = orders, schema.devices
    several = (sa.select(d.c.store_id).group_by(d.c.store_id)
               .having(sa.func.count() > 1).scalar_subquery())  # fmt: skip
    query = sa.select(o.c.order_id, o.c.store_id, o.c.channel, o.c.status, o.c.body).where(
        o.c.status.in_(("collected", "cancelled")), o.c.sent.is_(True),
        o.c.received_by != "", o.c.store_id.in_(several),
    )  # fmt: skip
    with engine.connect() as conn:
        rows = [r for r in conn.execute(query) if "released" not in json.loads(r.body)]
    done = []
    for row in rows:
        reason = f"{row.status} at another kiosk"
        try:
            commands.send(engine, publish, "order",
                          {"action": "cancel", "order_id": row.order_id, "reason": reason},
                          store_id=row.store_id, device_id=commands.ALL,
                          by=shop_access(row.store_id, row.channel))  # fmt: skip
        except commands.CommandError as err:
            log.warning("order %s: the other kiosks not told yet: %s", row.order_id, err)
            continue
        with engine.begin() as conn:
            body = json.loads(conn.execute(
                sa.select(o.c.body).where(o.c.order_id == row.order_id)).scalar_one())  # fmt: skip
            body["released"] = utc_now_iso()
            conn.execute(sa.update(o).where(o.c.order_id == row.order_id)
                         .values(body=json.dumps(body, sort_keys=True)))  # fmt: skip
        done.append(row.order_id)
    return done


class Every:
    """Run ``job`` every ``seconds`` on its own thread until ``stop()``; a database that
    is away skips a round."""

    def __init__(self, seconds: float, job: Callable[[], object], name: str) -> None:
        self.seconds, self.job = seconds, job
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> Every:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.seconds):
            try:
                self.job()
            except sa.exc.SQLAlchemyError as err:
                log.warning("%s: skipped a round: %s", self._thread.name, err)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)
