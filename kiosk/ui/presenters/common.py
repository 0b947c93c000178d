"""What every presenter shares: the effects port the app implements, messages, texts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.domain.loyalty import Member, MemberError
from kiosk.domain.sale import CompletedSale
from kiosk.services.checkout import CheckoutService
from kiosk.services.loyalty import LoyaltyService
from kiosk.services.members import MemberService
from kiosk.services.self_checkout import Intervention
from kiosk.services.staff import PinNeededError, StaffError, StaffMember, StaffService
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.refusals import shown_text

# Message levels map to the state colours: ok green, attention amber, error red.
LEVELS = ("info", "ok", "attention", "error")


class Effects(Protocol):
    """Side effects the Kivy app carries out for a presenter (devices, threads)."""

    @property
    def cash_available(self) -> bool: ...

    def start_card(self, amount: int, reference: str) -> None:
        """Run a card sale off the main thread; the result comes back as ``card_result``."""
        ...

    def start_cash(self, amount_due: int) -> str:
        """Let the cash acceptor take money towards ``amount_due``; each note or coin
        comes back as ``cash_inserted``. "" when it is taking money, else a message."""
        ...

    def stop_cash(self) -> None:
        """The cash acceptor takes no more money."""
        ...

    def give_change(self, amount: int) -> str:
        """Pay out change from the cash acceptor; "" when paid, else a message."""
        ...

    def print_receipt(self, sale: CompletedSale, *, reprint: bool = False) -> str:
        """Print (``reprint``: marked as a copy); return "" when printed, else a message
        to show (the sale stands)."""
        ...

    def open_drawer(self, reason: str) -> str:
        """Open the cash drawer; "" when opened, else a message to show."""
        ...


@dataclass
class Message:
    text: str = ""
    level: str = "info"


def intervention_text(item: Intervention, lang: Language, *, staff_view: bool = False) -> str:
    _ = lang._
    d: dict[str, Any] = item.detail
    name = str(d.get("name", ""))
    if item.kind == "age_restricted":
        if staff_view:
            return _("Check ID: {name} needs age {age}+").format(name=name, age=d["minimum_age"])
        return _("Age check needed for {name}. A member of staff is coming.").format(name=name)
    if item.kind == "unknown_barcode":
        if staff_view:
            return _("Unknown barcode {code}").format(code=d.get("barcode", ""))
        return _("This item was not found. Please put it aside and wait for staff.")
    if item.kind == "inactive_item":
        return _("{name} cannot be sold right now. Please wait for staff.").format(name=name)
    if item.kind == "void_request":
        return _("Remove {name} from the basket? Staff will confirm.").format(name=name)
    if item.kind == "qty_limit":
        if staff_view:
            text = _("Quantity {qty} is above the limit of {limit}")
            return text.format(qty=d.get("qty"), limit=d.get("limit"))
        return _("Quantity above {limit}. Staff will confirm.").format(limit=d.get("limit"))
    if item.kind == "amount_limit":
        limit = lang.money(int(d.get("limit", 0)))
        if staff_view:
            return _("{name} takes the basket total above {limit}").format(name=name, limit=limit)
        return _("Basket total above {limit}. Staff will confirm.").format(limit=limit)
    return _("Help is on the way. Please wait.")


def identify_member(members: MemberService | None, card_or_phone: str) -> Member | None:
    """The member behind a card or phone, or None when unknown (or no directory here)."""
    if members is None:
        return None
    try:
        return members.identify(card_or_phone)
    except MemberError:
        return None


def badge_sign_in(staff: StaffService, code: str, lang: Language) -> StaffMember | Message:
    """A staff badge read: the member when the badge alone will do (a cashier's), else
    what to say: level "attention" asks for the PIN that must follow (a supervisor's or
    manager's badge), "error" refuses."""
    try:
        return staff.login_badge(code)
    except PinNeededError as need:
        return Message(lang._("{name}: enter your PIN").format(name=need.member.name), "attention")
    except StaffError as error:
        return Message(shown_text(error, lang), "error")


def complete_sale(checkout: CheckoutService, loyalty: LoyaltyService | None) -> CompletedSale:
    """Commit the paid sale; with loyalty the points a member spends and earns are
    written in the same transaction, as replay and the CLI do."""
    if loyalty is None:
        return checkout.complete()
    return loyalty.complete(checkout)[0]
