"""The counter's books desk for staff (plain Python, the screen draws it):

- open a shift with the float counted note by note (Rp100 ... Rp100.000),
- close it with a blind count (what is in the drawer, typed before the expected figure
  is shown), then the over/short and the shift report printed,
- cash brought in or taken out of the drawer during the shift, with a reason,
- an X report any time and the Z close (printed at once),
- a refund against a receipt: scan the barcode the receipt carries (or type its number),
  tap the lines to give back, restocked or written off; then the screen says where each
  share went (back to the card, the QRIS, as points, or cash to pay out) and its slip
  is printed.

Every step goes through the books services (rights checked there); the screen only says
what happened, in the cashier's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from kiosk.domain.errors import ShownError
from kiosk.domain.sale import CompletedSale
from kiosk.domain.shift import DENOMINATIONS, MAX_PIECES, ShiftError, count_total
from kiosk.ports import DeviceError
from kiosk.services.books import Books
from kiosk.services.staff import StaffMember
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.common import Effects
from kiosk.ui.presenters.keypad import Keypad
from kiosk.ui.presenters.refund_checks_view import blocked_rows, checked_text, checks_service
from kiosk.ui.presenters.refund_ways import refund_ways
from kiosk.ui.presenters.refusals import N_, shown_text

VIEWS = ("menu", "float", "count", "closed", "refund", "refunded", "checks", "cash")
CASH_REASONS = (
    N_("Change brought to the till"),
    N_("Cash pickup to the safe"),
    N_("Paid out from the drawer"),
    N_("Other"),
)
# Largest first, as they lie in the drawer.
COUNTED = tuple(sorted(DENOMINATIONS, reverse=True))
ReportPrinter = Callable[[str, dict[str, Any]], str]  # (kind, figures) -> problem or ""


class DeskOwner(Protocol):
    """What the counter presenter lends the desk."""

    screen: str
    cashier: StaffMember | None
    lang: Language
    effects: Effects

    def _say(self, text: str, level: str = "info") -> None: ...
    def _changed(self) -> None: ...


def receipt_number(code: str, device_id: str) -> int | None:
    """The receipt number in a scanned receipt barcode (``K01-000123``) of this till, or
    a typed number; None when it is neither."""
    text = code.strip()
    if text.isdigit():
        return int(text)
    device, _, number = text.rpartition("-")
    if device == device_id and number.isdigit():
        return int(number)
    return None


class CounterBooks:
    def __init__(self, owner: DeskOwner, books: Books, print_report: ReportPrinter,
                 device_id: str) -> None:  # fmt: skip
        self.owner = owner
        self.books = books
        self.print_report = print_report
        self.device_id = device_id
        self.view = "menu"
        self.counts: dict[int, int] = {}
        self.selected = COUNTED[0]
        self.entry = Keypad(10)
        self.result: dict[str, Any] = {}  # the closed shift's report
        self.sale: CompletedSale | None = None
        self.left: dict[int, int] = {}  # units of each line that can still come back
        self.chosen: dict[int, int] = {}
        self.restock = True
        self.refunded: list[tuple[str, str, bool]] = []  # where the last refund's shares went
        self.reason = ""  # of a cash move

    # -- plumbing ---------------------------------------------------------------------
    @property
    def lang(self) -> Language:
        return self.owner.lang

    def _say(self, text: str, level: str = "info") -> None:
        self.owner._say(text, level)
        self.owner._changed()

    def _try(self, action: Callable[[], Any]) -> Any:
        """``action``'s result, or None when it was refused or a device failed: then the
        screen says why from the error's code (who may do it, the closed day and its Z,
        the limit...) in the cashier's language, never the service's English."""
        try:
            return action()
        except (ShownError, DeviceError) as error:
            self._say(shown_text(error, self.lang), "error")
        return None

    def _go(self, view: str, text: str = "", level: str = "info") -> None:
        self.view = view
        self.entry.take()
        self._say(text, level)

    # -- menu -------------------------------------------------------------------------
    def open(self) -> None:
        if self.owner.cashier is None:
            self.owner._say(self.lang._("Sign in first"), "attention")
            self.owner._changed()
            return
        self.owner.screen = "books"
        self._go("menu", self.lang._("Shift, reports and refunds"))

    def leave(self) -> None:
        self.owner.screen = "sale"
        self.view = "menu"
        self.sale = None
        self._say("", "info")

    def shift_open(self) -> bool:
        return self.books.shifts.uow.books.open_shift() is not None

    def status(self) -> str:
        """The till's shift as the desk's menu says it."""
        shift = self.books.shifts.uow.books.open_shift()
        if shift is None:
            return self.lang._("No shift is open on this till")
        return self.lang._("{name}'s shift is open, float {amount}").format(
            name=shift["cashier"], amount=self.lang.money(int(shift["float_amount"]))
        )

    # -- counting notes and coins -----------------------------------------------------------
    def start_float(self) -> None:
        if self.shift_open():
            self._say(self.lang._("A shift is already open on this till"), "error")
            return
        self.counts = {}
        self.selected = COUNTED[0]
        self._go("float", self.lang._("Count the float: tap a note or coin, type how many"))

    def start_close(self) -> None:
        if not self.shift_open():
            self._say(self.lang._("No shift is open on this till"), "error")
            return
        self.counts = {}
        self.selected = COUNTED[0]
        self._go("count", self.lang._("Count the drawer before you see what is expected"))

    def pick(self, denomination: int) -> None:
        self.selected = denomination
        self.entry.take()
        self.owner._changed()

    def count_key(self, key: str) -> None:
        """Digits set how many of the selected note or coin; ``+`` adds one."""
        if key == "+":
            self.counts[self.selected] = self.counts.get(self.selected, 0) + 1
        elif key == "clear":
            self.entry.take()
            self.counts.pop(self.selected, None)
        else:
            self.entry.press(key)
            pieces = self.entry.value() or 0
            if pieces > MAX_PIECES:  # no drawer holds that many: the key is not taken
                self.entry.press("back")
                refused = ShiftError.of("shift.pieces", value=self.selected, max=MAX_PIECES)
                self._say(shown_text(refused, self.lang), "error")
                return
            self.counts[self.selected] = pieces
        self.owner._changed()

    @property
    def total(self) -> int:
        return count_total({d: n for d, n in self.counts.items() if n})

    def confirm_count(self) -> None:
        total = self.total
        if self.view == "float":
            opened = self._try(lambda: self.books.shifts.open(self.owner.cashier, total))
            if opened is not None:
                problem = self.owner.effects.open_drawer("float")
                text = self.lang._("Shift open with a float of {amount}")
                self.leave()  # on to selling
                self._say(problem or text.format(amount=self.lang.money(total)),
                          "error" if problem else "ok")  # fmt: skip
        elif self.view == "count":
            closed = self._try(lambda: self.books.shifts.close(self.owner.cashier, total))
            if closed is not None:
                self.result = closed
                self._go("closed", self._printed("shift", closed), "ok")

    # -- cash in and out --------------------------------------------------------------
    def start_cash(self) -> None:
        if not self.shift_open():
            self._say(self.lang._("No shift is open on this till"), "error")
            return
        self.reason = ""
        self._go("cash", self.lang._("Type the amount and choose why"))

    def cash_reason(self, reason: str) -> None:
        self.reason = reason
        self.owner._changed()

    def cash_key(self, key: str) -> None:
        self.entry.press(key)
        self.owner._changed()

    def confirm_cash(self, direction: str) -> None:
        amount = self.entry.value()
        if not amount:
            self._say(self.lang._("Type the amount first"), "attention")
            return
        if not self.reason:
            self._say(self.lang._("Choose why the cash moves"), "attention")
            return
        reason = self.reason
        moved = self._try(lambda: self.books.shifts.cash_move(self.owner.cashier, direction,
                                                              amount, reason))  # fmt: skip
        if moved is not None:
            problem = self.owner.effects.open_drawer(f"cash {direction}")
            text = (self.lang._("Cash in {amount}: {reason}") if direction == "in"
                    else self.lang._("Cash out {amount}: {reason}"))  # fmt: skip
            shown = text.format(amount=self.lang.money(amount), reason=self.lang._(reason))
            self._go("menu", problem or shown, "error" if problem else "ok")

    # -- X and Z ----------------------------------------------------------------------
    def print_x(self) -> None:
        figures = self._try(lambda: self.books.day_close.x_report(self.owner.cashier))
        if figures is not None:
            self._say(self._printed("X", figures), "ok")

    def close_day(self) -> None:
        closed = self._try(lambda: self.books.day_close.close(self.owner.cashier))
        if closed is not None:
            figures = self.books.day_close.figures(closed["business_date"])
            text = self.lang._("Z {number} closed the business day {day}").format(
                number=closed["z_number"], day=closed["business_date"]
            )
            problem = self.print_report("Z", figures)
            self._say(text if not problem else f"{text}. {self._problem(problem)}",
                      "ok" if not problem else "error")  # fmt: skip

    def _printed(self, kind: str, figures: dict[str, Any]) -> str:
        problem = self.print_report(kind, figures)
        return self._problem(problem) if problem else self.lang._("Report printed")

    def _problem(self, problem: str) -> str:
        return self.lang._("Printer problem: {problem}").format(problem=problem)

    # -- refunds ----------------------------------------------------------------------
    def start_refund(self) -> None:
        self.sale = None
        self._go("refund", self.lang._("Scan the receipt's barcode or type its number"))

    def scan(self, code: str) -> bool:
        """A scan while the desk is open: a receipt of this till starts its refund; in
        Refund any scan is looked up as a receipt. False when it is not the desk's (the
        till goes back to selling with it)."""
        text = code.strip()
        if self.view == "refund" or (not text.isdigit() and receipt_number(text, self.device_id)):
            if self.view != "refund":
                self.start_refund()
            self.find(text)
            return True
        return False

    def refund_key(self, key: str) -> None:
        if key == "enter":
            self.find(self.entry.take())
            return
        self.entry.press(key)
        self.owner._changed()

    def find(self, code: str) -> None:
        number = receipt_number(code, self.device_id)
        if number is None:
            self._say(self.lang._("That is not a receipt of this till"), "error")
            return
        found = self._try(lambda: self.books.refunds.lookup(number))  # refund.no_receipt
        if found is not None:
            self.sale, self.left = found
            self.chosen = {}
            self.restock = True
            if not any(self.left.values()):
                self._say(self.lang._("Everything on this receipt was already refunded"),
                          "attention")  # fmt: skip
            else:
                text = self.lang._("Receipt {number}: tap the items to give back")
                self._say(text.format(number=number), "info")

    def tap_line(self, line_no: int) -> None:
        """One more unit of the line back (a weighed line comes back whole); past what is
        left it starts again from none."""
        if self.sale is None or not self.left.get(line_no):
            return
        line = next(ln for ln in self.sale.lines if ln.line_no == line_no)
        now = self.chosen.get(line_no, 0)
        step = line.qty if line.weight_g else 1
        self.chosen[line_no] = 0 if now + step > self.left[line_no] else now + step
        self.owner._changed()

    def toggle_restock(self) -> None:
        self.restock = not self.restock
        self.owner._changed()

    def confirm_refund(self) -> None:
        lines = [(n, q) for n, q in sorted(self.chosen.items()) if q]
        if self.sale is None or not lines:
            self._say(self.lang._("Tap the items to give back first"), "attention")
            return
        number = self.sale.receipt_no
        # Only a supervisor may refund here: confirming is their approval for a card or
        # QRIS share its provider does not take to be paid from the drawer (journaled).
        done = self._try(lambda: self.books.refunds.refund(
            self.owner.cashier, number, lines, restock=self.restock,
            cash_approver=self.owner.cashier))  # fmt: skip
        if done is None:
            return
        problem = self.owner.effects.open_drawer("refund") if done["cash"] else ""
        text = self.lang._("Refunded {amount} for receipt {number}").format(
            amount=self.lang.money(-int(done["total"])), number=number
        )
        names = {line.line_no: line.name for line in self.sale.lines}
        slip = {**done, "lines": [{**line, "name": names.get(line["line_no"], line["sku"])}
                                  for line in done["lines"]]}  # fmt: skip
        printing = self.print_report("refund", slip)  # the slip, after every refund
        shown = problem or text
        if printing:
            shown = f"{shown}. {self._problem(printing)}"
        self.sale = None
        self.refunded = refund_ways(done, self.lang)  # the cashier sees where it all went
        self._go("refunded", shown, "error" if problem or printing else "ok")

    # -- refund shares blocked by an unknown outcome ----------------------------------
    def blocked(self) -> list[tuple[str, str]]:
        return blocked_rows(self.books, self.lang)

    def start_checks(self) -> None:
        self._go("checks", self.lang._("Tap one: the till asks the provider again"))

    def check(self, call_id: str) -> None:
        result = self._try(lambda: checks_service(self.books).resolve(self.owner.cashier, call_id))
        if result is not None:
            self._say(*checked_text(result, self.lang))

    def refund_rows(self) -> list[tuple[int, str, str]]:
        """(line number, text, amount text) of the receipt being refunded."""
        if self.sale is None:
            return []
        rows = []
        for line in self.sale.lines:
            left, chosen = self.left.get(line.line_no, 0), self.chosen.get(line.line_no, 0)
            text = self.lang._("{name}: {chosen} of {left} back").format(
                name=line.name, chosen=chosen, left=left
            )
            rows.append((line.line_no, text, self.lang.money(line.amount)))
        return rows
