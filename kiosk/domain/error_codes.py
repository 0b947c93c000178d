"""Every refusal a person at the till may read: a code and its English wording.

A ``ShownError`` carries its code and parameters (``ShownError.of(code, **params)``); the
till's screens word it from the code in their own language (the templates below are the
msgids of kiosk/ui's catalogs), the CLI prints the English. Parameters in ``{name:rp}``
are rupiah (formatted per language); a ``Term`` parameter is itself a word the screen
translates (a role, an action). Codes are stable: logs and support refer to them.
tests/unit/ui/test_error_codes.py checks that every raise site uses a code from here with
the parameters its text needs, and that both catalogs word every text.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping

from kiosk.domain.money import format_rupiah


class Term(str):
    """A parameter that is itself a msgid (a role, an action): translated, then shown."""

    __slots__ = ()


ERROR_TEXTS: dict[str, str] = {
    # -- the basket ----------------------------------------------------------------------
    "basket.percent_not_number": "The discount percent {percent} is not a number",
    "basket.percent_range": "A discount percent must be more than 0 and at most 100",
    "basket.amount_range": "The amount must be a whole number of rupiah above zero",
    "basket.price_range": "The price must be a whole number of rupiah, zero or more",
    "basket.new_price": "The new price must be a whole number of rupiah above zero",
    "basket.weight_range": "The weight must be a whole number of grams above zero",
    "basket.qty_range": "The quantity must be a whole number from 1 to {max}",
    "basket.weighed_qty": "A weighed item is rung up once with its weight, not a quantity",
    "basket.sold_by_weight": "{name} is sold by weight: weigh it or scan its scale label",
    "basket.line_not_number": "The line number must be a whole number",
    "basket.no_line": "Line {line} does not exist; the basket has {count} line(s)",
    "basket.line_voided": "Line {line} was already taken off",
    "basket.line_weighed": "Line {line} is weighed; take it off and weigh it again",
    "basket.weighed_price": "Line {line} is weighed; its price comes from the scale",
    "basket.empty_scan_first": "The basket is empty; scan an item first",
    "basket.discount_both": "Give a discount as a percent or an amount, not both",
    "basket.stored_line": "The parked sale is damaged (line {line}); ring it up again",
    "basket.stored_malformed": "The parked sale is damaged; ring it up again",
    "basket.stored_product": "An item of the parked sale is no longer in the catalog",
    # -- barcodes and the catalog --------------------------------------------------------
    "barcode.not_digits": "The barcode {code} could not be read; scan it again",
    "barcode.check_digit": "The barcode {code} was misread; scan it again",
    "barcode.length": "The barcode {code} has the wrong length; scan it again",
    "barcode.symbology": "This kind of barcode is not used here",
    "barcode.product": "A barcode of {name} is not valid: {code}",
    "barcode.unknown": "No item has the barcode {code}",
    "barcode.empty": "The barcode was empty; scan it again",
    "barcode.scale_unknown": "The scale label {code} is for an item not in the catalog",
    "barcode.zero_price": "The scale label {code} has no price; weigh the item again",
    "barcode.zero_weight": "The scale label {code} has no weight; weigh the item again",
    "barcode.not_weighed": "The scale label {code} is for {name}, which is not sold by weight",
    "catalog.inactive": "{name} is not for sale at the moment",
    "catalog.no_such_item": "That item is not in the catalog",
    # -- the checkout ----------------------------------------------------------------------
    "checkout.price_limit": "The price is above this till's limit of {limit:rp}",
    "checkout.line_limit": "This line would come to more than this till's limit of {limit:rp}",
    "checkout.sale_limit": "The sale would come to more than this till's limit of {limit:rp}",
    # short enough for the message bar at 800 px: the cashier has just typed the quantity
    "checkout.qty_limit": "Quantity limit: {limit} per item",
    "checkout.cash_limit": "Cash given is above this till's limit of {limit:rp}",
    "checkout.nothing_to_park": "Nothing to park: the basket is empty",
    "checkout.park_ambiguous": "{ref} matches {count} parked sales; choose one from the list",
    "checkout.no_parked": "There is no parked sale {ref}",
    "checkout.finish_first": "Finish or park the open sale before resuming another",
    "checkout.empty": "The basket is empty; scan an item first",
    "checkout.tender_taken": "A payment has already been taken; finish the sale or refund it",
    "checkout.cancel_reason": "Choose why the sale is cancelled",
    "checkout.nothing_to_cancel": "There is no sale to cancel",
    "checkout.still_due": "Still due: {due:rp}",
    "checkout.payment_started": "Payment has started; the basket can no longer change",
    "checkout.scan_first": "Scan an item first",
    "checkout.finish_before_order": "Finish or park the open sale before collecting an order",
    "checkout.order_cancelled": "The order of {name} was cancelled: do not hand it over",
    "checkout.type_discount": "Type the discount first",
    "checkout.type_price": "Type the new price first",
    "checkout.no_reports": "Reports are not available on this till",
    "checkout.no_line": "There is no line {line}",
    "checkout.nothing_waiting": "There is nothing waiting for approval",
    "checkout.waiting_for_staff": "Please wait: a member of staff is coming",
    # -- payments ---------------------------------------------------------------------------
    "tender.not_whole": "Amounts are whole rupiah",
    "tender.masked_card": "The card number may hold only digits and * (masked)",
    "tender.card_unmasked": "The card number is not masked: keep only the first 6 and last 4",
    "tender.payable_negative": "The amount to pay cannot be below zero",
    "tender.rounding_step": "The cash rounding step must be 0, 100 or 500",
    "tender.paid": "The sale is already paid in full",
    "tender.cash_zero": "Cash given must be more than Rp0",
    "tender.card_zero": "The card amount must be more than Rp0",
    "tender.card_over": "The card pays at most the {due:rp} still due; it gives no change",
    "tender.card_reference": "The card payment has no reference from the card terminal",
    "tender.qris_zero": "The QRIS amount must be more than Rp0",
    "tender.qris_over": "QRIS pays at most the {due:rp} still due; it gives no change",
    "tender.qris_reference": "The QRIS payment has no reference from the provider",
    "tender.points_over": "Points pay at most the {due:rp} still due; they give no change",
    "tender.online_zero": "The online payment amount must be more than Rp0",
    "tender.online_over": "An online payment pays at most the {due:rp} still due",
    "tender.online_reference": "The online payment has no reference from the provider",
    "tender.over_limit": "The amount is above this till's limit of {limit:rp}",
    "tender.sum": "The payments add up to {paid:rp}, not {total:rp}",
    "tender.total_changed": "The total changed to {total:rp}; start the payment again",
    "tender.not_paid": "Not paid yet: {paid:rp} of {total:rp} received, {due:rp} still due",
    # -- staff -------------------------------------------------------------------------------
    "staff.unknown_action": "This is not something the till can allow",
    "staff.pin_format": "A PIN is 4 to 8 digits",
    "staff.key_problem": "The staff PIN key of this till is damaged; call the manager",
    "staff.unknown_role": "Choose a role: cashier, supervisor or manager",
    "staff.id_name": "A staff member needs an id and a name",
    "staff.pin_taken": "That PIN is already in use; choose another",
    "staff.badge_taken": "That badge already belongs to {name}",
    "staff.no_member": "There is no such staff member",
    "staff.unknown_badge": "This staff badge is not known here",
    "staff.enter_pin": "{name}: enter your PIN",
    "staff.login_needed": "A member of staff must sign in first",
    "staff.inactive": "{name} may no longer sign in",
    "staff.not_allowed": "{name} ({role}) may not {action}; a {needed} must do this",
    "staff.locked": "Too many wrong PINs; wait {seconds} seconds",
    "staff.wrong_pin": "Wrong PIN; try again",
    "staff.other_shift": "This is {name}'s shift; they close it themselves",
    # -- shifts, refunds, the day ----------------------------------------------------------
    "shift.denomination": "Rp{value} is not a rupiah coin or note",
    "shift.pieces": "The number of Rp{value} pieces must be 0 to {max}",
    "shift.amount": "The amount must be a whole number of rupiah up to {max:rp}",
    "shift.open_elsewhere": "{name}'s shift is still open on this till",
    "shift.direction": "Cash moves in or out",
    "shift.reason": "Give a reason for the cash moved",
    "shift.none": "There is no shift on this till",
    "shift.no_sale_reason": "A reason is required to open the drawer",
    "shift.not_open": "No shift is open on this till",
    "refund.no_line": "Line {line} is not on this receipt",
    "refund.qty": "Line {line}: the quantity must be a whole number above zero",
    "refund.nothing": "Choose at least one line to refund",
    "refund.too_many": "Line {line}: only {left} of {qty} can still be refunded",
    "refund.weighed": "Line {line} was weighed: it is refunded whole",
    "refund.over_paid": "The refund is more than the sale's payments",
    "refund.no_receipt": "There is no receipt {receipt} on this till",
    "refund.cash_needs_supervisor": (
        "{amount:rp} could not go back to the card or QRIS: paying it in cash needs a"
        " supervisor's approval"
    ),
    "refund.provider_unknown": (
        "An earlier refund to this card or QRIS has no known outcome: check the terminal's"
        " last transaction or the acquirer first"
    ),
    "refund.qris_unknown": (
        "The acquirer has not said whether {amount:rp} went back to the QRIS: nothing is"
        " paid in cash until a supervisor checks it"
    ),
    "refund.qris_check_again": (
        "The acquirer does not list {amount:rp} back to the QRIS yet: it may still be"
        " processing it, so nothing is paid in cash now. Check again in a minute"
    ),
    "refund.no_call": "There is no card or QRIS refund call {call} on this till",
    "refund.not_blocked": "The refund call {call} is not blocked: its outcome is already known",
    "refund.verdict": "Say what the provider's records show: refunded or not_refunded",
    "refund.provider_pending": (
        "{amount:rp} already went back to the card or QRIS without a refund in the books:"
        " refund the same items again to book it"
    ),
    "refund.changed": "This receipt changed while refunding: try again",
    "day.closed": "Business day {day} is already closed (Z {number})",
    "receipt.none": "There is no sale on this till yet",
    "receipt.not_found": "There is no receipt {receipt} on this till",
    # -- members and points ---------------------------------------------------------------
    "member.phone": "{text} is not a mobile number like 0812 3456 789",
    "member.exists": "{phone} is already a member",
    "member.card_taken": "That card belongs to another member",
    "member.scan_or_type": "Scan the member card or type a phone number",
    "member.no_card": "No member has that card",
    "member.no_phone": "No member has the phone number {phone}",
    "member.inactive": "The membership of {name} is not active",
    "points.rules": "Earning and point value must be above zero",
    "points.settings": "The loyalty settings are not valid; ask the manager to correct them",
    "points.no_member": "Put a member on the sale before paying with points",
    "points.cap": "The redeem cap is a percentage from 0 to 100",
    "points.whole": "Points to redeem must be a whole number above zero",
    "points.spendable": "At most {points} points can be used on this sale",
    "points.sale_cap": "At most {points} points can be used on this sale",
    # -- the scale -------------------------------------------------------------------------
    "weigh.no_scale": "This till has no scale; scan the item's scale label instead",
    "weigh.nothing": "Nothing on the scale yet; put the item on it",
    "weigh.moving": "The weight is still moving; wait a moment and weigh again",
    "weigh.too_light": "Too light to sell by weight; put more on the scale",
    # -- a card payment that did not go through (by the terminal's response code) ----------
    "card.declined": "Card declined by the bank; try another card or another way to pay",
    "card.funds": "Card declined: not enough funds; try another card or another way to pay",
    "card.expired": "Card declined: the card has expired; try another card",
    "card.pin": "Card declined: wrong PIN; try again",
    "card.pin_tries": "Card blocked: too many wrong PINs; pay another way",
    "card.limit": "Card declined: above the card's limit; try a smaller amount or another card",
    "card.invalid": "This card cannot be used here; try another card",
    "card.issuer": "The bank cannot be reached now; try again or pay another way",
    "card.unknown": "No answer from the card terminal; check it before trying again",
    "card.garbled": "The card terminal's answer could not be read; check it before trying again",
    "card.unexpected": "The card terminal answered another payment; check it before trying again",
    "card.terminal": "The card terminal is not working; pay another way",
    "card.cancelled": "The card payment was cancelled",
    # -- devices (``DeviceError.code``; ``device`` is the kind, a Term) -------------------
    "device.failed": "The {device} is not working; check its cable and power, then try again",
    "device.none": "This till has no {device}",
    "device.drawer_jammed": "The cash drawer did not open; open it with its key",
    "device.change_short": "The change was not paid out in full; give the rest by hand",
    "scale.not_answering": "The scale is not answering; check its cable and power",
    "scale.garbled": "The scale's answer could not be read; try again",
    "scale.over_maximum": "Too heavy for the scale; weigh it in parts",
    "scale.below_zero": "The scale reads below zero; empty it and press zero",
    "scale.use_keys": "Use the scale's own zero and tare keys",
}

# A device by its kind (``DeviceError.kind``), as a person names it.
DEVICE_TERMS: dict[str, str] = {
    "printer": "receipt printer",
    "drawer": "cash drawer",
    "scanner": "barcode scanner",
    "scale": "scale",
    "display": "customer display",
    "card_terminal": "card terminal",
    "cash_acceptor": "cash acceptor",
    "lights": "status light",
    "": "device",
}

# Words a ``Term`` parameter may hold: who may do what (kiosk.services.staff).
ROLE_TERMS: dict[str, str] = {
    "cashier": "cashier",
    "supervisor": "supervisor",
    "manager": "manager",
}
ACTION_TERMS: dict[str, str] = {
    "sell": "sell",
    "attend": "help at the self-checkout",
    "void": "take items off",
    "suspend": "park a sale",
    "discount": "give a discount",
    "price_override": "change a price",
    "no_sale": "open the drawer without a sale",
    "reports": "see the reports",
    "qris_static": "confirm a static QRIS payment",
    "approve_limit": "approve a sale above the limits",
    "refund": "make a refund",
    "refund_check": "clear a blocked refund",
    "refund_check_manual": "settle a refund the provider cannot confirm",
    "shift": "open or close a shift",
    "cash_move": "put cash in or take it out",
    "z_close": "close the business day",
    "stock_receive": "receive stock",
    "stock_adjust": "adjust stock",
    "stocktake": "count stock",
    "loyalty_adjust": "change a member's points",
    "staff_admin": "manage staff",
    "exit_kiosk": "leave the till",
    "cancel_sale": "cancel a sale",
    "reprint": "reprint a receipt",
}


def placeholders(template: str) -> dict[str, str]:
    """The ``{name:spec}`` fields of a template: name -> spec."""
    return {n: spec or "" for _, n, spec, _ in string.Formatter().parse(template) if n}


class _Words(string.Formatter):
    def __init__(self, money: Callable[[int], str], translate: Callable[[str], str]) -> None:
        self._money, self._translate = money, translate

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec == "rp":
            return self._money(value) if isinstance(value, int) else str(value)
        if isinstance(value, Term):
            return self._translate(str(value))
        return str(super().format_field(value, format_spec))


def word(
    template: str,
    params: Mapping[str, object],
    *,
    money: Callable[[int], str] = format_rupiah,
    translate: Callable[[str], str] = str,
) -> str:
    """``template`` filled with ``params``: rupiah through ``money``, terms through
    ``translate``; a missing parameter shows as nothing rather than failing."""
    values = {name: params.get(name, "") for name in placeholders(template)}
    text = _Words(money, translate).vformat(template, (), values)
    return text[:1].upper() + text[1:]  # a sentence that opens with a term


def english(code: str, params: Mapping[str, object]) -> str:
    """The CLI's and the logs' wording of ``code``."""
    return word(ERROR_TEXTS[code], params)
