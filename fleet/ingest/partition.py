"""Which ingest worker owns which store: a stable hash of the store id, so each store's
messages always go to one worker (its journal chain and stock figures stay in order).

Every worker subscribes plainly to every kiosk topic with its own persistent session and
stores only its share, acknowledging the rest unread. Plain subscriptions of an offline
session survive a broker restart where shared ones do not (ADR 2, ADR 4).
"""

from __future__ import annotations

import zlib

from kiosk.contract import topics


def owner(store_id: str, workers: int) -> int:
    """The worker index (0-based) that stores ``store_id``'s messages; the same answer in
    every process and every run (CRC-32, not Python's salted ``hash``)."""
    return zlib.crc32(store_id.encode("utf-8")) % workers


def mine(topic: str, index: int, workers: int) -> bool:
    """Whether worker ``index`` of ``workers`` stores this topic's message. A topic that
    names no store is judged by the hash of "" (one worker), so it is quarantined once."""
    if workers <= 1:
        return True
    parsed = topics.parse(topic)
    return owner(parsed.store_id if parsed else "", workers) == index
