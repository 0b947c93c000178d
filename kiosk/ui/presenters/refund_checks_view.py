"""The desk's "Refunds to check": card and QRIS refund shares blocked because their
provider has not said whether the money went back. A supervisor taps one and the till
asks the provider again (``kiosk.services.refund_checks``, role-checked and journaled
there); the screen says what that means for the customer in the cashier's language. A
manager settles one the provider still cannot confirm with ``kiosk refunds resolve``."""

from __future__ import annotations

from typing import Any

from kiosk.services.books import Books
from kiosk.services.refund_checks import RefundChecks
from kiosk.ui.i18n import Language


def checks_service(books: Books) -> RefundChecks:
    refunds = books.refunds
    return RefundChecks(refunds.uow, refunds.clock, refunds.terminal, refunds.gateway,
                        refunds.recheck_s)  # fmt: skip


def _way(method: str, lang: Language) -> str:
    return lang._("card") if method == "card" else "QRIS"


def blocked_rows(books: Books, lang: Language) -> list[tuple[str, str]]:
    """(call id, what the button says) for every blocked share."""
    return [
        (str(call["call_id"]), lang._("Receipt {number}: {amount} to the {way}").format(
            number=call["receipt_no"], amount=lang.money(int(call["amount"])),
            way=_way(str(call["method"]), lang)))
        for call in checks_service(books).blocked()
    ]  # fmt: skip


def checked_text(result: dict[str, Any], lang: Language) -> tuple[str, str]:
    """The message and its level once the provider was asked again."""
    amount, way = lang.money(int(result["amount"])), _way(str(result["method"]), lang)
    if result["outcome"] == "refunded":
        text = lang._("{amount} went back to the {way}: refund the same items again to book it")
        return text.format(amount=amount, way=way), "ok"
    if result["outcome"] == "released":
        text = lang._("{amount} never went back to the {way}: refund the items again")
        return text.format(amount=amount, way=way), "ok"
    if result["outcome"] == "check_again":
        text = lang._(
            "The acquirer does not list {amount} back to the {way} yet: it may still be"
            " processing it. Check again in a minute"
        )
        return text.format(amount=amount, way=way), "attention"
    text = lang._(
        "The provider still cannot say whether {amount} went back to the {way}: ask a manager"
    )
    return text.format(amount=amount, way=way), "attention"
