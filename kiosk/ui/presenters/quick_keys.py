"""The counter's quick keys when the shop has set none."""

from __future__ import annotations

from kiosk.domain.catalog import Catalog


def default_quick_keys(catalog: Catalog) -> list[str]:
    """The counter's quick keys when none are set: items without a barcode first, then
    the others (none sold by weight: those go through the scale); the first dozen."""
    products = [p for p in catalog if p.active and not p.sold_by_weight]
    no_code = [p.sku for p in products if not p.barcodes]
    return (no_code + [p.sku for p in products])[:12]
