"""Changing the catalog: file imports, the fleet's snapshots and deltas, prices,
promotions, and undoing the last change. The CLI, fleet commands and the UI all call
these; each change is one transaction with a kept copy of the catalog before it and a
journal record of who made it.

A change that would take more than ``max_removal_percent`` of the products on sale off
it (or all of them) is refused unless the caller says ``allow_mass_removal``: an empty
snapshot sent store-wide must not empty every till of the store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.domain.bounds import AMOUNT_CEILING, DEFAULT_LIMITS, BoundsError, check_amount
from kiosk.domain.catalog import Product
from kiosk.domain.promotions import PromotionError, parse_promotion
from kiosk.ports import Clock, UnitOfWork
from kiosk.services.business_day import utc_stamp
from kiosk.services.changes import ChangeRefusedError

# Prices listed one by one in the journal record up to this many; beyond, a digest.
JOURNAL_PRICES = 100


@dataclass(frozen=True)
class CatalogChange:
    products: int  # products written (or restored)
    removed: int = 0  # products taken off sale
    version: int = 0  # the kept copy of the catalog before the change

    def to_dict(self) -> dict[str, int]:
        return {"products": self.products, "removed": self.removed, "version": self.version}


class CatalogAdmin:
    def __init__(
        self, uow: UnitOfWork, clock: Clock, *, max_removal_percent: int = 50,
        max_price: int = DEFAULT_LIMITS.max_price,
    ) -> None:  # fmt: skip
        self.uow = uow
        self.clock = clock
        self.max_removal_percent = max_removal_percent
        self.max_price = max_price  # the shop's limits.max_price, for every road in

    def _check_prices(self, prices: Mapping[str, int]) -> None:
        for sku, price in prices.items():
            try:
                check_amount(price, f"price of {sku}", self.max_price)
            except BoundsError as err:
                if type(price) is int and price > 0:  # a whole price: above the limit
                    raise ChangeRefusedError.of("catalog.price_limit", message=err.message,
                        sku=sku, price=price, limit=min(self.max_price, AMOUNT_CEILING),
                    ) from None  # fmt: skip
                raise ChangeRefusedError(err.message) from None

    # -- products ----------------------------------------------------------------------

    def import_products(self, products: Sequence[Product], *, by: str, source: str = "") -> int:
        """Add or replace these products (a catalog file); the others stay as they are."""
        change = self._write("import", by, {"source": source}, products, (), replace=False)
        return change.products

    def snapshot(
        self, products: Sequence[Product], *, by: str, allow_mass_removal: bool = False
    ) -> CatalogChange:
        """Make the catalog exactly ``products``."""
        return self._write("snapshot", by, {}, products, (), replace=True,
                           allow_mass_removal=allow_mass_removal)  # fmt: skip

    def delta(
        self, products: Sequence[Product], remove: Sequence[str], *, by: str,
        allow_mass_removal: bool = False,
    ) -> CatalogChange:  # fmt: skip
        """Add or replace ``products`` and take the ``remove`` SKUs off sale."""
        return self._write("delta", by, {}, products, remove, replace=False,
                           allow_mass_removal=allow_mass_removal)  # fmt: skip

    def _write(
        self, reason: str, by: str, extra: dict[str, Any], products: Sequence[Product],
        remove: Sequence[str], *, replace: bool, allow_mass_removal: bool = False,
    ) -> CatalogChange:  # fmt: skip
        at = utc_stamp(self.clock)
        batch = list(products)
        self._check_prices({p.sku: p.price for p in batch})
        with self.uow.transaction():
            on_sale = self.uow.catalog.skus_on_sale()
            kept = {p.sku for p in batch if p.active}
            off = {p.sku for p in batch if not p.active} | set(remove)
            removed = (on_sale - kept) if replace else (on_sale & off)
            if not allow_mass_removal:
                self._guard_removal(len(on_sale), len(removed))
            version = self.uow.catalog.save_version(reason, by, at)
            if replace:
                self.uow.catalog.replace_all(batch)
            else:
                if batch:
                    self.uow.catalog.upsert(batch)
                if remove:
                    self.uow.catalog.deactivate(list(remove))
            change = CatalogChange(len(batch), len(removed), version)
            self.uow.journal(f"catalog_{reason}", str(version),
                             {"by": by, **extra, **change.to_dict()}, at)  # fmt: skip
        return change

    def _guard_removal(self, on_sale: int, removed: int) -> None:
        if not on_sale or not removed:
            return
        share = removed * 100 / on_sale
        if removed == on_sale or share > self.max_removal_percent:
            raise ChangeRefusedError.of(
                "catalog.mass_removal", removed=removed, on_sale=on_sale,
                percent=round(share), limit=self.max_removal_percent,
                message=f"this would take {removed} of the {on_sale} products on sale off sale "
                f"({share:.0f}%, more than catalog.max_removal_percent = "
                f"{self.max_removal_percent}%); nothing was changed. If that is meant, "
                "send it again with allow_mass_removal",
            )  # fmt: skip

    def undo(self, *, by: str) -> dict[str, Any]:
        """Put back the catalog as it was before the last change (import, snapshot,
        delta, prices); each undo goes one change further back."""
        at = utc_stamp(self.clock)
        with self.uow.transaction():
            version = self.uow.catalog.restore_latest_version(at)
            if version is None:
                raise ChangeRefusedError.of("catalog.nothing_to_undo")
            detail = {"version": version.version_id, "products": version.products,
                      "undid": version.reason, "undid_by": version.by,
                      "kept_at": version.created_at}  # fmt: skip
            self.uow.journal("catalog_undo", str(version.version_id), {"by": by, **detail}, at)
        return detail

    # -- prices and promotions ---------------------------------------------------------

    def set_prices(self, prices: Mapping[str, int], *, by: str) -> int:
        """New tax-inclusive prices by SKU, all-or-nothing."""
        self._check_prices(prices)
        at = utc_stamp(self.clock)
        with self.uow.transaction():
            version = self.uow.catalog.save_version("prices", by, at)
            count = self.uow.catalog.set_prices(prices)
            listed = sorted(prices.items())
            record: dict[str, Any] = {"by": by, "prices": count, "version": version}
            if len(listed) <= JOURNAL_PRICES:
                record["changes"] = [{"sku": sku, "price": price} for sku, price in listed]
            else:
                record["digest"] = hashlib.sha256(json.dumps(listed).encode()).hexdigest()
            self.uow.journal("price_change", str(version), record, at)
        return count

    def set_promotions(
        self, mode: str, bodies: Mapping[str, Mapping[str, Any]], remove: Sequence[str],
        *, by: str,
    ) -> dict[str, int]:  # fmt: skip
        """``snapshot``: exactly these promotions; ``delta``: add or replace them and end
        the ``remove`` ones. Every body is checked by the domain's parser first; a refusal
        names the promotion and the field."""
        for promo_id, body in bodies.items():
            try:
                parse_promotion(dict(body))
            except PromotionError as err:
                raise ChangeRefusedError.of("promotions.invalid", message=str(err),
                                            promo_id=promo_id) from None  # fmt: skip
        if mode == "snapshot" and remove:
            raise ChangeRefusedError.of("change.remove_in_snapshot")
        at = utc_stamp(self.clock)
        with self.uow.transaction():
            if mode == "snapshot":
                count = self.uow.catalog.replace_promotions(bodies)
            else:
                for promo_id, body in bodies.items():
                    self.uow.catalog.put_promotion(promo_id, body)
                for promo_id in remove:
                    self._end_promotion(promo_id)
                count = len(bodies)
            result = {"promotions": count, "removed": len(remove)}
            self.uow.journal("promotion_change", mode,
                             {"by": by, "mode": mode, "ids": sorted(bodies)[:100], **result},
                             at)  # fmt: skip
        return result

    def _end_promotion(self, promo_id: str) -> None:
        try:
            self.uow.catalog.set_promotion_active(promo_id, False)
        except KeyError as err:  # the transaction rolls back: nothing was changed
            raise ChangeRefusedError.of("promotions.unknown", promo_id=promo_id) from err
