"""The till's side of a QRIS payment around the basket: the order id a payment gets, the
tender it becomes once paid, and what a restarted till does with a payment it left open.

``QrisPaymentService`` knows payments; this module ties one to the open basket, so a till
killed while the customer paid finishes that very basket's sale (once) or, when the
acquirer says the QR expired or was cancelled, simply carries on with the basket open.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from kiosk.domain.sale import CompletedSale
from kiosk.services.checkout import CheckoutService
from kiosk.services.qris_payment import QrisPaymentService
from kiosk.storage import qris_payments as store
from kiosk.storage.db import transaction
from kiosk.storage.qris_payments import PaymentRow


def order_id_for(basket_id: str) -> str:
    """A fresh order id naming its basket: an acquirer refuses a reused one, and a till
    restarted mid-payment finds its basket again by the prefix (``basket_of``)."""
    return f"QR-{basket_id[:12]}-{secrets.token_hex(3)}"


def basket_of(order_id: str) -> str:
    """The basket id prefix an order id was made for ("" when not one of ours)."""
    parts = order_id.split("-")
    return parts[1] if len(parts) == 3 and parts[0] == "QR" else ""


def apply_paid(
    checkout: CheckoutService, service: QrisPaymentService, row: PaymentRow
) -> CompletedSale | None:
    """Take a paid payment as the basket's QRIS tender; when that covers the sale it is
    committed and the payment marked applied (the sale, or None while more is due)."""
    checkout.pay_qris(row.amount, reference=row.order_id)
    tenders = checkout.tenders
    if tenders is None or not tenders.is_complete:
        return None
    sale = checkout.complete()
    service.applied(row.order_id, sale.sale_id)
    return sale


@dataclass(frozen=True)
class Recovered:
    """What a restart did with a payment left open: ``sale`` committed with it, or
    ``refund_due`` (paid, but its basket is gone or was paid otherwise)."""

    order_id: str
    amount: int
    sale: CompletedSale | None = None
    refund_due: bool = False


def recover_payments(checkout: CheckoutService, service: QrisPaymentService) -> list[Recovered]:
    """At start, after the open basket was restored: ask the acquirer about every payment
    a killed till left open (``QrisPaymentService.recover`` voids the unpaid ones), and
    commit the restored basket's sale with the one that was paid. A paid payment whose
    basket is not the open one, or that does not cover it, is flagged for a refund: the
    basket stays open for another tender and nothing is charged twice."""
    done: list[Recovered] = []
    for row in service.recover():
        basket = checkout.basket
        ours = not basket.is_empty and basket_of(row.order_id) == basket.basket_id[:12]
        if ours and checkout.tenders is None and row.amount == checkout.start_payment().remaining:
            sale = apply_paid(checkout, service, row)
            if sale is not None:
                done.append(Recovered(row.order_id, row.amount, sale=sale))
                continue
        if ours and checkout.tenders is not None and not checkout.tenders.records():
            checkout.cancel_payment()
        _orphaned(service, row)
        done.append(Recovered(row.order_id, row.amount, refund_due=True))
    return done


def _orphaned(service: QrisPaymentService, row: PaymentRow) -> None:
    """Paid with no sale to hold it: closed here and flagged to be given back."""
    at = service.now()
    with transaction(service.conn):
        store.move(service.conn, row.order_id, ("paid",), "cancelled", at)
        store.flag_refund(service.conn, row.order_id, at, "recover")
