"""Ids for sales and baskets that sort by the time they were made (UUIDv7, RFC 9562).

A sale's id keys its rows in ``sales``, ``sale_lines``, ``sale_taxes``, ``tenders``, the
journal and the outbox. A random id (uuid4) put each new sale's rows at a random place in
every one of those B-trees: a commit read and rewrote pages from all over a 1M-sale
ledger, and a day's report fetched its 5,000 sales' tenders and taxes from 5,000
different pages. With the time first, a new sale's rows land at the end of each tree,
beside the previous sale's, and a day's rows sit together.

Still 32 lowercase hex digits, still globally unique (74 random bits per millisecond),
so nothing that reads a sale id changes. A wrong clock only costs the ordering.
Pure: the caller brings the time and the random bits (``kiosk.services.checkout.new_id``).
"""

from __future__ import annotations

_VERSION = 0x7
_VARIANT = 0b10
RANDOM_BITS = 74


def time_ordered_id(now_ms: int, random_bits: int) -> str:
    """A UUIDv7 as 32 hex digits: 48 bits of Unix milliseconds, then 74 random bits."""
    if not 0 <= now_ms < 1 << 48:
        raise ValueError(f"milliseconds out of range for a UUIDv7: {now_ms}")
    if not 0 <= random_bits < 1 << RANDOM_BITS:
        raise ValueError(f"a UUIDv7 takes {RANDOM_BITS} random bits")
    rand_a, rand_b = random_bits >> 62, random_bits & ((1 << 62) - 1)
    value = now_ms << 80 | _VERSION << 76 | rand_a << 64 | _VARIANT << 62 | rand_b
    return f"{value:032x}"
