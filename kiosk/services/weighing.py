"""Selling by weight: what a scale reading means for a sale.

A product sold by weight is rung up with its weight in grams, from a scale label or
from the till's own scale. ``weight_for_sale`` turns one reading into grams or refuses
it with the reason the person at the scale can act on.
"""

from __future__ import annotations

from kiosk.domain.catalog import LookupResult
from kiosk.domain.errors import ShownError
from kiosk.ports import Scale

# Below this a shop scale is outside its legal range (20 divisions of 2 g).
MIN_WEIGHT_G = 40

NO_SCALE = "This till has no scale; scan the item's scale label instead"
NOTHING_ON_SCALE = "Nothing on the scale yet; put the item on it"
NOT_STEADY = "The weight is still moving; wait a moment and weigh again"
TOO_LIGHT = "Too light to sell by weight; put more on the scale"
WEIGH_MESSAGES = (NO_SCALE, NOTHING_ON_SCALE, NOT_STEADY, TOO_LIGHT)


class WeighError(ShownError):
    """A reading that cannot go on a sale."""

    def __init__(self, msgid: str) -> None:
        super().__init__(msgid, msgid=msgid)


def needs_weight(found: LookupResult) -> bool:
    """A weighed product scanned by its plain barcode (or picked): the scale must say
    how much; a scale label already carries its weight or price."""
    return found.product.sold_by_weight and found.weight_g is None and found.price_override is None


def weight_for_sale(scale: Scale | None, minimum_g: int = MIN_WEIGHT_G) -> int:
    """Grams on the scale now, steady and sellable; raises ``WeighError`` or the scale's
    ``DeviceError`` (over its maximum, below zero, not answering)."""
    if scale is None:
        raise WeighError(NO_SCALE)
    reading = scale.weigh()
    if not reading.stable:  # first: a moving Toledo scale answers a status, no weight
        raise WeighError(NOT_STEADY)
    if reading.grams <= 0:
        raise WeighError(NOTHING_ON_SCALE)
    if reading.grams < minimum_g:
        raise WeighError(TOO_LIGHT)
    return reading.grams
