"""The open basket survives the till: the checkout writes it after every change
(``OpenBasketStore``, implemented in kiosk.storage.open_basket), and ``restore`` offers it
again at the next start, whether the till was stopped, crashed or lost power.

A basket is not offered again when it was sold or parked in the meantime: the checkout
notes the sale id before it commits, so a crash between the commit and the clean-up
cannot ring the same basket up twice.
"""

from __future__ import annotations

from typing import Any, Protocol

from kiosk.domain.basket import Basket, BasketError


class OpenBasketStore(Protocol):
    def keep(self, basket: Basket, sale_id: str = "") -> None:
        """Store the basket as it is now (what changed since the last call)."""
        ...

    def drop(self, basket_id: str) -> None: ...

    def latest(self) -> tuple[str, dict[str, Any], str] | None:
        """The most recently kept basket: id, state (``Basket.to_dict``; {} when it
        cannot be read) and the sale id noted for it ("" if none)."""
        ...


class SaleLookup(Protocol):
    def get_sale(self, sale_id: str) -> object | None: ...

    def list_suspended(self) -> list[dict[str, str]]: ...


def restorable(store: OpenBasketStore, ledger: SaleLookup) -> Basket | None:
    """The basket left open by the last run, or None. Baskets that were sold, parked,
    emptied or cannot be read are dropped from the store, so they are offered once."""
    while (found := store.latest()) is not None:
        basket_id, payload, sale_id = found
        try:
            basket = Basket.from_dict(payload)
        except (BasketError, ValueError, TypeError):
            basket = None
        parked = {p["basket_id"] for p in ledger.list_suspended()}
        sold = bool(sale_id) and ledger.get_sale(sale_id) is not None
        if basket is not None and not basket.is_empty and not sold and basket_id not in parked:
            return basket
        store.drop(basket_id)
    return None
