"""Where each share of a refund went, as the counter tells the cashier right after it:
back to the card (its last four digits), back to the QRIS (the customer's e-wallet or
bank app), back as points, or cash to pay out of the drawer now: for a card or QRIS
share the provider did not take, the screen says so, so the cashier knows why."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.ui.i18n import Language


def _last_four(via: Mapping[str, Any]) -> str:
    """Only the last four digits of a masked card number, whatever the terminal kept."""
    return "".join(ch for ch in str(via.get("masked_pan") or "") if ch.isdigit())[-4:]


def share_way(tender: Mapping[str, Any], lang: Language) -> str:
    """One share of a refund document (``RefundService.refund``'s ``tenders``) in words."""
    _ = lang._
    method, paid_as = str(tender["method"]), str(tender.get("paid_as", "cash"))
    via = tender.get("via") or {}
    if paid_as == "points":
        return _("Back as points: {points}").format(points=int(tender.get("points", 0)))
    if paid_as == "card":
        last = _last_four(via)
        return _("Back to card •••• {last4}").format(last4=last) if last else _("Back to card")
    if paid_as == "qris":
        return _("Back to QRIS (e-wallet)")
    if method == "points":
        return _("Pay out cash (part of a point)")
    if method == "card":
        return _("Pay out cash (the card did not take it back)")
    if method == "qris":
        return _("Pay out cash (the QRIS did not take it back)")
    return _("Pay out cash")


def refund_ways(refund: Mapping[str, Any], lang: Language) -> list[tuple[str, str, bool]]:
    """(where, amount, paid out of the drawer) for every share of ``refund``; amounts
    shown positive."""
    return [(share_way(t, lang), lang.money(-int(t["amount"])), t.get("paid_as") == "cash")
            for t in refund["tenders"]]  # fmt: skip
