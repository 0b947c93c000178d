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


class WeighError(ShownError):
    """A reading that cannot go on a sale."""


def needs_weight(found: LookupResult) -> bool:
    """A weighed product scanned by its plain barcode (or picked): the scale must say
    how much; a scale label already carries its weight or price."""
    return found.product.sold_by_weight and found.weight_g is None and found.price_override is None


def weight_for_sale(scale: Scale | None, minimum_g: int = MIN_WEIGHT_G) -> int:
    """Grams on the scale now, steady and sellable; raises ``WeighError`` or the scale's
    ``DeviceError`` (over its maximum, below zero, not answering)."""
    if scale is None:
        raise WeighError.of("weigh.no_scale")
    reading = scale.weigh()
    if not reading.stable:  # first: a moving Toledo scale answers a status, no weight
        raise WeighError.of("weigh.moving")
    if reading.grams <= 0:
        raise WeighError.of("weigh.nothing")
    if reading.grams < minimum_g:
        raise WeighError.of("weigh.too_light")
    return reading.grams
